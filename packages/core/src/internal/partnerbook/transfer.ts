/**
 * The use cases that move a whole book: export, import into an empty book, erase.
 */
import { Effect } from "effect"
import * as BookDocument from "../../BookDocument.js"
import type * as Store from "../../Store.js"
import { InvalidData } from "../../StoreError.js"
import { checkBook, fromEither } from "./validation.js"

/**
 * The first record of a document that names a partner the document does not hold: a
 * referral or interaction's `partnerId`, a client's source partner. The service keeps
 * references whole, so an import must not bring in what it would refuse to write.
 */
const danglingReference = (document: BookDocument.BookDocument): InvalidData | undefined => {
  const partners = new Set<string>(document.partners.map((p) => p.id))
  const dangling = (path: string, what: string, id: string, partnerId: string) =>
    new InvalidData({
      path,
      message: `${path}: ${what} ${JSON.stringify(id)} names partner ${JSON.stringify(partnerId)}, which is not in the document`
    })
  for (const [i, r] of document.referrals.entries()) {
    if (!partners.has(r.partnerId)) return dangling(`referrals.${i}.partnerId`, "referral", r.id, r.partnerId)
  }
  for (const [i, x] of document.interactions.entries()) {
    if (!partners.has(x.partnerId))
      return dangling(`interactions.${i}.partnerId`, "interaction", x.id, x.partnerId)
  }
  for (const [i, c] of document.clients.entries()) {
    if (c.source._tag === "partner" && !partners.has(c.source.partnerId))
      return dangling(`clients.${i}.source.partnerId`, "client", c.id, c.source.partnerId)
  }
  return undefined
}

export const exportBook = Effect.fn("Partnerbook.exportBook")(function* (
  store: Store.Store,
  bookInput: string
) {
  const book = yield* checkBook(bookInput)
  return yield* store.exportBook(book)
})

export const importBook = Effect.fn("Partnerbook.importBook")(function* (
  store: Store.Store,
  bookInput: string,
  json: unknown
) {
  const book = yield* checkBook(bookInput)
  // A decoded document (what exportBook returns) is checked as its JSON, like any other.
  const input = json instanceof BookDocument.BookDocument ? BookDocument.encode(json) : json
  const document = yield* fromEither(BookDocument.decode(input))
  const dangling = danglingReference(document)
  if (dangling !== undefined) return yield* dangling
  return yield* store.importBook(document, { book })
})

export const erase = Effect.fn("Partnerbook.erase")(function* (store: Store.Store, bookInput: string) {
  const book = yield* checkBook(bookInput)
  return yield* store.erase(book)
})
