/**
 * Writing a book: each record's JSON text as the file holds it (its bytes computed once and
 * kept with the record, see `state.ts`) and the whole file assembled from those pieces, byte
 * for byte `JSON.stringify(file, null, 2) + "\n"` (see `format.ts`).
 *
 * @internal
 */
import { BookDocument, Store } from "@partnerbook/core"
import * as RecordDecoder from "./decoder.js"
import * as Feed from "./feed.js"
import { listKeys, storeFormat, storeVersion } from "./layout.js"
import type * as State from "./state.js"

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
      .map((c) => `    ${JSON.stringify(Feed.toJson(c), null, 2).replaceAll("\n", "\n    ")}`)
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
