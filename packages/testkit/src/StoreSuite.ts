/**
 * The conformance suite every Store adapter runs: round trips of every entity, book
 * isolation, revision conflicts, queries, the window aggregate, transactions, export and
 * import, and a model-based test against a plain Map.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { suite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * suite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.1.0
 */
import {
  Agenda,
  Balance,
  Book,
  BookDocument,
  Compliance,
  Discovery,
  Health,
  Interaction,
  Matrix,
  Outreach,
  Partner,
  Partnerbook,
  Portfolio,
  Progression,
  Referral,
  Store,
  StoreError
} from "@partnerbook/core"
import { Cause, Effect, Exit, FastCheck as fc, type Layer, ManagedRuntime, Option, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "./Arbitraries.js"
import * as Model from "./Model.js"

/**
 * Options of {@link suite}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Tests this adapter cannot run, by test name, each with the reason (printed in the test name). */
  readonly skip?: Readonly<Record<string, string>>
  /** Runs per property (default 25; the model-based test runs a fifth as many, each longer). */
  readonly numRuns?: number
}

/**
 * The names of the suite's tests, for {@link Options.skip}.
 *
 * @since 0.1.0
 * @category constants
 */
export const testNames = [
  "round trip - every entity survives put and get unchanged",
  "round trip - awkward strings and 100 kB notes",
  "revision - a new record must carry revision 0",
  "revision - a stale write fails and changes nothing",
  "revision - remove with a stale revision fails and keeps the record",
  "not found - get and remove of an absent record",
  "isolation - books never see each other's records",
  "query - list by partner and date range equals a filter over everything",
  "window - the aggregate equals a brute-force count",
  "digest - the digests equal the reference over the book's records",
  "pending - the pending referrals equal the reference over the book's records",
  "received - the received referrals up to each partner's latest received one equal the reference",
  "reads - every read use case over the store equals its rule over the whole book",
  "transaction - a failing transaction leaves nothing behind",
  "transaction - nested transactions commit together",
  "invalid data - a record that violates its schema is refused",
  "export - export, import into another store, export gives the same document",
  "import - into a non-empty book fails and changes nothing",
  "import - a malformed document is InvalidData naming the path",
  "books - lists the books that hold records",
  "model - random command sequences agree with a Map model",
  "changes - every write appends the next sequence; a record keeps only its latest change",
  "changes - a failed transaction appends nothing; books have their own sequences",
  "changes - an import appends one put per record, after what the book had",
  "external id - unique per book and kind; findByExternalId finds the record",
  "erase - removes every record of one book in one transaction, the feed goes on",
  "service - expectedRevision: the second of two editors gets RevisionConflict, nothing written",
  "service - deletePartner refuses with history; cascade removes it all in one transaction",
  "service - mergePartners moves history, fills empty fields, unites tags",
  "service - a retried create with the same externalId returns the record unchanged",
  "service - searchPartners pages through every match once, accent-insensitive, in a stable order"
] as const

/**
 * A test name of the suite.
 *
 * @since 0.1.0
 * @category models
 */
export type TestName = (typeof testNames)[number]

const A = Book.BookId.make("alice")
const B = Book.BookId.make("bob")

const encoders = {
  partner: Schema.encodeSync(Partner.Partner),
  referral: Schema.encodeSync(Referral.Referral),
  interaction: Schema.encodeSync(Interaction.Interaction)
}

const encodeAny = (kind: Store.CollectionEntity | "profile", record: unknown): unknown =>
  Schema.encodeSync(Store.schemas[kind] as unknown as Schema.Schema<unknown, unknown>)(record)

const sortById = <T extends { readonly id: string }>(xs: ReadonlyArray<T>): Array<T> =>
  [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

type History = typeof Arbitraries.history extends (book: Book.BookId) => fc.Arbitrary<infer H> ? H : never

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

/**
 * Registers the conformance suite for an adapter. `makeLayer` is called once per test (and
 * once per property run) and must return a fresh, empty, isolated store.
 *
 * @since 0.1.0
 * @category suites
 */
export const suite = (
  name: string,
  makeLayer: () => Layer.Layer<Store.Store, unknown>,
  options: Options = {}
): void => {
  const numRuns = options.numRuns ?? 25
  const withStore = async <A>(f: (store: Store.Store) => Effect.Effect<A, unknown>): Promise<A> => {
    const runtime = ManagedRuntime.make(makeLayer())
    try {
      return await runtime.runPromise(Effect.flatMap(Store.Store, f))
    } finally {
      await runtime.dispose()
    }
  }
  const test = (title: TestName, body: () => Promise<void>, timeout?: number): void => {
    const reason = options.skip?.[title]
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body)
    else it(title, body, timeout)
  }

  describe(`Store conformance: ${name}`, () => {
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

    test("revision - a new record must carry revision 0", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 1 })[0]!
          const error = yield* Effect.flip(store.partners.put(new Partner.Partner({ ...p, revision: 3 })))
          expect(error).toBeInstanceOf(StoreError.RevisionConflict)
          expect(error).toMatchObject({ _tag: "RevisionConflict", expected: 3, actual: null })
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
        })
      )
    })

    test("revision - a stale write fails and changes nothing", async () => {
      await fc.assert(
        fc.asyncProperty(Arbitraries.referral(A), fc.integer({ min: 1, max: 4 }), (r, updates) =>
          withStore((store) =>
            Effect.gen(function* () {
              let current = yield* store.referrals.put(r)
              const stale = current
              for (let i = 0; i < updates; i++) {
                current = yield* store.referrals.put(
                  new Referral.Referral({ ...current, client: `update ${i}` })
                )
              }
              expect(current.revision).toBe(updates + 1)
              const error = yield* Effect.flip(
                store.referrals.put(new Referral.Referral({ ...stale, client: "stale" }))
              )
              expect(error).toMatchObject({
                _tag: "RevisionConflict",
                entity: "referral",
                expected: 1,
                actual: updates + 1
              })
              const back = yield* store.referrals.get(A, r.id)
              expect(back.client).toBe(`update ${updates - 1}`)
              expect(back.revision).toBe(updates + 1)
            })
          )
        ),
        { numRuns }
      )
    })

    test("revision - remove with a stale revision fails and keeps the record", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 2 })[0]!
          const v1 = yield* store.partners.put(p)
          const v2 = yield* store.partners.put(new Partner.Partner({ ...v1, notes: "changed" }))
          const error = yield* Effect.flip(store.partners.remove(A, p.id, v1.revision))
          expect(error).toMatchObject({ _tag: "RevisionConflict", expected: 1, actual: 2 })
          expect((yield* store.partners.get(A, p.id)).revision).toBe(2)
          yield* store.partners.remove(A, p.id, v2.revision)
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
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

    /** Stores a random history in book A, and one record of it in book B (which must not count). */
    const storeHistory = (store: Store.Store, h: History) =>
      Effect.gen(function* () {
        if (h.profile !== undefined) yield* store.profile.put(h.profile)
        for (const p of h.partners) yield* store.partners.put(p)
        for (const r of h.referrals) yield* store.referrals.put(r)
        for (const x of h.interactions) yield* store.interactions.put(x)
        for (const c of h.clients) yield* store.clients.put(c)
        if (h.interactions[0] !== undefined)
          yield* store.interactions.put(new Interaction.Interaction({ ...h.interactions[0], book: B }))
        if (h.referrals[0] !== undefined)
          yield* store.referrals.put(new Referral.Referral({ ...h.referrals[0], book: B }))
      })

    const digestQuery: fc.Arbitrary<Store.DigestQuery> = fc
      .tuple(
        fc.integer({ min: -420, max: 30 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 400 })), {
          maxLength: 3
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.subarray([...Interaction.Kind.literals]),
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        fc.option(
          fc.oneof(fc.constantFrom(365, 120, 30, 1), fc.double({ min: 0.5, max: 500, noNaN: true })),
          {
            nil: undefined
          }
        )
      )
      .map(([d, ms, windows, positiveRank, kinds, follow, trailingDays]) => {
        const asOf = new Date(Arbitraries.anchor.getTime() + d * 86_400_000 + ms)
        const at = (days: number) => new Date(asOf.getTime() - days * 86_400_000)
        return {
          asOf,
          windows: windows.map(([back, length]) => ({ after: at(back + length), until: at(back) })),
          positiveRank,
          kinds,
          ...(follow === undefined ? {} : { followUpFrom: at(follow) }),
          ...(trailingDays === undefined ? {} : { trailingDays })
        }
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

    test("transaction - a failing transaction leaves nothing behind", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.partner(A, 8), { selector: (p) => p.id, minLength: 1, maxLength: 5 }),
          Arbitraries.partner(A, 8),
          (partners, existing) =>
            withStore((store) =>
              Effect.gen(function* () {
                const before = yield* store.partners.put(
                  new Partner.Partner({
                    ...Arbitraries.withExternalId(existing, "kept", false),
                    id: Partner.PartnerId.make("kept")
                  })
                )
                const exit = yield* Effect.exit(
                  store.transaction(
                    Effect.gen(function* () {
                      for (const p of partners) yield* store.partners.put(p)
                      yield* store.partners.put(new Partner.Partner({ ...before, notes: "changed inside" }))
                      yield* store.partners.remove(A, before.id)
                      return yield* Effect.fail("boom" as const)
                    })
                  )
                )
                expect(failureOf(exit)).toBe("boom")
                const after = yield* store.partners.list(A)
                expect(after.map((p) => encoders.partner(p))).toEqual([encoders.partner(before)])
              })
            )
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })

    test("transaction - nested transactions commit together", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 7 })
          const id1 = Partner.PartnerId.make("one")
          const id2 = Partner.PartnerId.make("two")
          yield* store.transaction(
            Effect.gen(function* () {
              yield* store.partners.put(new Partner.Partner({ ...p!, id: id1 }))
              yield* store.transaction(store.partners.put(new Partner.Partner({ ...q!, id: id2 })))
              // Reads inside see the writes.
              expect((yield* store.partners.get(A, id2)).revision).toBe(1)
            })
          )
          expect((yield* store.partners.list(A)).map((x) => x.id).sort()).toEqual(["one", "two"])
          const exit = yield* Effect.exit(
            store.transaction(
              Effect.gen(function* () {
                yield* store.transaction(
                  store.partners.put(
                    new Partner.Partner({
                      ...Arbitraries.withExternalId(p!, "three", false),
                      id: Partner.PartnerId.make("three")
                    })
                  )
                )
                return yield* Effect.fail("outer fails")
              })
            )
          )
          expect(Exit.isFailure(exit)).toBe(true)
          expect(Option.isNone(yield* store.partners.find(A, Partner.PartnerId.make("three")))).toBe(true)
        })
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

    test("export - export, import into another store, export gives the same document", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.option(Arbitraries.profile(A), { nil: undefined }),
          fc.uniqueArray(Arbitraries.partner(A, 10), { selector: (x) => x.id, maxLength: 5 }),
          fc.uniqueArray(Arbitraries.referral(A, 10), { selector: (x) => x.id, maxLength: 6 }),
          fc.uniqueArray(Arbitraries.interaction(A, 10), { selector: (x) => x.id, maxLength: 4 }),
          fc.uniqueArray(Arbitraries.client(A, 10), { selector: (x) => x.id, maxLength: 4 }),
          async (profile, partners, referrals, interactions, clients) => {
            const first = await withStore((store) =>
              Effect.gen(function* () {
                if (profile !== undefined) yield* store.profile.put(profile)
                for (const x of partners) yield* store.partners.put(x)
                for (const x of referrals) yield* store.referrals.put(x)
                for (const x of interactions) yield* store.interactions.put(x)
                for (const x of clients) yield* store.clients.put(x)
                // A second update so that revisions other than 1 travel too.
                if (partners[0] !== undefined) {
                  const current = yield* store.partners.get(A, partners[0].id)
                  yield* store.partners.put(new Partner.Partner({ ...current, notes: "second" }))
                }
                return BookDocument.encode(yield* store.exportBook(A))
              })
            )
            expect(first.partners.map((p) => p.id)).toEqual(sortById(partners).map((p) => p.id))
            // Through JSON text, as a file would carry it.
            const text = JSON.stringify(first)
            const second = await withStore((store) =>
              Effect.gen(function* () {
                const summary = yield* store.importJson(JSON.parse(text))
                expect(summary).toMatchObject({
                  book: A,
                  partners: partners.length,
                  referrals: referrals.length
                })
                return BookDocument.encode(yield* store.exportBook(A))
              })
            )
            expect(second).toEqual(first)
            expect(JSON.stringify(second)).toBe(text)
          }
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })

    test("import - into a non-empty book fails and changes nothing", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 11 })
          yield* store.partners.put(
            new Partner.Partner({
              ...Arbitraries.withExternalId(p!, "existing", false),
              id: Partner.PartnerId.make("existing")
            })
          )
          const before = BookDocument.encode(yield* store.exportBook(A))
          const doc = BookDocument.make({
            book: A,
            profile: null,
            partners: [
              new Partner.Partner({
                ...Arbitraries.withExternalId(q!, "incoming", false),
                id: Partner.PartnerId.make("incoming"),
                revision: 4
              })
            ],
            referrals: [],
            interactions: [],
            clients: []
          })
          const error = yield* Effect.flip(store.importBook(doc))
          expect(error).toMatchObject({ _tag: "BookNotEmpty", book: A })
          expect(BookDocument.encode(yield* store.exportBook(A))).toEqual(before)
          // Into another book, it works and keeps the revision.
          const summary = yield* store.importBook(doc, { book: B })
          expect(summary).toMatchObject({ book: B, partners: 1 })
          const moved = yield* store.partners.get(B, Partner.PartnerId.make("incoming"))
          expect(moved.book).toBe(B)
          expect(moved.revision).toBe(4)
        })
      )
    })

    test("import - a malformed document is InvalidData naming the path", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 5 })[0]!
          const good = BookDocument.encode(
            BookDocument.make({
              book: A,
              profile: null,
              partners: [p],
              referrals: [],
              interactions: [],
              clients: []
            })
          )
          const bad = { ...good, partners: [{ ...good.partners[0]!, createdAt: "not a date" }] }
          const error = yield* Effect.flip(store.importJson(bad))
          expect(error).toMatchObject({ _tag: "InvalidData" })
          expect((error as StoreError.InvalidData).path).toBe("partners.0.createdAt")
          const wrongVersion = yield* Effect.flip(store.importJson({ ...good, version: 99 }))
          expect((wrongVersion as StoreError.InvalidData).path).toBe("version")
          const otherBook = yield* Effect.flip(store.importJson({ ...good, book: "bob" }))
          expect((otherBook as StoreError.InvalidData).path).toBe("partners.0.book")
          expect(yield* store.books()).toEqual([])
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

    test("changes - every write appends the next sequence; a record keeps only its latest change", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          expect(yield* store.changes(A)).toEqual({ changes: [], last: 0 })
          const [p, r] = [
            fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 21 })[0]!,
            fc.sample(Arbitraries.referral(A), { numRuns: 1, seed: 22 })[0]!
          ]
          const p1 = yield* store.partners.put(p)
          const r1 = yield* store.referrals.put(r)
          const p2 = yield* store.partners.put(new Partner.Partner({ ...p1, notes: "second" }))
          yield* store.referrals.remove(A, r1.id, r1.revision)
          const profile = yield* store.profile.put(
            fc.sample(Arbitraries.profile(A), { numRuns: 1, seed: 23 })[0]!
          )
          const page = yield* store.changes(A)
          expect(page).toEqual({
            changes: [
              { sequence: 3, entity: "partner", id: p.id, op: "put", revision: p2.revision },
              { sequence: 4, entity: "referral", id: r.id, op: "delete" },
              { sequence: 5, entity: "profile", id: A, op: "put", revision: profile.revision }
            ],
            last: 5
          })
          expect(yield* store.changes(A, { after: 3 })).toEqual({ changes: page.changes.slice(1), last: 5 })
          expect(yield* store.changes(A, { after: 0, limit: 2 })).toEqual({
            changes: page.changes.slice(0, 2),
            last: 5
          })
          expect(yield* store.changes(A, { after: 5 })).toEqual({ changes: [], last: 5 })
        })
      )
    })

    test("changes - a failed transaction appends nothing; books have their own sequences", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 24 })
          yield* store.partners.put(p!)
          const failed = yield* Effect.exit(
            store.transaction(
              Effect.zipRight(
                store.partners.put(
                  new Partner.Partner({
                    ...Arbitraries.withExternalId(q!, "q-new", false),
                    id: Partner.PartnerId.make("q-new")
                  })
                ),
                Effect.fail("no")
              )
            )
          )
          expect(Exit.isFailure(failed)).toBe(true)
          expect((yield* store.changes(A)).last).toBe(1)
          yield* store.partners.put(new Partner.Partner({ ...p!, book: B }))
          yield* store.partners.put(
            new Partner.Partner({
              ...Arbitraries.withExternalId(q!, "q-new", false),
              book: B,
              id: Partner.PartnerId.make("q-new")
            })
          )
          expect((yield* store.changes(B)).changes.map((c) => c.sequence)).toEqual([1, 2])
          expect((yield* store.changes(A)).changes.map((c) => [c.sequence, c.id])).toEqual([[1, p!.id]])
        })
      )
    })

    test("changes - an import appends one put per record, after what the book had", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.partner(A, 50), { selector: (p) => p.id, minLength: 1, maxLength: 5 }),
          (partners) =>
            withStore((store) =>
              Effect.gen(function* () {
                const stored = yield* Effect.forEach(partners, (p) => store.partners.put(p))
                const document = yield* store.exportBook(A)
                const erased = yield* store.erase(A)
                expect(erased.partners).toBe(partners.length)
                const before = (yield* store.changes(A)).last
                expect(before).toBe(2 * partners.length)
                yield* store.importBook(document)
                const page = yield* store.changes(A, { after: before })
                expect(page.last).toBe(before + partners.length)
                expect(page.changes.map((c) => [c.entity, c.id, c.op, c.revision])).toEqual(
                  sortById(stored).map((p) => ["partner", p.id, "put", p.revision])
                )
                expect(page.changes.map((c) => c.sequence)).toEqual(partners.map((_, i) => before + i + 1))
              })
            )
        ),
        { numRuns: Math.max(3, Math.floor(numRuns / 3)) }
      )
    })

    test("external id - unique per book and kind; findByExternalId finds the record", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 31 })
          const first = yield* store.partners.put(new Partner.Partner({ ...p!, externalId: "crm-1" }))
          const second = new Partner.Partner({
            ...q!,
            id: Partner.PartnerId.make("other-id"),
            externalId: "crm-1"
          })
          const error = yield* Effect.flip(store.partners.put(second))
          expect(error).toBeInstanceOf(StoreError.InvalidData)
          expect((error as StoreError.InvalidData).path).toBe("externalId")
          expect(Option.isNone(yield* store.partners.find(A, second.id))).toBe(true)
          // The same external id in another book, or on another kind, is another record's own.
          yield* store.partners.put(new Partner.Partner({ ...second, book: B }))
          const r = fc.sample(Arbitraries.referral(A), { numRuns: 1, seed: 32 })[0]!
          yield* store.referrals.put(new Referral.Referral({ ...r, externalId: "crm-1" }))
          const found = yield* store.findByExternalId("partner", A, "crm-1")
          expect(Option.map(found, (x) => encoders.partner(x))).toEqual(Option.some(encoders.partner(first)))
          expect(Option.isSome(yield* store.findByExternalId("referral", A, "crm-1"))).toBe(true)
          expect(Option.isNone(yield* store.findByExternalId("interaction", A, "crm-1"))).toBe(true)
          // Updating the holder keeps its id; once it lets go, another record may take it.
          const updated = yield* store.partners.put(new Partner.Partner({ ...first, notes: "kept" }))
          expect(updated.externalId).toBe("crm-1")
          const { externalId: _, ...without } = updated
          yield* store.partners.put(new Partner.Partner(without))
          yield* store.partners.put(second)
          const moved = yield* store.findByExternalId("partner", A, "crm-1")
          expect(Option.map(moved, (x) => x.id)).toEqual(Option.some(second.id))
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

    const withService = <X>(
      f: (service: Partnerbook.Partnerbook, store: Store.Store) => Effect.Effect<X, unknown>
    ) => withStore((store) => f(Partnerbook.make(store), store))

    test("service - expectedRevision: the second of two editors gets RevisionConflict, nothing written", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa" })
          // Two editors read revision 1; the first saves, the second would silently win without the check.
          const first = yield* service.updatePartner(
            A,
            p.id,
            { notes: "first" },
            { expectedRevision: p.revision }
          )
          const error = yield* Effect.flip(
            service.updatePartner(A, p.id, { notes: "second" }, { expectedRevision: p.revision })
          )
          expect(error).toMatchObject({
            _tag: "RevisionConflict",
            expected: p.revision,
            actual: first.revision
          })
          expect((yield* store.partners.get(A, p.id)).notes).toBe("first")
          const r = yield* service.receiveReferral(A, { partnerId: p.id, date: "2026-01-02" })
          const stale = r.revision
          yield* service.moveReferral(A, r.id, "contacted", { date: "2026-01-03", expectedRevision: stale })
          for (const attempt of [
            service.moveReferral(A, r.id, "engaged", { date: "2026-01-04", expectedRevision: stale }),
            service.thankReferral(A, r.id, { date: "2026-01-04", expectedRevision: stale }),
            service.closeLoop(A, r.id, { date: "2026-01-04", expectedRevision: stale }),
            service.deleteReferral(A, r.id, { expectedRevision: stale }),
            service.deletePartner(A, p.id, { cascade: true, expectedRevision: p.revision })
          ]) {
            expect(yield* Effect.flip(attempt)).toMatchObject({ _tag: "RevisionConflict" })
          }
          expect((yield* store.referrals.get(A, r.id)).status).toBe("contacted")
          // A bare date stays accepted.
          expect((yield* service.thankReferral(A, r.id, "2026-01-05")).thankedAt?.toISOString()).toBe(
            "2026-01-05T00:00:00.000Z"
          )
          const bad = yield* Effect.flip(
            service.updatePartner(A, p.id, { notes: "x" }, { expectedRevision: -1 })
          )
          expect(bad).toMatchObject({ _tag: "InvalidInput" })
          expect(String((bad as { message: string }).message)).toContain("expectedRevision")
        })
      )
    })

    test("service - deletePartner refuses with history; cascade removes it all in one transaction", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa" })
          const q = yield* service.addPartner(A, { name: "Lee Park", profession: "attorney" })
          yield* service.giveReferral(A, { partnerId: p.id, date: "2026-01-02" })
          yield* service.receiveReferral(A, { partnerId: p.id, date: "2026-01-03" })
          const other = yield* service.receiveReferral(A, { partnerId: q.id, date: "2026-01-03" })
          yield* service.logInteraction(A, { partnerId: p.id, kind: "one-on-one", date: "2026-01-04" })
          const c = yield* service.addClient(A, {
            label: "c",
            source: { _tag: "partner", partnerId: p.id },
            acquiredAt: "2026-01-05"
          })
          const before = yield* store.exportBook(A)
          const refused = yield* Effect.flip(service.deletePartner(A, p.id))
          expect(refused).toMatchObject({ _tag: "InvalidCommand" })
          expect(String((refused as { message: string }).message)).toContain("cascade")
          expect(yield* store.exportBook(A)).toEqual(before)
          const done = yield* service.deletePartner(A, p.id, { cascade: true })
          expect(done).toEqual({ partners: 1, referrals: 2, interactions: 1, clients: 1 })
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
          expect((yield* store.referrals.list(A)).map((r) => r.id)).toEqual([other.id])
          expect(yield* store.interactions.list(A)).toEqual([])
          expect((yield* store.clients.get(A, c.id)).source).toEqual({ _tag: "other" })
          // Without history a partner goes at once; the single deletes work and are recorded.
          expect(yield* service.deletePartner(A, q.id, { cascade: true })).toMatchObject({
            partners: 1,
            referrals: 1
          })
          yield* service.deleteClient(A, c.id)
          expect(yield* Effect.flip(service.deleteClient(A, c.id))).toMatchObject({ _tag: "NotFound" })
          const ops = (yield* store.changes(A)).changes.filter((x) => x.op === "delete").map((x) => x.entity)
          expect(ops.sort()).toEqual([
            "client",
            "interaction",
            "partner",
            "partner",
            "referral",
            "referral",
            "referral"
          ])
        })
      )
    })

    test("service - mergePartners moves history, fills empty fields, unites tags", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const keep = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa", tags: ["tax"] })
          const dup = yield* service.addPartner(A, {
            name: "Dana Smith (2)",
            profession: "attorney",
            organization: "Smith & Co",
            tags: ["tax", "south"],
            notes: "from the CRM",
            externalId: "crm-dup"
          })
          const r = yield* service.giveReferral(A, { partnerId: dup.id, date: "2026-01-02" })
          const x = yield* service.logInteraction(A, {
            partnerId: dup.id,
            kind: "check-in",
            date: "2026-01-03"
          })
          const c = yield* service.addClient(A, {
            label: "c",
            source: { _tag: "partner", partnerId: dup.id },
            acquiredAt: "2026-01-05"
          })
          const merged = yield* service.mergePartners(A, keep.id, dup.id)
          expect(merged).toMatchObject({
            id: keep.id,
            name: "Dana Smith",
            profession: "cpa",
            organization: "Smith & Co",
            notes: "from the CRM",
            externalId: "crm-dup",
            revision: keep.revision + 1
          })
          expect([...merged.tags].sort()).toEqual(["south", "tax"])
          expect(Option.isNone(yield* store.partners.find(A, dup.id))).toBe(true)
          expect((yield* store.referrals.get(A, r.id)).partnerId).toBe(keep.id)
          expect((yield* store.interactions.get(A, x.id)).partnerId).toBe(keep.id)
          expect((yield* store.clients.get(A, c.id)).source).toEqual({ _tag: "partner", partnerId: keep.id })
          expect(yield* Effect.flip(service.mergePartners(A, keep.id, keep.id))).toMatchObject({
            _tag: "InvalidCommand"
          })
          expect(yield* Effect.flip(service.mergePartners(A, keep.id, dup.id))).toMatchObject({
            _tag: "NotFound"
          })
        })
      )
    })

    test("service - a retried create with the same externalId returns the record unchanged", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, {
            name: "Dana Smith",
            profession: "cpa",
            externalId: "crm-contact-991"
          })
          const again = yield* service.addPartner(A, {
            name: "Dana Smith",
            profession: "cpa",
            externalId: "crm-contact-991"
          })
          expect(again.id).toBe(p.id)
          expect(again.revision).toBe(p.revision)
          const differs = yield* Effect.flip(
            service.addPartner(A, { name: "Dana Smyth", profession: "cpa", externalId: "crm-contact-991" })
          )
          expect(differs).toMatchObject({ _tag: "InvalidCommand" })
          expect(String((differs as { message: string }).message)).toMatch(/^externalId/)
          const input = { partnerId: p.id, date: "2026-03-01", externalId: "crm-event-7" }
          const r = yield* service.receiveReferral(A, input)
          expect((yield* service.receiveReferral(A, input)).id).toBe(r.id)
          expect(yield* Effect.flip(service.giveReferral(A, input))).toMatchObject({ _tag: "InvalidCommand" })
          const x = yield* service.logInteraction(A, {
            partnerId: p.id,
            kind: "note",
            externalId: "crm-note-1",
            date: "2026-03-02"
          })
          expect(
            (yield* service.logInteraction(A, {
              partnerId: p.id,
              kind: "note",
              externalId: "crm-note-1",
              date: "2026-03-02"
            })).id
          ).toBe(x.id)
          const c = yield* service.addClient(A, {
            label: "x",
            externalId: "crm-client-1",
            acquiredAt: "2026-03-03"
          })
          expect(
            (yield* service.addClient(A, {
              label: "x",
              externalId: "crm-client-1",
              acquiredAt: "2026-03-03"
            })).id
          ).toBe(c.id)
          expect((yield* store.referrals.list(A)).length).toBe(1)
          expect((yield* store.interactions.list(A)).length).toBe(1)
          expect((yield* store.clients.list(A)).length).toBe(1)
          for (const [entity, id, record] of [
            ["partner", "crm-contact-991", p],
            ["referral", "crm-event-7", r],
            ["interaction", "crm-note-1", x],
            ["client", "crm-client-1", c]
          ] as const) {
            const found = yield* service.findByExternalId(A, entity, id)
            expect(Option.map(found, (f) => f.id)).toEqual(Option.some(record.id))
          }
          expect(Option.isNone(yield* service.findByExternalId(A, "partner", "nobody"))).toBe(true)
          expect(yield* Effect.flip(service.findByExternalId(A, "profile" as never, "x"))).toMatchObject({
            _tag: "InvalidInput"
          })
          expect(
            yield* Effect.flip(service.addPartner(A, { name: "Z", profession: "cpa", externalId: "" }))
          ).toMatchObject({ _tag: "InvalidInput" })
        })
      )
    })

    test("service - searchPartners pages through every match once, accent-insensitive, in a stable order", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              name: fc.constantFrom(
                "José Núñez",
                "jose nunez",
                "JOSÉ",
                "Ana",
                "Zoë",
                "ana maria",
                "Émile",
                "emile"
              ),
              stage: fc.constantFrom<"identified" | "active" | "not-a-fit">(
                "identified",
                "active",
                "not-a-fit"
              ),
              tag: fc.constantFrom("a", "b")
            }),
            { maxLength: 12 }
          ),
          fc.integer({ min: 1, max: 5 }),
          fc.constantFrom(undefined, "jose", "NUNEZ", "emile", "ana", "zoe"),
          fc.constantFrom(undefined, "active" as const),
          fc.constantFrom(undefined, "a"),
          (rows, limit, text, stage, tag) =>
            withService((service) =>
              Effect.gen(function* () {
                const added = yield* Effect.forEach(rows, (row) =>
                  service.addPartner(A, {
                    name: row.name,
                    profession: "cpa",
                    stage: row.stage,
                    tags: [row.tag]
                  })
                )
                const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
                const expected = added
                  .filter(
                    (p) =>
                      (text === undefined || fold(p.name).includes(fold(text))) &&
                      (stage === undefined || p.stage === stage) &&
                      (tag === undefined || p.tags.includes(tag))
                  )
                  .sort((a, b) => {
                    const [x, y] = [fold(a.name), fold(b.name)]
                    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
                  })
                  .map((p) => p.id)
                const seen: Array<string> = []
                let cursor: string | undefined
                for (let page = 0; page < 20; page++) {
                  const result = yield* service.searchPartners(A, {
                    limit,
                    ...(text === undefined ? {} : { text }),
                    ...(stage === undefined ? {} : { stage }),
                    ...(tag === undefined ? {} : { tag }),
                    ...(cursor === undefined ? {} : { cursor })
                  })
                  expect(result.items.length).toBeLessThanOrEqual(limit)
                  seen.push(...result.items.map((p) => p.id))
                  if (result.nextCursor === undefined) break
                  cursor = result.nextCursor
                }
                expect(seen).toEqual(expected)
                const bad = yield* Effect.flip(service.searchPartners(A, { cursor: "not a cursor" }))
                expect(bad).toMatchObject({ _tag: "InvalidInput" })
              })
            )
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })

    test("model - random command sequences agree with a Map model", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(Model.commands([A, B]), { size: "+1", maxCommands: 40 }),
          async (cmds) => {
            const runtime = ManagedRuntime.make(makeLayer())
            try {
              const store = await runtime.runPromise(Store.Store)
              await fc.asyncModelRun(
                () => ({
                  model: Model.empty(),
                  real: { store, run: <X, E>(e: Effect.Effect<X, E>) => runtime.runPromise(Effect.either(e)) }
                }),
                cmds
              )
            } finally {
              await runtime.dispose()
            }
          }
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    }, 120_000)
  })
}
