/**
 * The use cases that read a book and ask a rule about it: each reads in one transaction
 * only what its rule needs, then runs the pure rule.
 */
import { Effect, Schema } from "effect"
import * as Agenda from "../../Agenda.js"
import * as Balance from "../../Balance.js"
import type { BookId } from "../../Book.js"
import * as Compliance from "../../Compliance.js"
import * as Discovery from "../../Discovery.js"
import * as Health from "../../Health.js"
import * as Introductions from "../../Introductions.js"
import * as Matrix from "../../Matrix.js"
import * as Outreach from "../../Outreach.js"
import { byName, type Partner } from "../../Partner.js"
import * as Portfolio from "../../Portfolio.js"
import type { Profile } from "../../Profile.js"
import * as Progression from "../../Progression.js"
import type * as Store from "../../Store.js"
import type { InvalidInput } from "../../InvalidInput.js"
import type { StoreError } from "../../StoreError.js"
import type { Taxonomy } from "../../Profession.js"
import { dayArg, profileOf, zoneOf } from "./book.js"
import { InvalidCommand, type AsOf, type PlanIntroductions, type RuleOptions } from "./commands.js"
import { check, checkBook, omitUndefined, rule } from "./validation.js"

export const snapshot = Effect.fn("Partnerbook.snapshot")(function* (store: Store.Store, bookInput: string) {
  const book = yield* checkBook(bookInput)
  const read = yield* store.transaction(
    Effect.all({
      profile: profileOf(store, book),
      partners: store.partners.list(book),
      referrals: store.referrals.list(book),
      interactions: store.interactions.list(book),
      clients: store.clients.list(book)
    })
  )
  return { book, ...read }
})

/** The book and the as-of date of a rule (default today). */
const checkAsOf = (store: Store.Store, bookInput: string, asOf: Date | string | undefined, field = "asOf") =>
  Effect.flatMap(checkBook(bookInput), (book) =>
    Effect.map(dayArg(store, book, asOf, field), (date) => [book, date] as const)
  )

export const matrix = Effect.fn("Partnerbook.matrix")(function* (
  store: Store.Store,
  bookInput: string,
  options: AsOf & { readonly thresholds?: Matrix.Thresholds; readonly windowDays?: number } = {}
) {
  const [book, asOf] = yield* checkAsOf(store, bookInput, options.asOf)
  const windowDays = options.windowDays ?? Matrix.defaultWindowDays
  const after = new Date(asOf.getTime() - windowDays * 86_400_000)
  const { partners, profile, rows } = yield* store.transaction(
    Effect.all({
      partners: store.partners.list(book),
      profile: profileOf(store, book),
      rows: store.window(book, { after, until: asOf })
    })
  )
  const counts = new Map(rows.map((r) => [r.partnerId as string, r] as const))
  return yield* rule(() =>
    [...partners].sort(byName).map((p) =>
      Matrix.place(p, counts.get(p.id) ?? { given: 0, received: 0 }, {
        profile,
        windowDays,
        ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds })
      })
    )
  )
})

/**
 * The read of the history rules (balance, agenda, health, progression, portfolio): the
 * partners, the profile and the digests the rule's query asks for, plus whatever else the
 * rule reads, in one transaction. Never the whole book.
 */
const withDigests = <A, X>(
  store: Store.Store,
  bookInput: string,
  asOfInput: Date | string | undefined,
  query: (asOf: Date) => Store.DigestQuery,
  extra: (book: BookId, asOf: Date) => Effect.Effect<X, StoreError>,
  f: (
    read: {
      readonly partners: ReadonlyArray<Partner>
      readonly profile: Profile | undefined
      readonly digests: ReadonlyArray<Store.Digest>
      readonly extra: X
    },
    asOf: Date
  ) => A
): Effect.Effect<A, InvalidInput | StoreError> =>
  Effect.gen(function* () {
    const [book, asOf] = yield* checkAsOf(store, bookInput, asOfInput)
    const q = yield* rule(() => query(asOf))
    const read = yield* store.transaction(
      Effect.all({
        partners: store.partners.list(book),
        profile: profileOf(store, book),
        digests: store.digest(book, q),
        extra: extra(book, asOf)
      })
    )
    return yield* rule(() => f(read, asOf))
  })

const nothing = () => Effect.void

const settingsOf = <O>(asOf: Date, options: RuleOptions<O>) =>
  omitUndefined({
    asOf,
    windowDays: options.windowDays,
    thresholds: options.thresholds,
    options: options.options
  })

export const balance = Effect.fn("Partnerbook.balance")(function* (
  store: Store.Store,
  bookInput: string,
  options: AsOf & { readonly rules?: Balance.Rules; readonly windowDays?: number } = {}
) {
  const settings = (asOf: Date) =>
    omitUndefined({ asOf, rules: options.rules, windowDays: options.windowDays }) as Balance.Settings
  return yield* withDigests(
    store,
    bookInput,
    options.asOf,
    (asOf) => Balance.query(settings(asOf)),
    nothing,
    ({ digests, partners }, asOf) =>
      Balance.fromSummary({ ...settings(asOf), partners: [...partners].sort(byName), digests })
  )
})

export const agenda = Effect.fn("Partnerbook.agenda")(function* (
  store: Store.Store,
  bookInput: string,
  options: RuleOptions<Agenda.Options> = {}
) {
  return yield* withDigests(
    store,
    bookInput,
    options.asOf,
    (asOf) => Agenda.query(settingsOf(asOf, options)),
    // What the agenda can still ask about received referrals, and the referrals of the
    // fee-review window (only those with a fee give items).
    (book, asOf) =>
      Effect.all({
        pending: store.pending(book, asOf),
        fees: store.referrals.list(book, Agenda.feeWindow(settingsOf(asOf, options)))
      }),
    ({ extra, ...read }, asOf) => Agenda.fromSummary({ ...settingsOf(asOf, options), ...read, ...extra })
  )
})

export const outreach = Effect.fn("Partnerbook.outreach")(function* (
  store: Store.Store,
  bookInput: string,
  options: {
    readonly weekOf?: Date | string
    readonly perWeek?: number
    readonly weights?: Partial<Record<Matrix.Quadrant, number>>
    readonly windowDays?: number
    readonly thresholds?: Matrix.Thresholds
  } = {}
) {
  const [book, weekOf] = yield* checkAsOf(store, bookInput, options.weekOf, "weekOf")
  const timeZone = yield* zoneOf(store, book)
  const settings = omitUndefined({
    weekOf,
    timeZone,
    perWeek: options.perWeek,
    weights: options.weights,
    windowDays: options.windowDays,
    thresholds: options.thresholds
  }) as Outreach.Settings
  const query = yield* rule(() => Outreach.query(settings))
  const read = yield* store.transaction(
    Effect.gen(function* () {
      const { partners, profile, digests } = yield* Effect.all({
        partners: store.partners.list(book),
        profile: profileOf(store, book),
        digests: store.digest(book, query)
      })
      // The quadrants are judged as of the pass's start, which the last touches decide.
      const window = yield* rule(() => Outreach.countsWindow({ ...settings, partners, digests }))
      const counts = yield* store.window(book, window)
      return { partners, profile, digests, counts }
    })
  )
  return yield* rule(() => Outreach.fromSummary({ ...settings, ...read }))
})

export const health = Effect.fn("Partnerbook.health")(function* (
  store: Store.Store,
  bookInput: string,
  options: RuleOptions<Health.Options> = {}
) {
  return yield* withDigests(
    store,
    bookInput,
    options.asOf,
    (asOf) => Health.query(settingsOf(asOf, options)),
    // Follow-through judges what is still owed, however old, and what was done on the
    // referrals of the window up to each partner's latest received one.
    (book, asOf) =>
      Effect.all({
        pending: store.pending(book, asOf),
        received: store.received(book, Health.receivedQuery(settingsOf(asOf, options)))
      }),
    ({ extra, ...read }, asOf) => Health.fromSummary({ ...settingsOf(asOf, options), ...read, ...extra })
  )
})

export const progression = Effect.fn("Partnerbook.progression")(function* (
  store: Store.Store,
  bookInput: string,
  options: RuleOptions<Progression.Options> = {}
) {
  return yield* withDigests(
    store,
    bookInput,
    options.asOf,
    (asOf) => Progression.query(settingsOf(asOf, options)),
    nothing,
    ({ extra: _, ...read }, asOf) => Progression.fromSummary({ ...settingsOf(asOf, options), ...read })
  )
})

export const portfolio = Effect.fn("Partnerbook.portfolio")(function* (
  store: Store.Store,
  bookInput: string,
  options: RuleOptions<Portfolio.Options> = {}
) {
  return yield* withDigests(
    store,
    bookInput,
    options.asOf,
    (asOf) => Portfolio.query(settingsOf(asOf, options)),
    nothing,
    ({ extra: _, ...read }, asOf) => Portfolio.fromSummary({ ...settingsOf(asOf, options), ...read })
  )
})

export const compliance = Effect.fn("Partnerbook.compliance")(function* (
  store: Store.Store,
  bookInput: string,
  options: AsOf & { readonly taxonomy?: Taxonomy } = {}
) {
  const [book, asOf] = yield* checkAsOf(store, bookInput, options.asOf)
  // The profile, the partners and the referrals up to asOf; never the interactions.
  // (Every referral dated up to asOf is read: the fee is not indexed yet.)
  const s = yield* store.transaction(
    Effect.all({
      profile: profileOf(store, book),
      partners: store.partners.list(book),
      referrals: store.referrals.list(book, { until: asOf })
    })
  )
  return yield* rule(() =>
    Compliance.review(
      omitUndefined({
        profile: s.profile,
        partners: s.partners,
        referrals: s.referrals,
        taxonomy: options.taxonomy,
        asOf
      })
    )
  )
})

export const discover = Effect.fn("Partnerbook.discover")(function* (
  store: Store.Store,
  bookInput: string,
  options: AsOf & { readonly taxonomy?: Taxonomy; readonly recentClients?: number } = {}
) {
  const [book, asOf] = yield* checkAsOf(store, bookInput, options.asOf)
  // Coverage goes by the stage inferred from history, not the recorded one: discovery
  // reads the partners, the clients and the digests that stage is inferred from, never
  // the referrals or interactions themselves.
  const query = yield* rule(() => Discovery.query({ asOf }))
  const s = yield* store.transaction(
    Effect.all({
      profile: profileOf(store, book),
      partners: store.partners.list(book),
      clients: store.clients.list(book),
      digests: store.digest(book, query)
    })
  )
  const profile = s.profile
  if (profile === undefined) {
    return yield* new InvalidCommand({
      command: "discover",
      message: `book ${JSON.stringify(book)} has no profile: set one (your name and profession) first; discovery pairs professions with yours`
    })
  }
  return yield* rule(() =>
    Discovery.fromSummary(
      omitUndefined({
        profile,
        partners: s.partners,
        clients: s.clients,
        digests: s.digests,
        asOf,
        taxonomy: options.taxonomy,
        recentClients: options.recentClients
      })
    )
  )
})

const Attendees = Schema.Array(Introductions.Attendee)

export const planIntroductions = Effect.fn("Partnerbook.planIntroductions")(function* (
  input: PlanIntroductions
) {
  const attendees = yield* check(Attendees, input.attendees, "attendees")
  return yield* rule(() => Introductions.plan({ ...input, attendees }))
})
