/**
 * The use cases a sync with another system reads: records by their external id, and the
 * book's change feed.
 */
import { Effect, Schema } from "effect"
import { ExternalId } from "../../Book.js"
import type * as Store from "../../Store.js"
import { ChangesQuery } from "./commands.js"
import { check, checkBook, omitUndefined } from "./validation.js"

const Entity = Schema.Literal("partner", "referral", "interaction", "client")

export const findByExternalId = Effect.fn("Partnerbook.findByExternalId")(function* (
  store: Store.Store,
  bookInput: string,
  entity: Store.ExternalEntity,
  externalId: string
) {
  const book = yield* checkBook(bookInput)
  const kind = yield* check(Entity, entity, "entity")
  const x = yield* check(ExternalId, externalId, "externalId")
  return yield* store.findByExternalId(kind, book, x)
})

export const changes = Effect.fn("Partnerbook.changes")(function* (
  store: Store.Store,
  bookInput: string,
  query: typeof ChangesQuery.Encoded = {}
) {
  const book = yield* checkBook(bookInput)
  const q = yield* check(ChangesQuery, query)
  return yield* store.changes(book, omitUndefined({ after: q.after, limit: q.limit }))
})
