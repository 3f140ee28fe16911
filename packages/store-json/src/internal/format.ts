/**
 * The file format: a book document (`BookDocument` from core, records sorted by id) with the
 * file's own format marker and version in front, pretty-printed with two spaces and keys in
 * schema order, so that a diff shows exactly the records that changed.
 *
 * ```json
 * {
 *   "storeFormat": "partnerbook/json-store",
 *   "storeVersion": 1,
 *   "format": "partnerbook/book",
 *   "version": 1,
 *   "book": "default",
 *   "profile": null,
 *   "partners": [ ... ],
 *   "referrals": [ ... ],
 *   "interactions": [ ... ],
 *   "clients": [ ... ],
 *   "lastSequence": 7,
 *   "changes": [ { "sequence": 7, "entity": "partner", "id": "p-1", "op": "put", "revision": 2 } ]
 * }
 *
 * Version 2 (0.2.0) added `lastSequence` and `changes`, the book's change feed (the latest
 * change of each record, by sequence); version 1 files are read as version 2 with one `put`
 * change per record.
 * ```
 *
 * The text is byte-for-byte `JSON.stringify(file, null, 2) + "\n"`; it is assembled from
 * per-record pieces so that a write re-encodes only the records that changed.
 *
 * @internal
 */
import { BookDocument, Store } from "@partnerbook/core"
import { Either, ParseResult } from "effect"
import * as RecordDecoder from "./decoder.js"
import type * as State from "./state.js"

/** The marker of a JSON-store file. */
export const storeFormat = "partnerbook/json-store"

/** The current version of the file format. */
export const storeVersion = 2

/** What is wrong with a file: the path inside it (dotted, `""` for the whole file) and why. */
export interface Corrupt {
  readonly path: string
  readonly reason: string
}

const corrupt = (path: string, reason: string): Corrupt => ({ path, reason })

/** The document's list key of each collection kind, in document order. */
export const listKeys: ReadonlyArray<readonly [State.CollectionKind, string]> = [
  ["partner", "partners"],
  ["referral", "referrals"],
  ["interaction", "interactions"],
  ["client", "clients"]
]

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/** The encoder of each kind (see `decoder.ts`). */
export const encoders: { readonly [K in State.Kind]: (record: Store.Records[K]) => unknown } = {
  profile: RecordDecoder.makeEncoder(Store.schemas.profile),
  partner: RecordDecoder.makeEncoder(Store.schemas.partner),
  referral: RecordDecoder.makeEncoder(Store.schemas.referral),
  interaction: RecordDecoder.makeEncoder(Store.schemas.interaction),
  client: RecordDecoder.makeEncoder(Store.schemas.client)
}

/**
 * The UTF-8 bytes of a record's JSON text as it appears in the file: a collection record
 * with its indent (depth 2, four spaces), a profile without the indent of its first line
 * (it follows `"profile": `). Kept with the record, so that a write copies the bytes of the
 * records it did not change instead of encoding and stringifying them again.
 */
const bytesFor = (kind: State.Kind, record: Store.Records[State.Kind]): Uint8Array => {
  const encoded = (encoders[kind] as (r: Store.Records[State.Kind]) => unknown)(record)
  // JSON.stringify escapes newlines inside strings, so every "\n" here is between tokens.
  const json = JSON.stringify(encoded, null, 2)
  return Buffer.from(
    kind === "profile" ? json.replaceAll("\n", "\n  ") : `    ${json.replaceAll("\n", "\n    ")}`
  )
}

/** An entry for a record, its bytes computed now (encoding fails here, not at commit). */
export const entry = (kind: State.Kind, record: Store.Records[State.Kind]): State.Entry => ({
  record,
  bytes: bytesFor(kind, record)
})

const bytesOf = (kind: State.Kind, e: State.Entry): Uint8Array => {
  if (e.bytes === undefined) e.bytes = bytesFor(kind, e.record)
  return e.bytes
}

/**
 * The file of a book: exactly `JSON.stringify(file, null, 2) + "\n"`, assembled from the
 * records' bytes.
 */
export const render = (state: State.BookState): Uint8Array => {
  const chunks: Array<Uint8Array> = []
  let text = `{\n  "storeFormat": ${JSON.stringify(storeFormat)},\n  "storeVersion": ${storeVersion},\n  "format": ${JSON.stringify(BookDocument.format)},\n  "version": ${BookDocument.version},\n  "book": ${JSON.stringify(state.book)},\n  "profile": `
  if (state.profile !== null) {
    chunks.push(Buffer.from(text), bytesOf("profile", state.profile))
    text = ""
  } else text += "null"
  for (const [kind, key] of listKeys) {
    const entries = state.shelves[kind].entries
    if (entries.length === 0) {
      text += `,\n  ${JSON.stringify(key)}: []`
      continue
    }
    chunks.push(Buffer.from(`${text},\n  ${JSON.stringify(key)}: [\n`))
    for (let i = 0; i < entries.length; i++) {
      if (i > 0) chunks.push(separator)
      chunks.push(bytesOf(kind, entries[i]!))
    }
    text = "\n  ]"
  }
  text += `,\n  "lastSequence": ${state.feed.last},\n  "changes": `
  if (state.feed.changes.length === 0) text += "[]"
  else {
    text += "[\n"
    text += state.feed.changes
      .map((c) => `    ${JSON.stringify(changeJson(c), null, 2).replaceAll("\n", "\n    ")}`)
      .join(",\n")
    text += "\n  ]"
  }
  chunks.push(Buffer.from(`${text}\n}\n`))
  let total = 0
  for (const chunk of chunks) total += chunk.byteLength
  const out = Buffer.allocUnsafe(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

const separator = Buffer.from(",\n")

/** A change as the file holds it: keys in a fixed order, `revision` only for a put. */
const changeJson = (c: Store.Change) =>
  c.revision === undefined
    ? { sequence: c.sequence, entity: c.entity, id: c.id, op: c.op }
    : { sequence: c.sequence, entity: c.entity, id: c.id, op: c.op, revision: c.revision }

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/** A JSON object from `JSON.parse`: read with `Object.hasOwn` and `Object.keys` only. */
export type JsonObject = { readonly [key: string]: unknown }

const isObject = (u: unknown): u is JsonObject => typeof u === "object" && u !== null && !Array.isArray(u)

const describe = (u: unknown): string =>
  u === null ? "null" : Array.isArray(u) ? "an array" : typeof u === "object" ? "an object" : `a ${typeof u}`

const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined)

/**
 * One step of the format: converts a parsed file of version `from` into version `to`. A
 * step sees plain JSON and returns plain JSON; the last step's output is decoded with the
 * schemas. Steps never touch the file: an old file is upgraded on its next write.
 */
export interface Migration {
  readonly from: number
  readonly to: number
  readonly description: string
  readonly migrate: (file: JsonObject) => Either.Either<JsonObject, Corrupt>
}

/**
 * Version 0 is a layout defined so that the migration path has a tested first step; no
 * release of this package wrote it. It is version 1 with every collection stored as an
 * object keyed by record id, and the records without their `id` field:
 * `"partners": { "p1": { "book": ..., "name": ... } }`. Converting it builds the sorted
 * arrays of version 1 and puts each key back as the record's `id`; nothing else changes.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: "collections keyed by id (records without `id`) -> arrays of records sorted by id",
  migrate: (file) => {
    const out: Array<[string, unknown]> = []
    for (const key of Object.keys(file)) {
      const value = file[key]
      if (key === "storeVersion") {
        out.push([key, 1])
        continue
      }
      if (!listKeys.some(([, list]) => list === key)) {
        out.push([key, value])
        continue
      }
      if (!isObject(value)) {
        return Either.left(
          corrupt(key, `expected an object keyed by record id (format version 0), found ${describe(value)}`)
        )
      }
      const ids = Object.keys(value).sort()
      const records: Array<unknown> = []
      for (const id of ids) {
        const record = value[id]
        if (!isObject(record)) {
          return Either.left(corrupt(`${key}.${id}`, `expected a record object, found ${describe(record)}`))
        }
        if (Object.hasOwn(record, "id")) {
          return Either.left(
            corrupt(`${key}.${id}.id`, "format version 0 keeps the id in the key, not in the record")
          )
        }
        // Object.fromEntries defines own properties: a key named "__proto__" stays data.
        records.push(Object.fromEntries([["id", id], ...Object.entries(record)]))
      }
      out.push([key, records])
    }
    return Either.right(Object.fromEntries(out))
  }
}

/**
 * Version 2 adds the change feed: `lastSequence` and `changes`. A version-1 file gets one
 * `put` change per record (profile, partners, referrals, interactions, clients, each list in
 * file order), numbered from 1, so that a reader of the feed from 0 sees every record.
 */
const v1ToV2: Migration = {
  from: 1,
  to: 2,
  description: "adds the change feed (`lastSequence`, `changes`): one put per existing record",
  migrate: (file) => {
    if (Object.hasOwn(file, "lastSequence") || Object.hasOwn(file, "changes")) {
      return Either.left(corrupt("storeVersion", "a version-1 file has no change feed, but this one has"))
    }
    const changes: Array<Store.Change> = []
    const revisionOf = (r: unknown) => (isObject(r) && typeof r.revision === "number" ? r.revision : 0)
    const profile = own(file, "profile")
    if (isObject(profile) && typeof own(file, "book") === "string") {
      changes.push({
        sequence: changes.length + 1,
        entity: "profile",
        id: file.book as string,
        op: "put",
        revision: revisionOf(profile)
      })
    }
    for (const [kind, key] of listKeys) {
      const list = own(file, key)
      if (!Array.isArray(list)) continue // decoding names the problem
      for (const r of list) {
        if (isObject(r) && typeof r.id === "string")
          changes.push({
            sequence: changes.length + 1,
            entity: kind,
            id: r.id,
            op: "put",
            revision: revisionOf(r)
          })
      }
    }
    return Either.right({
      ...file,
      storeVersion: 2,
      lastSequence: changes.length,
      changes: changes.map(changeJson)
    })
  }
}

/** The migrations, oldest first; each step's `to` is the next one's `from`. */
export const migrations: ReadonlyArray<Migration> = [v0ToV1, v1ToV2]

/** The oldest version this store still reads. */
export const oldestVersion = migrations.length === 0 ? storeVersion : migrations[0]!.from

/** Brings a parsed file of any known version to the current one. */
export const migrate = (file: JsonObject, from: number): Either.Either<JsonObject, Corrupt> => {
  let current = file
  let version = from
  while (version < storeVersion) {
    const step = migrations.find((m) => m.from === version)
    if (step === undefined)
      return Either.left(corrupt("storeVersion", `no migration from format version ${version}`))
    const next = step.migrate(current)
    if (Either.isLeft(next)) return next
    current = next.right
    version = step.to
  }
  return Either.right(current)
}

type Decoder = (u: unknown) => Either.Either<Store.Records[State.Kind], ParseResult.ParseError>

/** The decoder of each kind (see `decoder.ts`). */
export const decoders: { readonly [K in State.Kind]: Decoder } = {
  profile: RecordDecoder.make(Store.schemas.profile) as Decoder,
  partner: RecordDecoder.make(Store.schemas.partner) as Decoder,
  referral: RecordDecoder.make(Store.schemas.referral) as Decoder,
  interaction: RecordDecoder.make(Store.schemas.interaction) as Decoder,
  client: RecordDecoder.make(Store.schemas.client) as Decoder
}

const schemaIssue = (prefix: string, error: ParseResult.ParseError): Corrupt => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter((p) => p !== "").join(".")
  return corrupt(path, issue?.message ?? error.message)
}

const documentKeys = new Set([
  "storeFormat",
  "storeVersion",
  "format",
  "version",
  "book",
  "profile",
  ...listKeys.map(([, key]) => key),
  "lastSequence",
  "changes"
])

const entities = new Set(["profile", "partner", "referral", "interaction", "client"])

const isCount = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 0

/** Decodes the change feed of a file: sequences increasing, at most `lastSequence`. */
const decodeFeed = (file: JsonObject): Either.Either<State.Feed, Corrupt> => {
  const last = own(file, "lastSequence")
  if (!isCount(last))
    return Either.left(corrupt("lastSequence", `expected a non-negative integer, found ${describe(last)}`))
  const list = own(file, "changes")
  if (!Array.isArray(list))
    return Either.left(corrupt("changes", `expected an array, found ${describe(list)}`))
  const changes: Array<Store.Change> = []
  const seen = new Set<string>()
  let previous = 0
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    const at = `changes.${i}`
    if (!isObject(c)) return Either.left(corrupt(at, `expected a change object, found ${describe(c)}`))
    for (const key of Object.keys(c)) {
      if (!["sequence", "entity", "id", "op", "revision"].includes(key))
        return Either.left(corrupt(`${at}.${key}`, `unexpected key ${JSON.stringify(key)}`))
    }
    const { entity, id, op, revision, sequence } = c
    if (!isCount(sequence) || sequence <= previous || sequence > last)
      return Either.left(
        corrupt(`${at}.sequence`, `expected a sequence above ${previous} and at most lastSequence (${last})`)
      )
    if (typeof entity !== "string" || !entities.has(entity))
      return Either.left(corrupt(`${at}.entity`, `expected an entity kind, found ${JSON.stringify(entity)}`))
    if (typeof id !== "string")
      return Either.left(corrupt(`${at}.id`, `expected a string, found ${describe(id)}`))
    if (op !== "put" && op !== "delete")
      return Either.left(corrupt(`${at}.op`, `expected "put" or "delete", found ${JSON.stringify(op)}`))
    if (revision !== undefined && !isCount(revision))
      return Either.left(corrupt(`${at}.revision`, "expected a non-negative integer"))
    const key = `${entity}\u0000${id}`
    if (seen.has(key)) return Either.left(corrupt(at, `a second change of ${entity} ${JSON.stringify(id)}`))
    seen.add(key)
    previous = sequence
    changes.push(
      revision === undefined
        ? { sequence, entity: entity as State.Kind, id, op }
        : { sequence, entity: entity as State.Kind, id, op, revision }
    )
  }
  return Either.right({ last, changes })
}

/**
 * Decodes a file of the current version into a book: the same checks as
 * `BookDocument.decode` (every record through its schema, no unknown keys, every record in
 * the document's book), plus: the document is the expected book, and no id appears twice.
 */
export const decodeDocument = (file: JsonObject, book: string): Either.Either<State.BookState, Corrupt> => {
  for (const key of Object.keys(file)) {
    if (!documentKeys.has(key)) return Either.left(corrupt(key, `unexpected key ${JSON.stringify(key)}`))
  }
  const format = own(file, "format")
  if (format !== BookDocument.format) {
    return Either.left(
      corrupt(
        "format",
        `expected ${JSON.stringify(BookDocument.format)}, found ${JSON.stringify(format) ?? "nothing"}`
      )
    )
  }
  const version = own(file, "version")
  if (version !== BookDocument.version) {
    return Either.left(
      corrupt(
        "version",
        `unsupported book document version ${JSON.stringify(version) ?? "(missing)"}; this store reads version ${BookDocument.version}`
      )
    )
  }
  const id = own(file, "book")
  if (typeof id !== "string")
    return Either.left(corrupt("book", `expected the book id, found ${describe(id)}`))
  if (id !== book) {
    return Either.left(
      corrupt("book", `the file holds book ${JSON.stringify(id)}, not ${JSON.stringify(book)}`)
    )
  }
  if (!Object.hasOwn(file, "profile")) return Either.left(corrupt("profile", "is missing"))
  let profile: State.Entry | null = null
  const rawProfile = file.profile
  if (rawProfile !== null) {
    const decoded = decoders.profile(rawProfile)
    if (Either.isLeft(decoded)) return Either.left(schemaIssue("profile", decoded.left))
    if (decoded.right.book !== book) return Either.left(wrongBook("profile.book", decoded.right.book, book))
    profile = { record: decoded.right, bytes: undefined }
  }
  const shelves: Partial<Record<State.CollectionKind, State.Shelf>> = {}
  for (const [kind, key] of listKeys) {
    if (!Object.hasOwn(file, key)) return Either.left(corrupt(key, "is missing"))
    const list = file[key]
    if (!Array.isArray(list)) return Either.left(corrupt(key, `expected an array, found ${describe(list)}`))
    const decode = decoders[kind]
    const ids: Array<string> = new Array(list.length)
    const entries: Array<State.Entry> = new Array(list.length)
    let ordered = true
    for (let i = 0; i < list.length; i++) {
      const decoded = decode(list[i])
      if (Either.isLeft(decoded)) return Either.left(schemaIssue(`${key}.${i}`, decoded.left))
      const record = decoded.right as Store.Records[State.CollectionKind]
      if (record.book !== book) return Either.left(wrongBook(`${key}.${i}.book`, record.book, book))
      if (i > 0 && !(ids[i - 1]! < record.id)) ordered = false
      ids[i] = record.id
      entries[i] = { record, bytes: undefined }
    }
    if (ordered) {
      shelves[kind] = { ids, entries }
      continue
    }
    // Not in id order (edited by hand): sort, and refuse an id that appears twice.
    const order = ids
      .map((_, i) => i)
      .sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b))
    for (let j = 1; j < order.length; j++) {
      if (ids[order[j]!] === ids[order[j - 1]!]) {
        const [first, second] = [order[j - 1]!, order[j]!]
        return Either.left(
          corrupt(
            `${key}.${second}.id`,
            `duplicate id ${JSON.stringify(ids[second])} (also at ${key}.${first})`
          )
        )
      }
    }
    shelves[kind] = { ids: order.map((i) => ids[i]!), entries: order.map((i) => entries[i]!) }
  }
  const feed = decodeFeed(file)
  if (Either.isLeft(feed)) return Either.left(feed.left)
  return Either.right({
    book,
    profile,
    shelves: shelves as Record<State.CollectionKind, State.Shelf>,
    feed: feed.right
  })
}

const wrongBook = (path: string, found: string, book: string): Corrupt =>
  corrupt(path, `the record belongs to book ${JSON.stringify(found)}, the file to ${JSON.stringify(book)}`)

/** Where a JSON syntax error is: 1-based line and column of the first offending character. */
export interface Position {
  readonly line: number
  readonly column: number
}

/** A parse failure: the reason, and the position for syntax errors. */
export interface ParseFailure extends Corrupt {
  readonly position?: Position
}

const decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * Reads a book file's bytes: checks the bytes, parses the JSON, checks the marker and the
 * version, migrates an older version, and decodes every record.
 */
export const parse = (bytes: Uint8Array, book: string): Either.Either<State.BookState, ParseFailure> => {
  if (bytes.length === 0) return Either.left(corrupt("", "the file is empty (0 bytes)"))
  if (bytes.every((b) => b === 0)) {
    return Either.left(
      corrupt(
        "",
        `the file holds only NUL bytes (${bytes.length}), as a crash can leave a file that was being written in place`
      )
    )
  }
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return Either.left(corrupt("", "the file is not UTF-8 text"))
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const offset = syntaxErrorOffset(text)
    const truncated = offset !== undefined && offset >= text.trimEnd().length
    const message = error instanceof Error ? error.message : String(error)
    return Either.left({
      path: "",
      reason: truncated
        ? `the JSON text ends before the document does (truncated at ${bytes.length} bytes)`
        : `invalid JSON: ${message.split("\n")[0]}`,
      ...(offset === undefined ? {} : { position: positionOf(text, offset) })
    })
  }
  if (!isObject(json)) {
    return Either.left(corrupt("", `expected a JSON object at the top level, found ${describe(json)}`))
  }
  const marker = own(json, "storeFormat")
  if (marker !== storeFormat) {
    return Either.left(
      corrupt(
        "storeFormat",
        marker === undefined
          ? `not a Partnerbook JSON-store file (no "storeFormat": ${JSON.stringify(storeFormat)})`
          : `expected ${JSON.stringify(storeFormat)}, found ${JSON.stringify(marker)}`
      )
    )
  }
  const version = own(json, "storeVersion")
  if (
    typeof version !== "number" ||
    !Number.isInteger(version) ||
    version < oldestVersion ||
    version > storeVersion
  ) {
    return Either.left(
      corrupt(
        "storeVersion",
        typeof version === "number" && Number.isInteger(version) && version > storeVersion
          ? `format version ${version} was written by a newer version of @partnerbook/store-json; this one reads versions ${oldestVersion} to ${storeVersion}`
          : `unknown format version ${JSON.stringify(version) ?? "(missing)"}; this store reads versions ${oldestVersion} to ${storeVersion}`
      )
    )
  }
  const current = migrate(json, version)
  if (Either.isLeft(current)) return Either.left(current.left)
  return decodeDocument(current.right, book)
}

/** Reads only the book id of a file (for files named by a hash of their id). */
export const bookIdOf = (bytes: Uint8Array): string | undefined => {
  try {
    const json: unknown = JSON.parse(decoder.decode(bytes))
    if (!isObject(json)) return undefined
    const id = own(json, "book")
    return typeof id === "string" ? id : undefined
  } catch {
    return undefined
  }
}

const positionOf = (text: string, offset: number): Position => {
  let line = 1
  let start = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}

/**
 * The offset of the first JSON syntax error in `text` (`text.length` when it ends early),
 * found by a small validating scanner: Node's `JSON.parse` messages do not always carry a
 * position. Used only after `JSON.parse` failed; `undefined` if the scanner finds nothing
 * (or the nesting is too deep for it).
 */
export const syntaxErrorOffset = (text: string): number | undefined => {
  let i = 0
  const fail = (at: number): never => {
    throw new SyntaxAt(at)
  }
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
  }
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k)
    i += word.length
  }
  const string = () => {
    i++
    while (true) {
      if (i >= text.length) fail(i)
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail(i)
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === undefined) fail(i + 1)
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(Math.min(i + 2, text.length))
          i += 6
        } else if ('"\\/bfnrt'.includes(e!)) i += 2
        else fail(i + 1)
      } else i++
    }
  }
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (m === null || m[0] === "" || m[0] === "-") fail(i + (m?.[0].length ?? 0))
    i += m![0].length
  }
  const value = (): void => {
    ws()
    if (i >= text.length) fail(i)
    const c = text[i]
    if (c === "{") {
      i++
      ws()
      if (text[i] === "}") {
        i++
        return
      }
      while (true) {
        ws()
        if (text[i] !== '"') fail(i)
        string()
        ws()
        if (text[i] !== ":") fail(i)
        i++
        value()
        ws()
        if (text[i] === ",") {
          i++
          continue
        }
        if (text[i] === "}") {
          i++
          return
        }
        fail(i)
      }
    } else if (c === "[") {
      i++
      ws()
      if (text[i] === "]") {
        i++
        return
      }
      while (true) {
        value()
        ws()
        if (text[i] === ",") {
          i++
          continue
        }
        if (text[i] === "]") {
          i++
          return
        }
        fail(i)
      }
    } else if (c === '"') string()
    else if (c === "t") literal("true")
    else if (c === "f") literal("false")
    else if (c === "n") literal("null")
    else number()
  }
  try {
    value()
    ws()
    if (i < text.length) fail(i)
    return undefined
  } catch (error) {
    if (error instanceof SyntaxAt) return Math.min(error.at, text.length)
    return undefined
  }
}

class SyntaxAt {
  constructor(readonly at: number) {}
}
