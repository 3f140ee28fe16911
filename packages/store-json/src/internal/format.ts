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
 * This module reads a file's bytes into a book (`parse`: bytes, JSON, marker and version,
 * migration, records) and is the format's one entry point; each concern has its module:
 * `layout.ts` (marker, version, keys), `migration.ts` (older versions), `encode.ts` (a book
 * to bytes), `decode.ts` (a current document to a book), `feed.ts` (the change feed),
 * `jsonSyntax.ts` (where broken JSON breaks), `decoder.ts` (one record's codec).
 *
 * @internal
 */
import { Either } from "effect"
import * as Decode from "./decode.js"
import * as JsonSyntax from "./jsonSyntax.js"
import { type Corrupt, corrupt, describe, isObject, own, storeFormat, storeVersion } from "./layout.js"
import { migrate, oldestVersion } from "./migration.js"
import type * as State from "./state.js"

export { decodeDocument, decoders } from "./decode.js"
export { encoders, entry, render } from "./encode.js"
export { type Position, syntaxErrorOffset } from "./jsonSyntax.js"
export { type Corrupt, type JsonObject, listKeys, storeFormat, storeVersion } from "./layout.js"
export { type Migration, migrate, migrations, oldestVersion } from "./migration.js"

/** A parse failure: the reason, and the position for syntax errors. */
export interface ParseFailure extends Corrupt {
  readonly position?: JsonSyntax.Position
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
    const offset = JsonSyntax.syntaxErrorOffset(text)
    const truncated = offset !== undefined && offset >= text.trimEnd().length
    const message = error instanceof Error ? error.message : String(error)
    return Either.left({
      path: "",
      reason: truncated
        ? `the JSON text ends before the document does (truncated at ${bytes.length} bytes)`
        : `invalid JSON: ${message.split("\n")[0]}`,
      ...(offset === undefined ? {} : { position: JsonSyntax.positionOf(text, offset) })
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
  return Decode.decodeDocument(current.right, book)
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
