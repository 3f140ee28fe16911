/**
 * The reads capability suite: the reads a store may push down equal their references over the
 * book's records, on random books. The window aggregate equals a brute-force count; `digest`,
 * `pending` and `received` equal `Store.digest`, `Store.pending` and `Store.received`; and every
 * read use case of the Partnerbook service over the store equals its rule over the whole book.
 *
 * @since 0.2.0
 */
import {
  Agenda,
  Balance,
  Compliance,
  Discovery,
  Health,
  Matrix,
  Outreach,
  Partner,
  Partnerbook,
  Portfolio,
  Progression,
  Referral,
  Store
} from "@partnerbook/core"
import { Effect, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import {
  A,
  B,
  encoders,
  storeHistory,
  digestQuery,
  type Capability,
  type CapabilitySuite,
  capabilitySuite
} from "../internal/storeSuite.js"

/** The reads capability: its title and its tests. */
export const capability: Capability = {
  title: "reads",
  register: ({ numRuns, test, withStore }) => {
    test("window - the aggregate equals a brute-force count", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.referral(A, 40, 5), { selector: (r) => r.id, maxLength: 30 }),
          fc.date({ min: new Date("1990-01-01"), max: new Date("2060-01-01"), noInvalidDate: true }),
          fc.integer({ min: 1, max: 20_000 }),
          (referrals, until, days) =>
            withStore((store) =>
              Effect.gen(function* () {
                for (const r of referrals) yield* store.referrals.put(r)
                // A referral of another book must not count.
                if (referrals[0] !== undefined)
                  yield* store.referrals.put(new Referral.Referral({ ...referrals[0], book: B }))
                const after = new Date(until.getTime() - days * 86_400_000)
                const got = yield* store.window(A, { after, until })
                const expected: Array<Store.WindowRow> = []
                const ids = [...new Set(referrals.map((r) => r.partnerId))].sort()
                for (const partnerId of ids) {
                  const inWindow = referrals.filter(
                    (r) =>
                      r.partnerId === partnerId &&
                      r.date.getTime() > after.getTime() &&
                      r.date.getTime() <= until.getTime()
                  )
                  if (inWindow.length === 0) continue
                  const sum = (dir: Referral.Direction) =>
                    inWindow
                      .filter((r) => r.direction === dir && r.status === "engaged")
                      .reduce((s, r) => s + (r.value ?? 0), 0)
                  expected.push({
                    partnerId,
                    given: inWindow.filter((r) => r.direction === "given").length,
                    received: inWindow.filter((r) => r.direction === "received").length,
                    givenValue: sum("given"),
                    receivedValue: sum("received")
                  })
                }
                expect(got.map((row) => ({ ...row }))).toEqual(expected)
              })
            )
        ),
        { numRuns }
      )
    })

    test("digest - the digests equal the reference over the book's records", async () => {
      await fc.assert(
        fc.asyncProperty(Arbitraries.history(A), digestQuery, (h, query) =>
          withStore((store) =>
            Effect.gen(function* () {
              yield* storeHistory(store, h)
              const got = yield* store.digest(A, query)
              const expected = Store.digest(
                yield* store.partners.list(A),
                yield* store.referrals.list(A),
                yield* store.interactions.list(A),
                query
              )
              expect(got).toEqual(expected)
            })
          )
        ),
        { numRuns }
      )
    })

    test("pending - the pending referrals equal the reference over the book's records", async () => {
      await fc.assert(
        fc.asyncProperty(Arbitraries.history(A), digestQuery, (h, { asOf }) =>
          withStore((store) =>
            Effect.gen(function* () {
              yield* storeHistory(store, h)
              const got = yield* store.pending(A, asOf)
              const expected = Store.pending(yield* store.referrals.list(A), asOf)
              expect(got.map((r) => encoders.referral(r))).toEqual(expected.map((r) => encoders.referral(r)))
            })
          )
        ),
        { numRuns }
      )
    })

    test("received - the received referrals up to each partner's latest received one equal the reference", async () => {
      await fc.assert(
        fc.asyncProperty(
          Arbitraries.history(A),
          digestQuery,
          fc.oneof(fc.constantFrom(365, 120, 30, 1), fc.double({ min: 0.5, max: 500, noNaN: true })),
          (h, { asOf }, days) =>
            withStore((store) =>
              Effect.gen(function* () {
                yield* storeHistory(store, h)
                const got = yield* store.received(A, { asOf, days })
                const expected = Store.received(
                  yield* store.partners.list(A),
                  yield* store.referrals.list(A),
                  { asOf, days }
                )
                expect(got).toEqual(expected)
              })
            )
        ),
        { numRuns }
      )
    })

    test("reads - every read use case over the store equals its rule over the whole book", async () => {
      await fc.assert(
        fc.asyncProperty(
          Arbitraries.history(A),
          fc.integer({ min: -420, max: 30 }),
          fc.integer({ min: 0, max: 86_399_999 }),
          fc.constantFrom(365, 120, 30),
          fc.constantFrom(1, 2, 3),
          fc.constantFrom(0, 1, 2),
          fc.constantFrom(90, 30, 400),
          (h, d, ms, windowDays, positiveInteractions, followUps, missedAfterDays) =>
            withStore((store) =>
              Effect.gen(function* () {
                yield* storeHistory(store, h)
                const asOf = new Date(Arbitraries.anchor.getTime() + d * 86_400_000 + ms)
                const pb = Partnerbook.make(store)
                const partners = yield* store.partners.list(A)
                const referrals = yield* store.referrals.list(A)
                const interactions = yield* store.interactions.list(A)
                const clients = yield* store.clients.list(A)
                const profile = Option.getOrUndefined(yield* store.profile.find(A))
                const byName = [...partners].sort(Partner.byName)
                const book = { partners, referrals, interactions, profile, asOf, windowDays }
                const options = { asOf, windowDays }

                expect(yield* pb.matrix(A, options)).toEqual(Matrix.build({ ...book, partners: byName }))
                expect(yield* pb.balance(A, options)).toEqual(Balance.report({ ...book, partners: byName }))
                const agendaOptions = { positiveInteractions, missedAfterDays }
                expect(yield* pb.agenda(A, { ...options, options: agendaOptions })).toEqual(
                  Agenda.build({ ...book, options: agendaOptions })
                )
                expect(yield* pb.health(A, options)).toEqual(Health.report(book))
                const progressionOptions = { followUps, positiveInteractions }
                expect(yield* pb.progression(A, { ...options, options: progressionOptions })).toEqual(
                  Progression.infer({ ...book, options: progressionOptions })
                )
                expect(
                  yield* pb.portfolio(A, { ...options, options: { followUps, min: 1, max: 2 } })
                ).toEqual(Portfolio.assess({ ...book, options: { followUps, min: 1, max: 2 } }))
                expect(yield* pb.outreach(A, { weekOf: asOf, perWeek: 2, windowDays })).toEqual(
                  Outreach.rotation({
                    partners,
                    referrals,
                    interactions,
                    profile,
                    weekOf: asOf,
                    // The service starts weeks on Monday 00:00 in the book's zone.
                    ...(profile?.timeZone === undefined ? {} : { timeZone: profile.timeZone }),
                    perWeek: 2,
                    windowDays
                  })
                )
                expect(yield* pb.compliance(A, { asOf })).toEqual(
                  Compliance.review({ profile, partners, referrals, asOf })
                )
                if (profile !== undefined) {
                  expect(yield* pb.discover(A, { asOf })).toEqual(
                    Discovery.discover({ profile, partners, clients, referrals, interactions, asOf })
                  )
                }
              })
            )
        ),
        { numRuns }
      )
    }, 60_000)
  }
}

/**
 * Registers the query read tests for an adapter: `window`, `digest`, `pending`, `received`, and
 * every read use case (matrix, balance, agenda, health, progression, portfolio, outreach,
 * compliance, discover) against its rule over the whole book.
 *
 * Runs alone: an adapter that keeps `Store.make`'s default reads over `list` still passes it;
 * one that pushes reads down must.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { readsSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * readsSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const readsSuite: CapabilitySuite = capabilitySuite(capability)
