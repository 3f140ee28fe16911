/**
 * What the Store capability suites share: the options, the test names, the harness that
 * gives each test a fresh store, and the helpers several suites use. Not exported from the
 * package (see `StoreSuite.ts` and `suites/`).
 */
import { Book, Interaction, Partner, Partnerbook, Referral, Store } from "@partnerbook/core"
import { Cause, Effect, Exit, FastCheck as fc, type Layer, ManagedRuntime, Option, Schema } from "effect"
import { describe, it } from "vitest"
import * as Arbitraries from "../Arbitraries.js"

/**
 * Options of {@link StoreSuite.suite} and of every capability suite.
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
 * The names of the tests of the suite and its capability suites, for {@link Options.skip}.
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

/**
 * A capability suite: registers, in a vitest `describe` named after the store and the
 * capability, the tests of one capability for an adapter. `makeLayer` is called once per
 * test (and once per property run) and must return a fresh, empty, isolated store.
 *
 * @since 0.2.0
 * @category models
 */
export type CapabilitySuite = (
  name: string,
  makeLayer: () => Layer.Layer<Store.Store, unknown>,
  options?: Options
) => void

/** What a capability's tests run with: a fresh store per call, the run count, `test` with skips. */
export interface Harness {
  readonly makeLayer: () => Layer.Layer<Store.Store, unknown>
  readonly numRuns: number
  /** Runs `f` against a fresh store, disposed afterwards. */
  readonly withStore: <A>(f: (store: Store.Store) => Effect.Effect<A, unknown>) => Promise<A>
  /** Runs `f` with the Partnerbook service over a fresh store. */
  readonly withService: <A>(
    f: (service: Partnerbook.Partnerbook, store: Store.Store) => Effect.Effect<A, unknown>
  ) => Promise<A>
  /** Registers a test, or skips it with the reason the options give. */
  readonly test: (title: TestName, body: () => Promise<void>, timeout?: number) => void
}

export const makeHarness = (
  makeLayer: () => Layer.Layer<Store.Store, unknown>,
  options: Options = {}
): Harness => {
  const withStore = async <A>(f: (store: Store.Store) => Effect.Effect<A, unknown>): Promise<A> => {
    const runtime = ManagedRuntime.make(makeLayer())
    try {
      return await runtime.runPromise(Effect.flatMap(Store.Store, f))
    } finally {
      await runtime.dispose()
    }
  }
  return {
    makeLayer,
    numRuns: options.numRuns ?? 25,
    withStore,
    withService: (f) => withStore((store) => f(Partnerbook.make(store), store)),
    test: (title, body, timeout) => {
      const reason = options.skip?.[title]
      if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body)
      else it(title, body, timeout)
    }
  }
}

/** One capability: its title (the `describe` name) and the function registering its tests. */
export interface Capability {
  readonly title: string
  readonly register: (harness: Harness) => void
}

/** The public suite of one capability: its tests in `Store conformance: <store> - <title>`. */
export const capabilitySuite =
  (capability: Capability): CapabilitySuite =>
  (name, makeLayer, options) =>
    describe(`Store conformance: ${name} - ${capability.title}`, () =>
      capability.register(makeHarness(makeLayer, options)))

export const A = Book.BookId.make("alice")
export const B = Book.BookId.make("bob")

export const encoders = {
  partner: Schema.encodeSync(Partner.Partner),
  referral: Schema.encodeSync(Referral.Referral),
  interaction: Schema.encodeSync(Interaction.Interaction)
}

export const encodeAny = (kind: Store.CollectionEntity | "profile", record: unknown): unknown =>
  Schema.encodeSync(Store.schemas[kind] as unknown as Schema.Schema<unknown, unknown>)(record)

export const sortById = <T extends { readonly id: string }>(xs: ReadonlyArray<T>): Array<T> =>
  [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

export type History = typeof Arbitraries.history extends (book: Book.BookId) => fc.Arbitrary<infer H>
  ? H
  : never

export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

/** Stores a random history in book A, and one record of it in book B (which must not count). */
export const storeHistory = (store: Store.Store, h: History) =>
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

export const digestQuery: fc.Arbitrary<Store.DigestQuery> = fc
  .tuple(
    fc.integer({ min: -420, max: 30 }),
    fc.integer({ min: 0, max: 86_399_999 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 400 })), {
      maxLength: 3
    }),
    fc.integer({ min: 1, max: 4 }),
    fc.subarray([...Interaction.Kind.literals]),
    fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
    fc.option(fc.oneof(fc.constantFrom(365, 120, 30, 1), fc.double({ min: 0.5, max: 500, noNaN: true })), {
      nil: undefined
    })
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
