/**
 * The Partnerbook service: the use cases over a {@link Store.Store} — keep a book's
 * profile, partners, referrals, interactions and clients, and ask the rules about it.
 *
 * Every method names its book. Dates that a method takes are optional where the command
 * line would default them to today: the service then reads Effect's `Clock`, never
 * `new Date()`, so tests control time.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Either, Layer, Option, ParseResult, Random, Schema } from "effect"
import * as Agenda from "./Agenda.js"
import * as Balance from "./Balance.js"
import * as Compliance from "./Compliance.js"
import { BookId, IsoDate } from "./Book.js"
import type * as BookDocument from "./BookDocument.js"
import { Client, ClientId, Source } from "./Client.js"
import * as Discovery from "./Discovery.js"
import * as Health from "./Health.js"
import { IdealClientProfile } from "./IdealClientProfile.js"
import { Interaction, InteractionId, Kind as InteractionKind } from "./Interaction.js"
import * as Introductions from "./Introductions.js"
import * as InvalidInputModule from "./InvalidInput.js"
import * as Matrix from "./Matrix.js"
import * as Outreach from "./Outreach.js"
import {
  Alignment,
  byName,
  KnowLikeTrust,
  Kind as PartnerKind,
  Partner,
  PartnerId,
  Stage
} from "./Partner.js"
import * as Portfolio from "./Portfolio.js"
import { ProfessionId, type Taxonomy } from "./Profession.js"
import { Profile } from "./Profile.js"
import * as Progression from "./Progression.js"
import * as ReferralModule from "./Referral.js"
import { Referral, ReferralId, Status } from "./Referral.js"
import * as Store from "./Store.js"
import type { BookNotEmpty, InvalidData, NotFound, RevisionConflict, StoreError } from "./StoreError.js"

type InvalidInput = InvalidInputModule.InvalidInput

/**
 * A command that is well-formed but not allowed in the book's current state: thanking a
 * referral you gave, moving a status backwards, closing the loop before there is an outcome.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCommand extends Schema.TaggedError<InvalidCommand>("@partnerbook/core/InvalidCommand")(
  "InvalidCommand",
  {
    command: Schema.String,
    message: Schema.String
  }
) {}

/**
 * Every error a use case can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type PartnerbookError =
  | InvalidInput
  | InvalidCommand
  | InvalidData
  | NotFound
  | RevisionConflict
  | BookNotEmpty
  | StoreError

// ---------------------------------------------------------------------------------------
// Command inputs
// ---------------------------------------------------------------------------------------

const Name = Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(500))
const Day = Schema.Union(Schema.ValidDateFromSelf, IsoDate)

/**
 * The input of {@link Partnerbook.setProfile}.
 *
 * @since 0.1.0
 * @category inputs
 */
export const SetProfile = Schema.Struct({
  name: Name,
  profession: ProfessionId,
  idealClient: Schema.optional(IdealClientProfile)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type SetProfile = typeof SetProfile.Encoded

const partnerFields = {
  name: Name,
  profession: ProfessionId,
  organization: Schema.optional(Name),
  kind: Schema.optional(PartnerKind),
  stage: Schema.optional(Stage),
  idealClient: Schema.optional(IdealClientProfile),
  alignment: Schema.optional(Alignment),
  cadenceDays: Schema.optional(Schema.Int.pipe(Schema.between(1, 3650))),
  knowLikeTrust: Schema.optional(KnowLikeTrust),
  tags: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(100)))),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000)))
}

/**
 * The input of {@link Partnerbook.addPartner}. `id` is derived from the name when absent
 * (`ana-ruiz`, then `ana-ruiz-2`, ...). `kind` defaults to `complementary`, `stage` to
 * `identified`, `createdAt` to today.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AddPartner = Schema.Struct({
  ...partnerFields,
  id: Schema.optional(PartnerId),
  createdAt: Schema.optional(Day)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type AddPartner = typeof AddPartner.Encoded

/**
 * The input of {@link Partnerbook.updatePartner}: the fields to change. `null` clears an
 * optional field (`alignment: null` goes back to computed alignment).
 *
 * @since 0.1.0
 * @category inputs
 */
export const UpdatePartner = Schema.Struct({
  name: Schema.optional(Name),
  profession: Schema.optional(ProfessionId),
  organization: Schema.optional(Schema.NullOr(Name)),
  kind: Schema.optional(PartnerKind),
  stage: Schema.optional(Stage),
  idealClient: Schema.optional(Schema.NullOr(IdealClientProfile)),
  alignment: Schema.optional(Schema.NullOr(Alignment)),
  cadenceDays: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.between(1, 3650)))),
  knowLikeTrust: Schema.optional(Schema.NullOr(KnowLikeTrust)),
  tags: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(100)))),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000)))
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type UpdatePartner = typeof UpdatePartner.Encoded

/**
 * The input of {@link Partnerbook.giveReferral} and {@link Partnerbook.receiveReferral}.
 * `date` defaults to today; `client` to an empty label.
 *
 * @since 0.1.0
 * @category inputs
 */
export const LogReferral = Schema.Struct({
  partnerId: PartnerId,
  client: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  date: Schema.optional(Day),
  value: Schema.optional(Schema.Number.pipe(Schema.finite(), Schema.nonNegative())),
  fee: Schema.optional(Schema.Number.pipe(Schema.finite(), Schema.nonNegative())),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000))),
  id: Schema.optional(ReferralId)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type LogReferral = typeof LogReferral.Encoded

/**
 * The input of {@link Partnerbook.logInteraction}. `date` defaults to today.
 *
 * @since 0.1.0
 * @category inputs
 */
export const LogInteraction = Schema.Struct({
  partnerId: PartnerId,
  kind: InteractionKind,
  date: Schema.optional(Day),
  positive: Schema.optional(Schema.Boolean),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000))),
  id: Schema.optional(InteractionId)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type LogInteraction = typeof LogInteraction.Encoded

/**
 * The input of {@link Partnerbook.addClient}. `source` defaults to `other`, `acquiredAt` to today.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AddClient = Schema.Struct({
  label: Schema.String.pipe(Schema.maxLength(500)),
  source: Schema.optional(Source),
  askedAbout: Schema.optional(Schema.Array(ProfessionId)),
  acquiredAt: Schema.optional(Day),
  id: Schema.optional(ClientId)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type AddClient = typeof AddClient.Encoded

/**
 * Options of the rules that look at the book as of a date.
 *
 * @since 0.1.0
 * @category inputs
 */
export interface AsOf {
  /** A Date or an ISO-8601 string; defaults to today (Effect's Clock). */
  readonly asOf?: Date | string
}

/**
 * Options of the rules that place partners on the matrix first (agenda, health,
 * progression, portfolio): the as-of date, the activity window and the matrix thresholds.
 *
 * @since 0.1.0
 * @category inputs
 */
export interface RuleOptions<O = never> extends AsOf {
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
  /** The rule's own options (defaults, cadences, weights). */
  readonly options?: O
}

/**
 * The input of {@link Partnerbook.planIntroductions}: `Introductions.Input` with attendees as
 * plain JSON (ids and professions as strings); they are decoded, and a bad one is an
 * `InvalidInput` naming its path (`attendees.3.profession`).
 *
 * @since 0.1.0
 * @category inputs
 */
export type PlanIntroductions = Omit<Introductions.Input, "attendees"> & {
  readonly attendees: ReadonlyArray<typeof Introductions.Attendee.Encoded>
}

/**
 * Everything in a book, loaded in one transaction: what the rules read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly book: BookId
  readonly profile: Profile | undefined
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  readonly interactions: ReadonlyArray<Interaction>
  readonly clients: ReadonlyArray<Client>
}

// ---------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------

/**
 * The use cases. Every method validates its input (an {@link InvalidInputModule.InvalidInput}
 * names the field), runs in one store transaction, and leaves the book unchanged when it fails.
 *
 * @since 0.1.0
 * @category models
 */
export interface Partnerbook {
  /** Creates or updates the book's profile. */
  readonly setProfile: (book: string, input: SetProfile) => Effect.Effect<Profile, PartnerbookError>
  /** The book's profile, if one was set (`undefined` in the Promise API). */
  readonly getProfile: (book: string) => Effect.Effect<Option.Option<Profile>, PartnerbookError>
  readonly addPartner: (book: string, input: AddPartner) => Effect.Effect<Partner, PartnerbookError>
  readonly updatePartner: (
    book: string,
    id: string,
    changes: UpdatePartner
  ) => Effect.Effect<Partner, PartnerbookError>
  readonly getPartner: (book: string, id: string) => Effect.Effect<Partner, PartnerbookError>
  /** All partners, sorted by name. */
  readonly listPartners: (book: string) => Effect.Effect<ReadonlyArray<Partner>, PartnerbookError>
  /** Logs a referral you made to a partner. */
  readonly giveReferral: (book: string, input: LogReferral) => Effect.Effect<Referral, PartnerbookError>
  /** Logs a referral a partner made to you. */
  readonly receiveReferral: (book: string, input: LogReferral) => Effect.Effect<Referral, PartnerbookError>
  /** Moves a referral forwards (`contacted`, then `engaged` or `not-engaged`), optionally with its value. */
  readonly moveReferral: (
    book: string,
    id: string,
    status: ReferralModule.Status,
    options?: { readonly date?: Date | string; readonly value?: number }
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Records the thank-you for a received referral. Thanking twice keeps the first date. */
  readonly thankReferral: (
    book: string,
    id: string,
    date?: Date | string
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Records that the referrer was told the outcome of a received referral. */
  readonly closeLoop: (
    book: string,
    id: string,
    date?: Date | string
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Referrals, optionally of one partner, sorted by date. */
  readonly listReferrals: (
    book: string,
    query?: Store.Query
  ) => Effect.Effect<ReadonlyArray<Referral>, PartnerbookError>
  readonly logInteraction: (
    book: string,
    input: LogInteraction
  ) => Effect.Effect<Interaction, PartnerbookError>
  /** Interactions, optionally of one partner, sorted by date. */
  readonly listInteractions: (
    book: string,
    query?: Store.Query
  ) => Effect.Effect<ReadonlyArray<Interaction>, PartnerbookError>
  readonly addClient: (book: string, input: AddClient) => Effect.Effect<Client, PartnerbookError>
  /** Clients, sorted by acquisition date. */
  readonly listClients: (book: string) => Effect.Effect<ReadonlyArray<Client>, PartnerbookError>
  /** Everything in the book, read in one transaction. */
  readonly snapshot: (book: string) => Effect.Effect<Snapshot, PartnerbookError>
  /** The Referral Partner Matrix, activity counted by the store's window aggregate. */
  readonly matrix: (
    book: string,
    options?: AsOf & { readonly thresholds?: Matrix.Thresholds; readonly windowDays?: number }
  ) => Effect.Effect<ReadonlyArray<Matrix.Placement>, PartnerbookError>
  /** Given versus received per partner, with persistence and advice. */
  readonly balance: (
    book: string,
    options?: AsOf & { readonly rules?: Balance.Rules; readonly windowDays?: number }
  ) => Effect.Effect<ReadonlyArray<Balance.Report>, PartnerbookError>
  /** What is due as of a date, most overdue first. */
  readonly agenda: (
    book: string,
    options?: RuleOptions<Agenda.Options>
  ) => Effect.Effect<ReadonlyArray<Agenda.Item>, PartnerbookError>
  /** The week's outreach rotation (the week containing `weekOf`, default today). */
  readonly outreach: (
    book: string,
    options?: {
      readonly weekOf?: Date | string
      readonly perWeek?: number
      readonly weights?: Partial<Record<Matrix.Quadrant, number>>
      readonly windowDays?: number
      readonly thresholds?: Matrix.Thresholds
    }
  ) => Effect.Effect<Outreach.Rotation, PartnerbookError>
  /** Health score, light and visible components per partner. */
  readonly health: (
    book: string,
    options?: RuleOptions<Health.Options>
  ) => Effect.Effect<ReadonlyArray<Health.Report>, PartnerbookError>
  /** Each partner's inferred stage and next step. */
  readonly progression: (
    book: string,
    options?: RuleOptions<Progression.Options>
  ) => Effect.Effect<ReadonlyArray<Progression.Report>, PartnerbookError>
  /** Active partnerships against the healthy 5..10 range: where to invest, what to let go. */
  readonly portfolio: (
    book: string,
    options?: RuleOptions<Portfolio.Options>
  ) => Effect.Effect<Portfolio.Report, PartnerbookError>
  /** Who to look for next: the seed's three questions. Needs the book's profile (its profession). */
  readonly discover: (
    book: string,
    options?: AsOf & { readonly taxonomy?: Taxonomy; readonly recentClients?: number }
  ) => Effect.Effect<Discovery.Discovery, PartnerbookError>
  /**
   * Referral fees to review: referrals with a fee where your profession or the partner's is
   * regulated for referral fees (see `Compliance.review`), oldest first, as of `asOf`
   * (default today).
   *
   * @since 0.2.0
   */
  readonly compliance: (
    book: string,
    options?: AsOf & { readonly taxonomy?: Taxonomy }
  ) => Effect.Effect<ReadonlyArray<Compliance.Finding>, PartnerbookError>
  /**
   * Rounds of one-to-one introductions for a facilitated event (see `Introductions.plan`).
   * Not about one book: the Promise API offers it on the client, not on a book.
   */
  readonly planIntroductions: (
    input: PlanIntroductions
  ) => Effect.Effect<Introductions.Plan, PartnerbookError>
  readonly exportBook: (book: string) => Effect.Effect<BookDocument.BookDocument, PartnerbookError>
  /** Imports a document made by export (parsed JSON) into this book, which must be empty. */
  readonly importBook: (book: string, json: unknown) => Effect.Effect<Store.ImportSummary, PartnerbookError>
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const Partnerbook: Context.Tag<Partnerbook, Partnerbook> = Context.GenericTag<Partnerbook>(
  "@partnerbook/core/Partnerbook"
)

const invalid = (error: ParseResult.ParseError, prefix: string): InvalidInput => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter((x) => x !== "").join(".")
  return InvalidInputModule.make(field === "" ? "input" : field, issue?.message ?? error.message)
}

const check = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  prefix = ""
): Effect.Effect<A, InvalidInput> =>
  Either.match(Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(input), {
    onLeft: (e) => Effect.fail(invalid(e, prefix)),
    onRight: Effect.succeed
  })

const checkBook = (book: unknown) => check(BookId, book, "book")

/** Runs a pure rule; its InvalidInput becomes a typed failure, anything else stays a defect. */
const rule = <A>(f: () => A): Effect.Effect<A, InvalidInput> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(f())
    } catch (e) {
      if (e instanceof InvalidInputModule.InvalidInput) return Effect.fail(e)
      throw e
    }
  })

const today: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))
const dateArg = (date: Date | string | undefined, field: string): Effect.Effect<Date, InvalidInput> =>
  date === undefined ? today : check(Day, date, field)
const orToday = (date: Date | undefined): Effect.Effect<Date> =>
  date === undefined ? today : Effect.succeed(date)

const newId: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 8 }, () => Random.nextIntBetween(0, 36))),
  (digits) => digits.map((d) => d.toString(36)).join("")
)

const slug = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "partner"

/** `A` with every property that may be undefined made optional instead (for `exactOptionalPropertyTypes`). */
type Defined<A> = { [K in keyof A as undefined extends A[K] ? never : K]: A[K] } & {
  [K in keyof A as undefined extends A[K] ? K : never]?: Exclude<A[K], undefined>
}

const omitUndefined = <A extends object>(a: A): Defined<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Defined<A>

const byDate =
  <A extends { readonly id: string }>(date: (a: A) => Date) =>
  (a: A, b: A) =>
    date(a).getTime() - date(b).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Builds the service over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (store: Store.Store): Partnerbook => {
  const tx = store.transaction

  const requirePartner = (book: BookId, id: PartnerId) => store.partners.get(book, id)

  // A new random id: drawn again only when it is taken (a store error fails the use case, typed).
  const freshId = <A>(find: (id: string) => Effect.Effect<Option.Option<A>, StoreError>, prefix: string) =>
    Effect.flatMap(newId, (id) =>
      Effect.flatMap(
        Effect.mapError(find(`${prefix}${id}`), (error) => ({ store: error })),
        (found) =>
          Option.isSome(found) ? Effect.fail("collision" as const) : Effect.succeed(`${prefix}${id}`)
      )
    ).pipe(
      Effect.retry({ times: 5, while: (e) => e === "collision" }),
      Effect.catchAll((e) =>
        e === "collision"
          ? Effect.dieMessage(`six random ${prefix}ids in a row were taken: the id generator is broken`)
          : Effect.fail(e.store)
      )
    )

  const partnerIdFor = (book: BookId, name: string) =>
    Effect.gen(function* () {
      const base = slug(name)
      for (let n = 1; ; n++) {
        const candidate = n === 1 ? base : `${base}-${n}`
        const found = yield* store.partners.find(book, PartnerId.make(candidate))
        if (Option.isNone(found)) return PartnerId.make(candidate)
      }
    })

  const updateReferral = (
    book: BookId,
    id: ReferralId,
    command: string,
    change: (r: Referral) => Either.Either<Referral, InvalidCommand>
  ) =>
    tx(
      Effect.gen(function* () {
        const current = yield* store.referrals.get(book, id)
        const next = yield* Either.match(change(current), { onLeft: Effect.fail, onRight: Effect.succeed })
        if (next === current) return current
        return yield* store.referrals.put(next)
      })
    ).pipe(Effect.withSpan(`Partnerbook.${command}`))

  const logReferral = (direction: ReferralModule.Direction) => (bookInput: string, input: LogReferral) =>
    Effect.gen(function* () {
      const book = yield* checkBook(bookInput)
      const i = yield* check(LogReferral, input)
      const date = yield* orToday(i.date)
      return yield* tx(
        Effect.gen(function* () {
          yield* requirePartner(book, i.partnerId)
          const id =
            i.id ??
            ReferralId.make(yield* freshId((x) => store.referrals.find(book, ReferralId.make(x)), "r-"))
          return yield* store.referrals.put(
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
                revision: 0
              })
            )
          )
        })
      )
    })

  const snapshot = (bookInput: string): Effect.Effect<Snapshot, PartnerbookError> =>
    Effect.flatMap(checkBook(bookInput), (book) =>
      tx(
        Effect.all({
          profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
          partners: store.partners.list(book),
          referrals: store.referrals.list(book),
          interactions: store.interactions.list(book),
          clients: store.clients.list(book)
        })
      ).pipe(Effect.map((s) => ({ book, ...s })))
    )

  const asOfOf = (options: AsOf | undefined) => dateArg(options?.asOf, "asOf")

  /**
   * The read of the history rules (agenda, health, progression, portfolio): the partners,
   * the profile and the digests the rule's query asks for, plus whatever else the rule reads,
   * in one transaction. Never the whole book.
   */
  const withDigests = <A, X>(
    bookInput: string,
    asOfInput: Date | string | undefined,
    query: (asOf: Date) => Store.DigestQuery,
    extra: (book: BookId, asOf: Date, query: Store.DigestQuery) => Effect.Effect<X, StoreError>,
    f: (
      read: {
        readonly partners: ReadonlyArray<Partner>
        readonly profile: Profile | undefined
        readonly digests: ReadonlyArray<Store.Digest>
        readonly extra: X
      },
      asOf: Date
    ) => A
  ): Effect.Effect<A, PartnerbookError> =>
    Effect.gen(function* () {
      const asOf = yield* dateArg(asOfInput, "asOf")
      const book = yield* checkBook(bookInput)
      const q = yield* rule(() => query(asOf))
      const read = yield* tx(
        Effect.all({
          partners: store.partners.list(book),
          profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
          digests: store.digest(book, q),
          extra: extra(book, asOf, q)
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

  return {
    setProfile: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const i = yield* check(SetProfile, input)
        return yield* tx(
          Effect.gen(function* () {
            const current = yield* store.profile.find(book)
            return yield* store.profile.put(
              Profile.make(
                omitUndefined({
                  book,
                  name: i.name,
                  profession: i.profession,
                  idealClient: i.idealClient ?? Option.getOrUndefined(current)?.idealClient,
                  revision: Option.isSome(current) ? current.value.revision : 0
                })
              )
            )
          })
        )
      }),
    getProfile: (bookInput) => Effect.flatMap(checkBook(bookInput), (book) => store.profile.find(book)),
    addPartner: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const i = yield* check(AddPartner, input)
        const createdAt = yield* orToday(i.createdAt)
        return yield* tx(
          Effect.gen(function* () {
            const id = i.id ?? (yield* partnerIdFor(book, i.name))
            const existing = yield* store.partners.find(book, id)
            if (Option.isSome(existing)) {
              return yield* Effect.fail(
                new InvalidCommand({
                  command: "addPartner",
                  message: `id: a partner with id ${JSON.stringify(id)} already exists`
                })
              )
            }
            return yield* store.partners.put(
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
                  revision: 0
                })
              )
            )
          })
        )
      }),
    updatePartner: (bookInput, id, changes) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const partnerId = yield* check(PartnerId, id, "id")
        const c = yield* check(UpdatePartner, changes)
        return yield* tx(
          Effect.gen(function* () {
            const current = yield* store.partners.get(book, partnerId)
            const merged: Record<string, unknown> = { ...current }
            for (const [key, value] of Object.entries(c)) {
              if (value === undefined) continue
              if (value === null) delete merged[key]
              else merged[key] = value
            }
            return yield* store.partners.put(Partner.make(merged as unknown as Partner))
          })
        )
      }),
    getPartner: (bookInput, id) =>
      Effect.flatMap(Effect.all([checkBook(bookInput), check(PartnerId, id, "id")]), ([book, pid]) =>
        store.partners.get(book, pid)
      ),
    listPartners: (bookInput) =>
      Effect.flatMap(checkBook(bookInput), (book) =>
        Effect.map(store.partners.list(book), (ps) => [...ps].sort(byName))
      ),
    giveReferral: logReferral("given"),
    receiveReferral: logReferral("received"),
    moveReferral: (bookInput, id, status, options = {}) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const rid = yield* check(ReferralId, id, "id")
        const s = yield* check(Status, status, "status")
        const value =
          options.value === undefined
            ? undefined
            : yield* check(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), options.value, "value")
        const at = yield* dateArg(options.date, "date")
        return yield* updateReferral(book, rid, "moveReferral", (r) => {
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
        })
      }),
    thankReferral: (bookInput, id, date) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const rid = yield* check(ReferralId, id, "id")
        const at = yield* dateArg(date, "date")
        return yield* updateReferral(book, rid, "thankReferral", (r) =>
          r.direction !== "received"
            ? Either.left(
                new InvalidCommand({
                  command: "thankReferral",
                  message: `referral ${r.id} was given, not received: a thank-you is owed for referrals you receive`
                })
              )
            : r.thankedAt !== undefined
              ? Either.right(r)
              : Either.right(Referral.make({ ...r, thankedAt: at }))
        )
      }),
    closeLoop: (bookInput, id, date) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const rid = yield* check(ReferralId, id, "id")
        const at = yield* dateArg(date, "date")
        return yield* updateReferral(book, rid, "closeLoop", (r) =>
          r.direction !== "received"
            ? Either.left(
                new InvalidCommand({
                  command: "closeLoop",
                  message: `referral ${r.id} was given, not received: close the loop with the partner who referred a client to you`
                })
              )
            : !ReferralModule.isClosed(r)
              ? Either.left(
                  new InvalidCommand({
                    command: "closeLoop",
                    message: `referral ${r.id} is still ${r.status}: record its outcome (engaged or not-engaged) first`
                  })
                )
              : r.loopClosedAt !== undefined
                ? Either.right(r)
                : Either.right(Referral.make({ ...r, loopClosedAt: at }))
        )
      }),
    listReferrals: (bookInput, query) =>
      Effect.flatMap(checkBook(bookInput), (book) =>
        Effect.map(store.referrals.list(book, query), (rs) => [...rs].sort(byDate((r) => r.date)))
      ),
    logInteraction: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const i = yield* check(LogInteraction, input)
        const date = yield* orToday(i.date)
        return yield* tx(
          Effect.gen(function* () {
            yield* requirePartner(book, i.partnerId)
            const id =
              i.id ??
              InteractionId.make(
                yield* freshId((x) => store.interactions.find(book, InteractionId.make(x)), "i-")
              )
            return yield* store.interactions.put(
              Interaction.make(
                omitUndefined({
                  id,
                  book,
                  partnerId: i.partnerId,
                  kind: i.kind,
                  date,
                  positive: i.positive,
                  notes: i.notes,
                  revision: 0
                })
              )
            )
          })
        )
      }),
    listInteractions: (bookInput, query) =>
      Effect.flatMap(checkBook(bookInput), (book) =>
        Effect.map(store.interactions.list(book, query), (xs) => [...xs].sort(byDate((x) => x.date)))
      ),
    addClient: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const i = yield* check(AddClient, input)
        const acquiredAt = yield* orToday(i.acquiredAt)
        return yield* tx(
          Effect.gen(function* () {
            const source = i.source ?? { _tag: "other" as const }
            if (source._tag === "partner") yield* requirePartner(book, source.partnerId)
            const id =
              i.id ?? ClientId.make(yield* freshId((x) => store.clients.find(book, ClientId.make(x)), "c-"))
            return yield* store.clients.put(
              Client.make({
                id,
                book,
                label: i.label,
                acquiredAt,
                source,
                askedAbout: i.askedAbout ?? [],
                revision: 0
              })
            )
          })
        )
      }),
    listClients: (bookInput) =>
      Effect.flatMap(checkBook(bookInput), (book) =>
        Effect.map(store.clients.list(book), (xs) => [...xs].sort(byDate((x) => x.acquiredAt)))
      ),
    snapshot,
    matrix: (bookInput, options = {}) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const asOf = yield* asOfOf(options)
        const windowDays = options.windowDays ?? Matrix.defaultWindowDays
        const after = new Date(asOf.getTime() - windowDays * 86_400_000)
        const { partners, profile, rows } = yield* tx(
          Effect.all({
            partners: store.partners.list(book),
            profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
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
      }),
    balance: (bookInput, options = {}) => {
      const settings = (asOf: Date) =>
        omitUndefined({ asOf, rules: options.rules, windowDays: options.windowDays }) as Balance.Settings
      return withDigests(
        bookInput,
        options.asOf,
        (asOf) => Balance.query(settings(asOf)),
        nothing,
        ({ digests, partners }, asOf) =>
          Balance.fromSummary({
            ...settings(asOf),
            partners: [...partners].sort(byName),
            digests
          })
      )
    },
    agenda: (bookInput, options = {}) =>
      withDigests(
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
      ),
    outreach: (bookInput, options = {}) =>
      Effect.gen(function* () {
        const weekOf = yield* dateArg(options.weekOf, "weekOf")
        const book = yield* checkBook(bookInput)
        const settings = omitUndefined({
          weekOf,
          perWeek: options.perWeek,
          weights: options.weights,
          windowDays: options.windowDays,
          thresholds: options.thresholds
        }) as Outreach.Settings
        const query = yield* rule(() => Outreach.query(settings))
        const read = yield* tx(
          Effect.gen(function* () {
            const { partners, profile, digests } = yield* Effect.all({
              partners: store.partners.list(book),
              profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
              digests: store.digest(book, query)
            })
            // The quadrants are judged as of the pass's start, which the last touches decide.
            const window = yield* rule(() => Outreach.countsWindow({ ...settings, partners, digests }))
            const counts = yield* store.window(book, window)
            return { partners, profile, digests, counts }
          })
        )
        return yield* rule(() => Outreach.fromSummary({ ...settings, ...read }))
      }),
    health: (bookInput, options = {}) =>
      withDigests(
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
      ),
    progression: (bookInput, options = {}) =>
      withDigests(
        bookInput,
        options.asOf,
        (asOf) => Progression.query(settingsOf(asOf, options)),
        nothing,
        ({ extra: _, ...read }, asOf) => Progression.fromSummary({ ...settingsOf(asOf, options), ...read })
      ),
    portfolio: (bookInput, options = {}) =>
      withDigests(
        bookInput,
        options.asOf,
        (asOf) => Portfolio.query(settingsOf(asOf, options)),
        nothing,
        ({ extra: _, ...read }, asOf) => Portfolio.fromSummary({ ...settingsOf(asOf, options), ...read })
      ),
    compliance: (bookInput, options = {}) =>
      Effect.gen(function* () {
        const asOf = yield* dateArg(options.asOf, "asOf")
        const book = yield* checkBook(bookInput)
        // The profile, the partners and the referrals up to asOf; never the interactions.
        // (Every referral dated up to asOf is read: the fee is not indexed yet.)
        const s = yield* tx(
          Effect.all({
            profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
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
      }),
    discover: (bookInput, options = {}) =>
      Effect.gen(function* () {
        const asOf = yield* dateArg(options.asOf, "asOf")
        const book = yield* checkBook(bookInput)
        // Coverage goes by the stage inferred from history, not the recorded one: discovery
        // reads the partners, the clients and the digests that stage is inferred from, never
        // the referrals or interactions themselves.
        const query = yield* rule(() => Discovery.query({ asOf }))
        const s = yield* tx(
          Effect.all({
            profile: Effect.map(store.profile.find(book), Option.getOrUndefined),
            partners: store.partners.list(book),
            clients: store.clients.list(book),
            digests: store.digest(book, query)
          })
        ).pipe(Effect.map((read) => ({ book, ...read })))
        if (s.profile === undefined) {
          return yield* Effect.fail(
            new InvalidCommand({
              command: "discover",
              message: `book ${JSON.stringify(s.book)} has no profile: set one (your name and profession) first; discovery pairs professions with yours`
            })
          )
        }
        const profile = s.profile
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
      }),
    planIntroductions: (input) =>
      Effect.flatMap(check(Schema.Array(Introductions.Attendee), input.attendees, "attendees"), (attendees) =>
        rule(() => Introductions.plan({ ...input, attendees }))
      ),
    exportBook: (bookInput) => Effect.flatMap(checkBook(bookInput), (book) => store.exportBook(book)),
    importBook: (bookInput, json) =>
      Effect.flatMap(checkBook(bookInput), (book) => store.importJson(json, { book }))
  }
}

/**
 * The service over whatever {@link Store.Store} the context provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Partnerbook, never, Store.Store> = Layer.effect(
  Partnerbook,
  Effect.map(Store.Store, make)
)
