/**
 * The use cases about the book's owner and its partners: the profile, adding, changing,
 * finding, searching, deleting and merging partners.
 */
import { Effect, Either, Option, Schema } from "effect"
import type { BookId } from "../../Book.js"
import { Client } from "../../Client.js"
import { Interaction } from "../../Interaction.js"
import { byName, Partner, PartnerId } from "../../Partner.js"
import { Profile } from "../../Profile.js"
import { Referral } from "../../Referral.js"
import type * as Store from "../../Store.js"
import * as InvalidInputModule from "../../InvalidInput.js"
import { checkDated, create } from "./book.js"
import {
  AddPartner,
  InvalidCommand,
  SearchPartners,
  SetProfile,
  UpdatePartner,
  type Expect
} from "./commands.js"
import {
  check,
  checkBook,
  expectedOf,
  expectRevision,
  fromEither,
  omitUndefined,
  sortById
} from "./validation.js"

export const setProfile = Effect.fn("Partnerbook.setProfile")(function* (
  store: Store.Store,
  bookInput: string,
  input: typeof SetProfile.Encoded
) {
  const book = yield* checkBook(bookInput)
  const i = yield* check(SetProfile, input)
  return yield* store.transaction(
    Effect.gen(function* () {
      const current = yield* store.profile.find(book)
      return yield* store.profile.put(
        Profile.make(
          omitUndefined({
            book,
            name: i.name,
            profession: i.profession,
            idealClient: i.idealClient ?? Option.getOrUndefined(current)?.idealClient,
            timeZone: i.timeZone ?? Option.getOrUndefined(current)?.timeZone,
            revision: Option.isSome(current) ? current.value.revision : 0
          })
        )
      )
    })
  )
})

export const getProfile = Effect.fn("Partnerbook.getProfile")(function* (
  store: Store.Store,
  bookInput: string
) {
  const book = yield* checkBook(bookInput)
  return yield* store.profile.find(book)
})

export const addPartner = Effect.fn("Partnerbook.addPartner")(function* (
  store: Store.Store,
  bookInput: string,
  input: typeof AddPartner.Encoded
) {
  const book = yield* checkBook(bookInput)
  const [i, createdAt] = yield* checkDated(store, book, AddPartner, input, "createdAt")
  return yield* create(store, book, i, {
    entity: "partner",
    command: "addPartner",
    prefix: "p-",
    find: (id) => store.partners.find(book, id),
    makeId: PartnerId.make,
    references: Effect.void,
    put: (id) =>
      store.partners.put(
        Partner.make(
          omitUndefined({
            id,
            book,
            name: i.name,
            organization: i.organization,
            profession: i.profession,
            kind: i.kind ?? "complementary",
            stage: i.stage ?? "identified",
            idealClient: i.idealClient,
            alignment: i.alignment,
            cadenceDays: i.cadenceDays,
            knowLikeTrust: i.knowLikeTrust,
            tags: i.tags ?? [],
            notes: i.notes ?? "",
            createdAt,
            externalId: i.externalId,
            revision: 0
          })
        )
      )
  })
})

/** The book and the partner id arguments, checked; the id is recorded on the span. */
const checkPartner = (bookInput: string, id: string, field = "id") =>
  Effect.all([checkBook(bookInput), check(PartnerId, id, field)]).pipe(
    Effect.tap(([, partnerId]) => Effect.annotateCurrentSpan(`partnerbook.${field}`, partnerId))
  )

export const updatePartner = Effect.fn("Partnerbook.updatePartner")(function* (
  store: Store.Store,
  bookInput: string,
  id: string,
  changes: typeof UpdatePartner.Encoded,
  options?: Expect
) {
  const [book, partnerId] = yield* checkPartner(bookInput, id)
  const c = yield* check(UpdatePartner, changes)
  const expected = yield* expectedOf(options)
  return yield* store.transaction(
    Effect.gen(function* () {
      const current = yield* store.partners.get(book, partnerId)
      yield* expectRevision("partner", current, expected)
      const merged: Record<string, unknown> = { ...current }
      for (const [key, value] of Object.entries(c)) {
        if (value === undefined) continue
        if (value === null) delete merged[key]
        else merged[key] = value
      }
      return yield* store.partners.put(Partner.make(merged as unknown as Partner))
    })
  )
})

export const getPartner = Effect.fn("Partnerbook.getPartner")(function* (
  store: Store.Store,
  bookInput: string,
  id: string
) {
  const [book, partnerId] = yield* checkPartner(bookInput, id)
  return yield* store.partners.get(book, partnerId)
})

export const listPartners = Effect.fn("Partnerbook.listPartners")(function* (
  store: Store.Store,
  bookInput: string
) {
  const book = yield* checkBook(bookInput)
  return [...(yield* store.partners.list(book))].sort(byName)
})

/** A partner's referrals, interactions and the clients it was the source of, each in id order. */
const historyOf = (store: Store.Store, book: BookId, partnerId: PartnerId) =>
  Effect.all({
    referrals: Effect.map(store.referrals.list(book, { partnerId }), sortById),
    interactions: Effect.map(store.interactions.list(book, { partnerId }), sortById),
    clients: Effect.map(store.clients.list(book, { partnerId }), sortById)
  })

export const deletePartner = Effect.fn("Partnerbook.deletePartner")(function* (
  store: Store.Store,
  bookInput: string,
  id: string,
  options: Expect & { readonly cascade?: boolean } = {}
) {
  const [book, partnerId] = yield* checkPartner(bookInput, id)
  const expected = yield* expectedOf(options)
  const cascade =
    options.cascade === undefined ? false : yield* check(Schema.Boolean, options.cascade, "cascade")
  return yield* store.transaction(
    Effect.gen(function* () {
      const current = yield* store.partners.get(book, partnerId)
      yield* expectRevision("partner", current, expected)
      const { referrals, interactions, clients } = yield* historyOf(store, book, partnerId)
      const history = referrals.length + interactions.length + clients.length
      if (history > 0 && !cascade) {
        return yield* new InvalidCommand({
          command: "deletePartner",
          message: `cascade: partner ${JSON.stringify(partnerId)} has history (${referrals.length} referrals, ${interactions.length} interactions, ${clients.length} clients it was the source of); pass { cascade: true } to delete it with its referrals and interactions, or merge it into another partner`
        })
      }
      for (const r of referrals) yield* store.referrals.remove(book, r.id, r.revision)
      for (const x of interactions) yield* store.interactions.remove(book, x.id, x.revision)
      for (const c of clients) yield* store.clients.put(Client.make({ ...c, source: { _tag: "other" } }))
      yield* store.partners.remove(book, partnerId, current.revision)
      return {
        partners: 1,
        referrals: referrals.length,
        interactions: interactions.length,
        clients: clients.length
      }
    })
  )
})

export const mergePartners = Effect.fn("Partnerbook.mergePartners")(function* (
  store: Store.Store,
  bookInput: string,
  keepInput: string,
  duplicateInput: string
) {
  const [book, keepId] = yield* checkPartner(bookInput, keepInput, "keepId")
  const duplicateId = yield* check(PartnerId, duplicateInput, "duplicateId")
  yield* Effect.annotateCurrentSpan("partnerbook.duplicateId", duplicateId)
  if (keepId === duplicateId) {
    return yield* new InvalidCommand({
      command: "mergePartners",
      message: `duplicateId: cannot merge partner ${JSON.stringify(keepId)} into itself`
    })
  }
  return yield* store.transaction(
    Effect.gen(function* () {
      const keep = yield* store.partners.get(book, keepId)
      const duplicate = yield* store.partners.get(book, duplicateId)
      const { referrals, interactions, clients } = yield* historyOf(store, book, duplicateId)
      for (const r of referrals) yield* store.referrals.put(Referral.make({ ...r, partnerId: keepId }))
      for (const x of interactions)
        yield* store.interactions.put(Interaction.make({ ...x, partnerId: keepId }))
      for (const c of clients)
        yield* store.clients.put(Client.make({ ...c, source: { _tag: "partner", partnerId: keepId } }))
      yield* store.partners.remove(book, duplicateId, duplicate.revision)
      return yield* store.partners.put(
        Partner.make(
          omitUndefined({
            ...keep,
            organization: keep.organization ?? duplicate.organization,
            idealClient: keep.idealClient ?? duplicate.idealClient,
            alignment: keep.alignment ?? duplicate.alignment,
            cadenceDays: keep.cadenceDays ?? duplicate.cadenceDays,
            knowLikeTrust: keep.knowLikeTrust ?? duplicate.knowLikeTrust,
            externalId: keep.externalId ?? duplicate.externalId,
            notes: keep.notes === "" ? duplicate.notes : keep.notes,
            tags: [...new Set([...keep.tags, ...duplicate.tags])]
          })
        )
      )
    })
  )
})

/** The search key of a text: NFD, diacritics stripped, lower case. */
const searchKey = (text: string): string => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()

const compareKeys = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0

const encodeCursor = (key: readonly [string, string]): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(["v1", key[0], key[1]]))
  let binary = ""
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
}

const decodeCursor = (
  cursor: string
): Either.Either<readonly [string, string], InvalidInputModule.InvalidInput> => {
  const bad = Either.left(InvalidInputModule.make("cursor", "Expected the nextCursor of a previous page"))
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    const parsed: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === "v1" &&
      typeof parsed[1] === "string" &&
      typeof parsed[2] === "string"
    )
      return Either.right([parsed[1], parsed[2]] as const)
    return bad
  } catch {
    return bad
  }
}

export const searchPartners = Effect.fn("Partnerbook.searchPartners")(function* (
  store: Store.Store,
  bookInput: string,
  query: typeof SearchPartners.Encoded = {}
) {
  const book = yield* checkBook(bookInput)
  const q = yield* check(SearchPartners, query)
  const after = q.cursor === undefined ? undefined : yield* fromEither(decodeCursor(q.cursor))
  const limit = q.limit ?? 50
  const text = q.text === undefined ? "" : searchKey(q.text.trim())
  const partners = yield* store.partners.list(book)
  const hits: Array<readonly [readonly [string, string], Partner]> = []
  for (const p of partners) {
    if (q.stage !== undefined && p.stage !== q.stage) continue
    if (q.tag !== undefined && !p.tags.includes(q.tag)) continue
    if (
      text !== "" &&
      ![p.name, p.organization ?? "", p.profession, ...p.tags].some((field) =>
        searchKey(field).includes(text)
      )
    )
      continue
    const key = [searchKey(p.name), p.id] as const
    if (after !== undefined && compareKeys(key, after) <= 0) continue
    hits.push([key, p])
  }
  hits.sort((a, b) => compareKeys(a[0], b[0]))
  const items = hits.slice(0, limit).map(([, p]) => p)
  return hits.length > limit ? { items, nextCursor: encodeCursor(hits[limit - 1]![0]) } : { items }
})
