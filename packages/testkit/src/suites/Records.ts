/**
 * The records capability suite: what every store does with single records. Every entity
 * survives put and get unchanged (generated values, awkward strings, 100 kB notes), an absent
 * record is `NotFound`, a record that violates its schema is `InvalidData` and is not written,
 * books never see each other's records, `list` by partner and date range equals a filter over
 * everything, `books()` lists the books that hold records, and `erase` removes every record of
 * one book in one transaction.
 *
 * @since 0.2.0
 */
import { BookDocument, Partner, Referral, Store, StoreError } from "@partnerbook/core"
import { Effect, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import {
  A,
  B,
  encoders,
  encodeAny,
  type Capability,
  type CapabilitySuite,
  capabilitySuite
} from "../internal/storeSuite.js"

/** The records capability: its title and its tests. */
export const capability: Capability = {
  title: "records",
  register: ({ numRuns, test, withStore }) => {
    test("round trip - every entity survives put and get unchanged", async () => {
      await fc.assert(
        fc.asyncProperty(
          Arbitraries.profile(A),
          Arbitraries.partner(A),
          Arbitraries.referral(A),
          Arbitraries.interaction(A),
          Arbitraries.client(A),
          (profile, partner, referral, interaction, client) =>
            withStore((store) =>
              Effect.gen(function* () {
                const stored = {
                  profile: yield* store.profile.put(profile),
                  partner: yield* store.partners.put(partner),
                  referral: yield* store.referrals.put(referral),
                  interaction: yield* store.interactions.put(interaction),
                  client: yield* store.clients.put(client)
                }
                const read = {
                  profile: yield* store.profile.get(A),
                  partner: yield* store.partners.get(A, partner.id),
                  referral: yield* store.referrals.get(A, referral.id),
                  interaction: yield* store.interactions.get(A, interaction.id),
                  client: yield* store.clients.get(A, client.id)
                }
                const original = { profile, partner, referral, interaction, client }
                for (const kind of ["profile", "partner", "referral", "interaction", "client"] as const) {
                  expect(stored[kind].revision).toBe(1)
                  expect(encodeAny(kind, read[kind])).toEqual(
                    encodeAny(kind, { ...original[kind], revision: 1 })
                  )
                  expect(read[kind]).toBeInstanceOf(Store.schemas[kind])
                }
                const listed = yield* store.partners.list(A)
                expect(listed.map((p) => encoders.partner(p))).toEqual([encoders.partner(read.partner)])
              })
            )
        ),
        { numRuns }
      )
    })

    test("round trip - awkward strings and 100 kB notes", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          for (const [i, text] of [...Arbitraries.awkwardStrings, Arbitraries.largeText].entries()) {
            const id = Partner.PartnerId.make(text.trim() === "" ? `blank-${i}` : text.trim().slice(0, 200))
            const x = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: i })[0]!
            const tag = text.slice(0, 100).trim() || "x"
            const p = yield* store.partners.put(
              new Partner.Partner({
                ...Arbitraries.withExternalId(x, id, false),
                id,
                name: "__proto__",
                notes: text,
                tags: [tag]
              })
            )
            const back = yield* store.partners.get(A, id)
            expect(encoders.partner(back)).toEqual(encoders.partner(p))
            expect(back.notes).toBe(text)
          }
          const all = yield* store.partners.list(A)
          expect(all.length).toBe(Arbitraries.awkwardStrings.length + 1)
          expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false)
        })
      )
    })

    test("not found - get and remove of an absent record", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const id = Partner.PartnerId.make("nobody")
          const e1 = yield* Effect.flip(store.partners.get(A, id))
          expect(e1).toBeInstanceOf(StoreError.NotFound)
          expect(e1).toMatchObject({ _tag: "NotFound", entity: "partner", book: A, id: "nobody" })
          expect(e1.message).toContain("nobody")
          const e2 = yield* Effect.flip(store.referrals.remove(A, Referral.ReferralId.make("nothing")))
          expect(e2).toMatchObject({ _tag: "NotFound", entity: "referral" })
          const e3 = yield* Effect.flip(store.profile.get(A))
          expect(e3).toMatchObject({ _tag: "NotFound", entity: "profile" })
        })
      )
    })

    test("isolation - books never see each other's records", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.bookId, { minLength: 2, maxLength: 2 }),
          Arbitraries.partner(A),
          Arbitraries.referral(A),
          ([bookA, bookB], p, r) =>
            withStore((store) =>
              Effect.gen(function* () {
                if (bookA === undefined || bookB === undefined) return
                const inA = yield* store.partners.put(
                  new Partner.Partner({ ...p, book: bookA, name: "In A" })
                )
                yield* store.partners.put(new Partner.Partner({ ...p, book: bookB, name: "In B" }))
                yield* store.referrals.put(new Referral.Referral({ ...r, book: bookA }))
                expect((yield* store.partners.get(bookA, p.id)).name).toBe("In A")
                expect((yield* store.partners.get(bookB, p.id)).name).toBe("In B")
                expect((yield* store.referrals.list(bookB)).length).toBe(0)
                expect(Option.isNone(yield* store.referrals.find(bookB, r.id))).toBe(true)
                const far = new Date("2100-01-01T00:00:00.000Z")
                const near = new Date("1900-01-01T00:00:00.000Z")
                expect(yield* store.window(bookB, { after: near, until: far })).toEqual([])
                yield* store.partners.remove(bookA, p.id, inA.revision)
                expect((yield* store.partners.get(bookB, p.id)).name).toBe("In B")
                const docB = yield* store.exportBook(bookB)
                expect(docB.partners.length).toBe(1)
                expect(docB.referrals.length).toBe(0)
              })
            )
        ),
        { numRuns }
      )
    })

    test("query - list by partner and date range equals a filter over everything", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.referral(A, 12), { selector: (r) => r.id, maxLength: 12 }),
          fc.uniqueArray(Arbitraries.interaction(A, 12), { selector: (r) => r.id, maxLength: 8 }),
          fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
          fc.option(
            fc.date({ min: new Date("1990-01-01"), max: new Date("2060-01-01"), noInvalidDate: true }),
            { nil: undefined }
          ),
          fc.option(
            fc.date({ min: new Date("1990-01-01"), max: new Date("2060-01-01"), noInvalidDate: true }),
            { nil: undefined }
          ),
          (referrals, interactions, partner, after, until) =>
            withStore((store) =>
              Effect.gen(function* () {
                for (const r of referrals) yield* store.referrals.put(r)
                for (const x of interactions) yield* store.interactions.put(x)
                const query: Store.Query = {
                  partnerId: partner === undefined ? undefined : Partner.PartnerId.make(`id-${partner}`),
                  after,
                  until
                }
                const expectR = referrals
                  .filter((r) => Store.matches("referral", r, query))
                  .map((r) => r.id)
                  .sort()
                const gotR = (yield* store.referrals.list(A, query)).map((r) => r.id).sort()
                expect(gotR).toEqual(expectR)
                const expectI = interactions
                  .filter((x) => Store.matches("interaction", x, query))
                  .map((x) => x.id)
                  .sort()
                const gotI = (yield* store.interactions.list(A, query)).map((x) => x.id).sort()
                expect(gotI).toEqual(expectI)
              })
            )
        ),
        { numRuns }
      )
    })

    test("invalid data - a record that violates its schema is refused", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 3 })[0]!
          const bad = new Partner.Partner({ ...p, alignment: 7 }, { disableValidation: true })
          const error = yield* Effect.flip(store.partners.put(bad))
          expect(error).toBeInstanceOf(StoreError.InvalidData)
          expect(error).toMatchObject({ _tag: "InvalidData" })
          expect((error as StoreError.InvalidData).path).toContain("alignment")
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
        })
      )
    })

    test("books - lists the books that hold records", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          expect(yield* store.books()).toEqual([])
          const [p, r] = [
            fc.sample(Arbitraries.partner(B), { numRuns: 1, seed: 8 })[0]!,
            fc.sample(Arbitraries.referral(A), { numRuns: 1, seed: 9 })[0]!
          ]
          yield* store.partners.put(p)
          const stored = yield* store.referrals.put(r)
          expect(yield* store.books()).toEqual([A, B])
          yield* store.referrals.remove(A, r.id, stored.revision)
          expect(yield* store.books()).toEqual([B])
        })
      )
    })

    test("erase - removes every record of one book in one transaction, the feed goes on", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const seed = 41
          yield* store.profile.put(fc.sample(Arbitraries.profile(A), { numRuns: 1, seed })[0]!)
          for (const p of fc.sample(Arbitraries.partner(A, 1000), { numRuns: 3, seed }))
            yield* Effect.ignore(store.partners.put(p))
          for (const r of fc.sample(Arbitraries.referral(A, 1000), { numRuns: 2, seed }))
            yield* Effect.ignore(store.referrals.put(r))
          for (const x of fc.sample(Arbitraries.interaction(A, 1000), { numRuns: 2, seed }))
            yield* Effect.ignore(store.interactions.put(x))
          for (const c of fc.sample(Arbitraries.client(A, 1000), { numRuns: 2, seed }))
            yield* Effect.ignore(store.clients.put(c))
          const other = yield* store.partners.put(fc.sample(Arbitraries.partner(B), { numRuns: 1, seed })[0]!)
          const before = yield* store.exportBook(A)
          const lastBefore = (yield* store.changes(A)).last
          const counts = yield* store.erase(A)
          expect(counts).toEqual(BookDocument.counts(before))
          const after = yield* store.exportBook(A)
          expect(BookDocument.counts(after)).toEqual({
            profile: 0,
            partners: 0,
            referrals: 0,
            interactions: 0,
            clients: 0
          })
          const feed = yield* store.changes(A, { after: lastBefore })
          const total = Object.values(counts).reduce((a, b) => a + b, 0)
          expect(feed.last).toBe(lastBefore + total)
          expect(feed.changes.every((c) => c.op === "delete")).toBe(true)
          expect(yield* store.books()).toEqual([B])
          expect(yield* store.partners.get(B, other.id)).toBeDefined()
          // Nothing is left to leak: the feed holds ids and kinds, no field of a record.
          for (const c of (yield* store.changes(A)).changes)
            expect(Object.keys(c).sort()).toEqual(["entity", "id", "op", "sequence"])
          // The sequence is never reused.
          const again = yield* store.partners.put(
            fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 42 })[0]!
          )
          expect((yield* store.changes(A, { after: feed.last })).changes).toEqual([
            { sequence: feed.last + 1, entity: "partner", id: again.id, op: "put", revision: 1 }
          ])
        })
      )
    })
  }
}

/**
 * Registers the records tests for an adapter: round trips of every entity, not found, invalid
 * data, book isolation, queries by partner and date range, `books()` and `erase`. The isolation
 * and erase tests also read through `window`, `exportBook` and `changes`.
 *
 * The suite runs alone, so an adapter that implements only some capabilities runs the suites
 * of those (every store needs this one); {@link suite} runs them all.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { recordsSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * recordsSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const recordsSuite: CapabilitySuite = capabilitySuite(capability)
