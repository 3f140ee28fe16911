/**
 * The use cases about what happens with partners: referrals (logged, moved, thanked, their
 * loop closed), interactions and clients, listed and deleted.
 */
import { Effect, Either, type Schema } from "effect"
import type { BookId } from "../../Book.js"
import { Client, ClientId } from "../../Client.js"
import { Interaction, InteractionId } from "../../Interaction.js"
import * as ReferralModule from "../../Referral.js"
import { Referral, ReferralId, Status } from "../../Referral.js"
import type * as Store from "../../Store.js"
import type { NotFound, RevisionConflict, StoreError } from "../../StoreError.js"
import { checkDated, create, dayArg, requirePartner, zoneOf } from "./book.js"
import {
  AddClient,
  Amount,
  InvalidCommand,
  ListQuery,
  LogInteraction,
  LogReferral,
  type DatedChange,
  type Expect
} from "./commands.js"
import {
  byDate,
  check,
  checkBook,
  dateOfOptions,
  expectedOf,
  expectRevision,
  fromEither,
  localizeFields,
  omitUndefined
} from "./validation.js"

const logReferral = (direction: ReferralModule.Direction) => {
  const command = direction === "given" ? "giveReferral" : "receiveReferral"
  return Effect.fn(`Partnerbook.${command}`)(function* (
    store: Store.Store,
    bookInput: string,
    input: typeof LogReferral.Encoded
  ) {
    const book = yield* checkBook(bookInput)
    const [i, date] = yield* checkDated(store, book, LogReferral, input, "date")
    return yield* create(store, book, i, {
      entity: "referral",
      command,
      prefix: "r-",
      given: { ...i, client: i.client, direction },
      find: (id) => store.referrals.find(book, id),
      makeId: ReferralId.make,
      references: requirePartner(store, book, i.partnerId),
      put: (id) =>
        store.referrals.put(
          Referral.make(
            omitUndefined({
              id,
              book,
              partnerId: i.partnerId,
              direction,
              client: i.client ?? "",
              date,
              status: "introduced" as const,
              value: i.value,
              fee: i.fee,
              notes: i.notes,
              externalId: i.externalId,
              revision: 0
            })
          )
        )
    })
  })
}

export const giveReferral = logReferral("given")
export const receiveReferral = logReferral("received")

/** The book and the referral id arguments, checked; the id is recorded on the span. */
const checkReferral = (bookInput: string, id: string) =>
  Effect.all([checkBook(bookInput), check(ReferralId, id, "id")]).pipe(
    Effect.tap(([, rid]) => Effect.annotateCurrentSpan("partnerbook.id", rid))
  )

/**
 * Changes one referral in a transaction, at the expected revision: `change` refuses with an
 * InvalidCommand, or returns the next referral (the same one: nothing is written).
 */
const updateReferral = (
  store: Store.Store,
  book: BookId,
  id: ReferralId,
  change: (r: Referral) => Either.Either<Referral, InvalidCommand>,
  expected: number | undefined
) =>
  store.transaction(
    Effect.gen(function* () {
      const current = yield* store.referrals.get(book, id)
      yield* expectRevision("referral", current, expected)
      const next = yield* fromEither(change(current))
      if (next === current) return current
      return yield* store.referrals.put(next)
    })
  )

export const moveReferral = Effect.fn("Partnerbook.moveReferral")(function* (
  store: Store.Store,
  bookInput: string,
  id: string,
  status: ReferralModule.Status,
  options: { readonly date?: Date | string; readonly value?: number } & Expect = {}
) {
  const [book, rid] = yield* checkReferral(bookInput, id)
  const s = yield* check(Status, status, "status")
  const value = options.value === undefined ? undefined : yield* check(Amount, options.value, "value")
  const at = yield* dayArg(store, book, options.date, "date")
  const expected = yield* expectedOf(options)
  return yield* updateReferral(
    store,
    book,
    rid,
    (r) => {
      if (!ReferralModule.canMove(r.status, s)) {
        return Either.left(
          new InvalidCommand({
            command: "moveReferral",
            message: `status: referral ${r.id} is ${r.status} and cannot move to ${s} (only forwards: introduced -> contacted -> engaged | not-engaged)`
          })
        )
      }
      if (at.getTime() < r.date.getTime()) {
        return Either.left(
          new InvalidCommand({
            command: "moveReferral",
            message: `date: the status cannot change before the referral was made (${r.date.toISOString().slice(0, 10)})`
          })
        )
      }
      return Either.right(ReferralModule.moveTo(r, s, at, value))
    },
    expected
  )
})

/**
 * Thank-you and close-the-loop: a dated acknowledgement of a received referral, recorded
 * once (doing it again keeps the first date). A given referral is refused with `whenGiven`;
 * `refuse` may refuse a received one.
 */
const acknowledge = (
  command: "thankReferral" | "closeLoop",
  field: "thankedAt" | "loopClosedAt",
  whenGiven: string,
  refuse: (r: Referral) => string | undefined = () => undefined
) =>
  Effect.fn(`Partnerbook.${command}`)(function* (
    store: Store.Store,
    bookInput: string,
    id: string,
    options?: Date | string | DatedChange
  ) {
    const [book, rid] = yield* checkReferral(bookInput, id)
    const at = yield* dayArg(store, book, dateOfOptions(options), "date")
    const expected = yield* expectedOf(options)
    return yield* updateReferral(
      store,
      book,
      rid,
      (r) => {
        const refusal = r.direction !== "received" ? `referral ${r.id} ${whenGiven}` : refuse(r)
        if (refusal !== undefined) return Either.left(new InvalidCommand({ command, message: refusal }))
        return r[field] !== undefined ? Either.right(r) : Either.right(Referral.make({ ...r, [field]: at }))
      },
      expected
    )
  })

export const thankReferral = acknowledge(
  "thankReferral",
  "thankedAt",
  "was given, not received: a thank-you is owed for referrals you receive"
)

export const closeLoop = acknowledge(
  "closeLoop",
  "loopClosedAt",
  "was given, not received: close the loop with the partner who referred a client to you",
  (r) =>
    ReferralModule.isClosed(r)
      ? undefined
      : `referral ${r.id} is still ${r.status}: record its outcome (engaged or not-engaged) first`
)

/** The book and a list query, its dates read in the book's zone. */
const checkListQuery = (store: Store.Store, bookInput: string, query: typeof ListQuery.Encoded | undefined) =>
  Effect.gen(function* () {
    const book = yield* checkBook(bookInput)
    if (query === undefined) return [book, undefined] as const
    const zone = yield* zoneOf(store, book)
    const q = yield* check(ListQuery, localizeFields(zone, query, ["after", "until"]), "query")
    return [book, omitUndefined(q) as Store.Query] as const
  })

/** A list use case: the records of a query (one partner, dates), by date then id. */
const listByDate = <A extends { readonly id: string; readonly date: Date }>(
  command: string,
  list: (
    store: Store.Store,
    book: BookId,
    query: Store.Query | undefined
  ) => Effect.Effect<ReadonlyArray<A>, StoreError>
) =>
  Effect.fn(`Partnerbook.${command}`)(function* (
    store: Store.Store,
    bookInput: string,
    query?: typeof ListQuery.Encoded
  ) {
    const [book, q] = yield* checkListQuery(store, bookInput, query)
    return [...(yield* list(store, book, q))].sort(byDate((r) => r.date))
  })

export const listReferrals = listByDate("listReferrals", (store, book, q) => store.referrals.list(book, q))

export const logInteraction = Effect.fn("Partnerbook.logInteraction")(function* (
  store: Store.Store,
  bookInput: string,
  input: typeof LogInteraction.Encoded
) {
  const book = yield* checkBook(bookInput)
  const [i, date] = yield* checkDated(store, book, LogInteraction, input, "date")
  return yield* create(store, book, i, {
    entity: "interaction",
    command: "logInteraction",
    prefix: "i-",
    find: (id) => store.interactions.find(book, id),
    makeId: InteractionId.make,
    references: requirePartner(store, book, i.partnerId),
    put: (id) =>
      store.interactions.put(
        Interaction.make(
          omitUndefined({
            id,
            book,
            partnerId: i.partnerId,
            kind: i.kind,
            date,
            positive: i.positive,
            notes: i.notes,
            externalId: i.externalId,
            revision: 0
          })
        )
      )
  })
})

export const listInteractions = listByDate("listInteractions", (store, book, q) =>
  store.interactions.list(book, q)
)

export const addClient = Effect.fn("Partnerbook.addClient")(function* (
  store: Store.Store,
  bookInput: string,
  input: typeof AddClient.Encoded
) {
  const book = yield* checkBook(bookInput)
  const [i, acquiredAt] = yield* checkDated(store, book, AddClient, input, "acquiredAt")
  const source = i.source ?? { _tag: "other" as const }
  return yield* create(store, book, i, {
    entity: "client",
    command: "addClient",
    prefix: "c-",
    find: (id) => store.clients.find(book, id),
    makeId: ClientId.make,
    references: source._tag === "partner" ? requirePartner(store, book, source.partnerId) : Effect.void,
    put: (id) =>
      store.clients.put(
        Client.make(
          omitUndefined({
            id,
            book,
            label: i.label,
            acquiredAt,
            source,
            askedAbout: i.askedAbout ?? [],
            externalId: i.externalId,
            revision: 0
          })
        )
      )
  })
})

export const listClients = Effect.fn("Partnerbook.listClients")(function* (
  store: Store.Store,
  bookInput: string
) {
  const book = yield* checkBook(bookInput)
  return [...(yield* store.clients.list(book))].sort(byDate((x) => x.acquiredAt))
})

/** Deletes one record by id, at the expected revision when one is given. */
const deleteOne = <I extends string>(
  command: string,
  schema: Schema.Schema<I, string>,
  remove: (
    store: Store.Store,
    book: BookId,
    id: I,
    revision: number | undefined
  ) => Effect.Effect<void, NotFound | RevisionConflict | StoreError>
) =>
  Effect.fn(`Partnerbook.${command}`)(function* (
    store: Store.Store,
    bookInput: string,
    id: string,
    options?: Expect
  ) {
    const book = yield* checkBook(bookInput)
    const rid = yield* check(schema, id, "id")
    yield* Effect.annotateCurrentSpan("partnerbook.id", rid)
    const expected = yield* expectedOf(options)
    return yield* remove(store, book, rid, expected)
  })

export const deleteReferral = deleteOne("deleteReferral", ReferralId, (store, book, id, revision) =>
  store.referrals.remove(book, id, revision)
)

export const deleteInteraction = deleteOne("deleteInteraction", InteractionId, (store, book, id, revision) =>
  store.interactions.remove(book, id, revision)
)

export const deleteClient = deleteOne("deleteClient", ClientId, (store, book, id, revision) =>
  store.clients.remove(book, id, revision)
)
