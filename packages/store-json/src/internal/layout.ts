/**
 * The layout of a book file, shared by every part of the format: the file's own marker and
 * version, the document's keys in order, what is wrong with a file (`Corrupt`), and the few
 * safe accessors of plain JSON (from `JSON.parse`) that reading and migrating use.
 *
 * @internal
 */
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

/** A `Corrupt` at `path` (dotted, `""` for the whole file). */
export const corrupt = (path: string, reason: string): Corrupt => ({ path, reason })

/** The document's list key of each collection kind, in document order. */
export const listKeys: ReadonlyArray<readonly [State.CollectionKind, string]> = [
  ["partner", "partners"],
  ["referral", "referrals"],
  ["interaction", "interactions"],
  ["client", "clients"]
]

/** Every key of a document of the current version, in document order. */
export const documentKeys: ReadonlySet<string> = new Set([
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

/** A JSON object from `JSON.parse`: read with `Object.hasOwn` and `Object.keys` only. */
export type JsonObject = { readonly [key: string]: unknown }

/** Whether a JSON value is an object (not `null`, not an array). */
export const isObject = (u: unknown): u is JsonObject =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** What a JSON value is, for messages: "null", "an array", "a string", ... */
export const describe = (u: unknown): string =>
  u === null ? "null" : Array.isArray(u) ? "an array" : typeof u === "object" ? "an object" : `a ${typeof u}`

/** An own property of a JSON object (never one inherited from `Object.prototype`). */
export const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined)

/** Whether a JSON value is a non-negative safe integer. */
export const isCount = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 0
