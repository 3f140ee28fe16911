/**
 * Reading a book: a parsed document of the current version, checked and decoded record by
 * record (through `decoder.ts`) into the book in memory, sorted by id.
 *
 * @internal
 */
import { BookDocument, Store } from "@partnerbook/core"
import { Either, ParseResult } from "effect"
import * as RecordDecoder from "./decoder.js"
import * as Feed from "./feed.js"
import { type Corrupt, corrupt, describe, documentKeys, type JsonObject, listKeys, own } from "./layout.js"
import type * as State from "./state.js"

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
  const feed = Feed.decode(file)
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
