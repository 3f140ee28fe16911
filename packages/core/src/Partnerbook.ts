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
import { Clock, Context, DateTime, Effect, Either, Layer, Option, ParseResult, Random, Schema } from "effect"
import * as Agenda from "./Agenda.js"
import * as Balance from "./Balance.js"
import { BookId, defaultTimeZone, ExternalId, IsoDate, TimeZone } from "./Book.js"
import * as BookDocument from "./BookDocument.js"
import * as Compliance from "./Compliance.js"
import { Client, ClientId, Source } from "./Client.js"
import * as Discovery from "./Discovery.js"
import * as Health from "./Health.js"
import { IdealClientProfile } from "./IdealClientProfile.js"
import * as Hostile from "./internal/hostile.js"
import { Interaction, InteractionId, Kind as InteractionKind } from "./Interaction.js"
import * as Introductions from "./Introductions.js"
import { midnightIn } from "./internal/time.js"
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
import {
  type BookNotEmpty,
  InvalidData,
  type NotFound,
  RevisionConflict,
  type StoreError
} from "./StoreError.js"
import * as Humanize from "./internal/humanize.js"

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
// A date argument: a Date in the range of a stored date (a Date of year 0 is InvalidInput),
// or a string read as an IsoDate (whose own message says what is wrong with it).
const Day = Schema.transformOrFail(
  Schema.Union(Schema.DateFromSelf, Schema.String),
  Schema.typeSchema(IsoDate),
  {
    strict: true,
    decode: (input) =>
      typeof input === "string" ? ParseResult.decodeUnknown(IsoDate)(input) : ParseResult.succeed(input),
    encode: ParseResult.succeed
  }
)

/**
 * The input of {@link Partnerbook.setProfile}.
 *
 * @since 0.1.0
 * @category inputs
 */
export const SetProfile = Schema.Struct({
  name: Name,
  profession: ProfessionId,
  idealClient: Schema.optional(IdealClientProfile),
  /** The book's IANA time zone (since 0.2.0); kept when absent, `"UTC"` for a new profile. */
  timeZone: Schema.optional(TimeZone)
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
  tags: Schema.optional(Partner.fields.tags),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000))),
  externalId: Schema.optional(ExternalId)
}

/**
 * The input of {@link Partnerbook.addPartner}. `id` is a short random id (`p-` and 8
 * characters; no personal data) when absent. `kind` defaults to `complementary`, `stage` to
 * `identified`, `createdAt` to today. With an `externalId` that a partner of the book already
 * has, the call returns that partner unchanged when every given field equals it, else fails
 * with `InvalidCommand` naming `externalId`.
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
  tags: Schema.optional(Partner.fields.tags),
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(200_000))),
  externalId: Schema.optional(Schema.NullOr(ExternalId))
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
  id: Schema.optional(ReferralId),
  externalId: Schema.optional(ExternalId)
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
  id: Schema.optional(InteractionId),
  externalId: Schema.optional(ExternalId)
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
  askedAbout: Schema.optional(Client.fields.askedAbout),
  acquiredAt: Schema.optional(Day),
  id: Schema.optional(ClientId),
  externalId: Schema.optional(ExternalId)
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type AddClient = typeof AddClient.Encoded

/**
 * The query of {@link Partnerbook.listReferrals} and {@link Partnerbook.listInteractions}:
 * one partner and/or dates in `(after, until]`, as plain strings or Dates (date-only strings
 * mean midnight in the book's time zone).
 *
 * @since 0.2.0
 * @category inputs
 */
export const ListQuery = Schema.Struct({
  partnerId: Schema.optional(PartnerId),
  after: Schema.optional(Day),
  until: Schema.optional(Day)
})
/**
 * @since 0.2.0
 * @category inputs
 */
export type ListQuery = typeof ListQuery.Encoded

/**
 * The optimistic-concurrency option of every change: when given and not the stored
 * revision, the change fails with `RevisionConflict` and writes nothing.
 *
 * @since 0.2.0
 * @category inputs
 */
export interface Expect {
  readonly expectedRevision?: number
}

/**
 * Options of {@link Partnerbook.thankReferral} and {@link Partnerbook.closeLoop} (a bare date
 * stays accepted).
 *
 * @since 0.2.0
 * @category inputs
 */
export interface DatedChange extends Expect {
  readonly date?: Date | string
}

/**
 * What {@link Partnerbook.deletePartner} removed: the partner, its referrals and
 * interactions, and how many clients it was the source of (kept, their source set to
 * `other`).
 *
 * @since 0.2.0
 * @category models
 */
export interface DeleteSummary {
  readonly partners: number
  readonly referrals: number
  readonly interactions: number
  readonly clients: number
}

/**
 * The query of {@link Partnerbook.searchPartners}. `text` matches the name, organization,
 * profession, tags and notes, ignoring case and accents ("jose" finds "José"); `stage` and
 * `tag` filter exactly; `limit` (1..1000, default 50) bounds a page; `cursor` is the
 * `nextCursor` of the previous page.
 *
 * @since 0.2.0
 * @category inputs
 */
export const SearchPartners = Schema.Struct({
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  stage: Schema.optional(Stage),
  tag: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(2000)))
})
/**
 * @since 0.2.0
 * @category inputs
 */
export type SearchPartners = typeof SearchPartners.Encoded

/**
 * A page of {@link Partnerbook.searchPartners}: partners by name (case- and
 * accent-insensitive, then by id), and the cursor of the next page when there is one.
 *
 * @since 0.2.0
 * @category models
 */
export interface SearchPage {
  readonly items: ReadonlyArray<Partner>
  readonly nextCursor?: string
}

/**
 * The options of {@link Partnerbook.changes}: the sequence to start after (default 0) and
 * the page size (1..10000, default 1000).
 *
 * @since 0.2.0
 * @category inputs
 */
export const ChangesQuery = Schema.Struct({
  after: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000)))
})
/**
 * @since 0.2.0
 * @category inputs
 */
export type ChangesQuery = typeof ChangesQuery.Encoded

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
    changes: UpdatePartner,
    options?: Expect
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
    options?: { readonly date?: Date | string; readonly value?: number } & Expect
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Records the thank-you for a received referral. Thanking twice keeps the first date. */
  readonly thankReferral: (
    book: string,
    id: string,
    options?: Date | string | DatedChange
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Records that the referrer was told the outcome of a received referral. */
  readonly closeLoop: (
    book: string,
    id: string,
    options?: Date | string | DatedChange
  ) => Effect.Effect<Referral, PartnerbookError>
  /** Referrals, optionally of one partner, sorted by date. */
  readonly listReferrals: (
    book: string,
    query?: ListQuery
  ) => Effect.Effect<ReadonlyArray<Referral>, PartnerbookError>
  readonly logInteraction: (
    book: string,
    input: LogInteraction
  ) => Effect.Effect<Interaction, PartnerbookError>
  /** Interactions, optionally of one partner, sorted by date. */
  readonly listInteractions: (
    book: string,
    query?: ListQuery
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
  /**
   * Imports a document made by export into this book, which must be empty: the decoded
   * document `exportBook` returns, or its parsed JSON.
   */
  readonly importBook: (book: string, json: unknown) => Effect.Effect<Store.ImportSummary, PartnerbookError>
  /**
   * Deletes a partner. With history (referrals, interactions, or clients it was the source
   * of) it is `InvalidCommand` unless `cascade`: then its referrals and interactions go too
   * and its clients' source becomes `other`, all in one transaction.
   */
  readonly deletePartner: (
    book: string,
    id: string,
    options?: Expect & { readonly cascade?: boolean }
  ) => Effect.Effect<DeleteSummary, PartnerbookError>
  readonly deleteReferral: (
    book: string,
    id: string,
    options?: Expect
  ) => Effect.Effect<void, PartnerbookError>
  readonly deleteInteraction: (
    book: string,
    id: string,
    options?: Expect
  ) => Effect.Effect<void, PartnerbookError>
  readonly deleteClient: (book: string, id: string, options?: Expect) => Effect.Effect<void, PartnerbookError>
  /**
   * Merges a duplicate into the partner to keep, in one transaction: the duplicate's
   * referrals, interactions and clients move to `keepId`; the kept partner keeps its own
   * fields and takes the duplicate's only where its own are empty; tags are united; the
   * duplicate is removed. Merging a partner into itself is `InvalidCommand`.
   */
  readonly mergePartners: (
    book: string,
    keepId: string,
    duplicateId: string
  ) => Effect.Effect<Partner, PartnerbookError>
  /** Removes every record of the book (an erasure request), in one transaction. */
  readonly erase: (book: string) => Effect.Effect<Store.EraseSummary, PartnerbookError>
  /** The partner, referral, interaction or client whose `externalId` is given, if any. */
  readonly findByExternalId: (
    book: string,
    entity: Store.ExternalEntity,
    externalId: string
  ) => Effect.Effect<Option.Option<Partner | Referral | Interaction | Client>, PartnerbookError>
  /** Partners matching a text (case- and accent-insensitive), stage and tag, one page at a time. */
  readonly searchPartners: (
    book: string,
    query?: SearchPartners
  ) => Effect.Effect<SearchPage, PartnerbookError>
  /** The book's change feed after a sequence (see `Store.changes`). */
  readonly changes: (book: string, query?: ChangesQuery) => Effect.Effect<Store.ChangePage, PartnerbookError>
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
  const problem = Humanize.problemOf(error)
  const field = [prefix, ...problem.path.map(String)].filter((x) => x !== "").join(".")
  return InvalidInputModule.make(field === "" ? "input" : field, problem.message)
}

const check = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  prefix = ""
): Effect.Effect<A, InvalidInput> => {
  // Lone surrogates and runaway nesting first: the Schema's messages quote the value.
  const hostile = Hostile.scan(input)
  if (hostile !== undefined) {
    const field = [prefix, ...hostile.path.map(String)].filter((x) => x !== "").join(".")
    return Effect.fail(InvalidInputModule.make(field === "" ? "input" : field, hostile.problem))
  }
  return Either.match(Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(input), {
    onLeft: (e) => Effect.fail(invalid(e, prefix)),
    onRight: Effect.succeed
  })
}

const checkBook = (book: unknown) => check(BookId, book, "book")

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
const dateOfOptions = (options: Date | string | DatedChange | undefined): Date | string | undefined =>
  options === undefined || typeof options === "string" || options instanceof Date ? options : options.date

const orToday = (date: Date | undefined): Effect.Effect<Date> =>
  date === undefined ? today : Effect.succeed(date)

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** A date-only string becomes midnight of that day in `zone` (an ISO instant); anything else stays. */
const localize = (zone: string, value: unknown): unknown => {
  if (zone === defaultTimeZone || typeof value !== "string" || !DATE_ONLY.test(value)) return value
  const utc = new Date(`${value}T00:00:00.000Z`)
  // Not a real day: leave it to the schema, which names the field.
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== value) return value
  const named = DateTime.zoneMakeNamed(zone)
  if (Option.isNone(named)) return value
  return new Date(
    midnightIn(named.value, utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate())
  ).toISOString()
}

/** `input` with its date fields localized (see {@link localize}). */
const localizeFields = (zone: string, input: unknown, fields: ReadonlyArray<string>): unknown => {
  if (zone === defaultTimeZone || typeof input !== "object" || input === null || Array.isArray(input))
    return input
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) }
  for (const field of fields) if (Object.hasOwn(out, field)) out[field] = localize(zone, out[field])
  return out
}

/** A JSON text of a value with object keys sorted, for comparing given fields with a record. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  ) ?? "undefined"

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

const decodeCursor = (cursor: string): Either.Either<readonly [string, string], InvalidInput> => {
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

const Revisions = Schema.Int.pipe(Schema.nonNegative())

const expectedOf = (options: unknown): Effect.Effect<number | undefined, InvalidInput> => {
  if (typeof options !== "object" || options === null || options instanceof Date)
    return Effect.succeed(undefined)
  const value = (options as { readonly expectedRevision?: unknown }).expectedRevision
  return value === undefined ? Effect.succeed(undefined) : check(Revisions, value, "expectedRevision")
}

/** Fails with RevisionConflict when an expected revision is given and is not the stored one. */
const expectRevision = (
  entity: Store.ExternalEntity,
  record: { readonly book: string; readonly id: string; readonly revision: number },
  expected: number | undefined
): Effect.Effect<void, RevisionConflict> =>
  expected === undefined || expected === record.revision
    ? Effect.void
    : Effect.fail(
        new RevisionConflict({ entity, book: record.book, id: record.id, expected, actual: record.revision })
      )

const newId: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 8 }, () => Random.nextIntBetween(0, 36))),
  (digits) => digits.map((d) => d.toString(36)).join("")
)

/** `A` with every property that may be undefined made optional instead (for `exactOptionalPropertyTypes`). */
type Defined<A> = { [K in keyof A as undefined extends A[K] ? never : K]: A[K] } & {
  [K in keyof A as undefined extends A[K] ? K : never]?: Exclude<A[K], undefined>
}

const omitUndefined = <A extends object>(a: A): Defined<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Defined<A>

/** Records in id order (code units): cascades and merges write in this order, so their changes are deterministic. */
const sortById = <A extends { readonly id: string }>(records: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

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

  /** An id given by the caller must be new: the same refusal as `addPartner`'s. */
  const requireNew = (
    found: Effect.Effect<Option.Option<unknown>, StoreError>,
    command: string,
    entity: string,
    id: string
  ): Effect.Effect<void, InvalidCommand | StoreError> =>
    Effect.flatMap(found, (existing) =>
      Option.isSome(existing)
        ? Effect.fail(
            new InvalidCommand({
              command,
              message: `id: ${entity === "interaction" ? "an" : "a"} ${entity} with id ${JSON.stringify(id)} already exists`
            })
          )
        : Effect.void
    )

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

  const zoneOf = (book: BookId): Effect.Effect<string, StoreError> =>
    Effect.map(store.profile.find(book), (p) =>
      Option.isSome(p) ? (p.value.timeZone ?? defaultTimeZone) : defaultTimeZone
    )

  /** A date argument of a book: date-only strings mean midnight in the book's zone. */
  const dayArg = (book: BookId, date: Date | string | undefined, field: string) =>
    date === undefined
      ? today
      : Effect.flatMap(zoneOf(book), (zone) => dateArg(localize(zone, date) as string, field))

  /**
   * The record of `kind` holding `externalId`, when every given field equals it (a retried
   * create); `undefined` when no record holds it; else InvalidCommand naming `externalId`.
   */
  const existingFor = <K extends Store.ExternalEntity>(
    kind: K,
    book: BookId,
    externalId: string | undefined,
    given: Record<string, unknown>,
    command: string
  ): Effect.Effect<Store.Records[K] | undefined, InvalidCommand | StoreError> =>
    externalId === undefined
      ? Effect.succeed(undefined)
      : Effect.flatMap(store.findByExternalId(kind, book, externalId), (found) => {
          if (Option.isNone(found)) return Effect.succeed(undefined)
          const record = found.value as unknown as Record<string, unknown>
          for (const [key, value] of Object.entries(given)) {
            if (value === undefined || canonical(value) === canonical(record[key])) continue
            return Effect.fail(
              new InvalidCommand({
                command,
                message: `externalId: ${kind} ${JSON.stringify(record.id)} already has externalId ${JSON.stringify(externalId)} and a different ${key}; a retried create must carry the same fields`
              })
            )
          }
          return Effect.succeed(found.value)
        })

  const updateReferral = (
    book: BookId,
    id: ReferralId,
    command: string,
    change: (r: Referral) => Either.Either<Referral, InvalidCommand>,
    expected?: number
  ) =>
    tx(
      Effect.gen(function* () {
        const current = yield* store.referrals.get(book, id)
        yield* expectRevision("referral", current, expected)
        const next = yield* Either.match(change(current), { onLeft: Effect.fail, onRight: Effect.succeed })
        if (next === current) return current
        return yield* store.referrals.put(next)
      })
    ).pipe(Effect.withSpan(`Partnerbook.${command}`))

  const listQuery = (bookInput: string, query: ListQuery | undefined) =>
    Effect.gen(function* () {
      const book = yield* checkBook(bookInput)
      if (query === undefined) return [book, undefined] as const
      const zone = yield* zoneOf(book)
      const q = yield* check(ListQuery, localizeFields(zone, query, ["after", "until"]), "query")
      return [book, omitUndefined(q) as Store.Query] as const
    })

  const deleteOne = <I extends string>(
    entity: Store.ExternalEntity,
    bookInput: string,
    id: string,
    options: Expect | undefined,
    schema: Schema.Schema<I, string>,
    remove: (book: BookId, id: I, revision: number | undefined) => Effect.Effect<void, PartnerbookError>
  ): Effect.Effect<void, PartnerbookError> =>
    Effect.gen(function* () {
      const book = yield* checkBook(bookInput)
      const rid = yield* check(schema, id, "id")
      const expected = yield* expectedOf(options)
      return yield* remove(book, rid, expected)
    }).pipe(Effect.withSpan(`Partnerbook.delete.${entity}`))

  const logReferral = (direction: ReferralModule.Direction) => (bookInput: string, input: LogReferral) =>
    Effect.gen(function* () {
      const book = yield* checkBook(bookInput)
      const zone = yield* zoneOf(book)
      const i = yield* check(LogReferral, localizeFields(zone, input, ["date"]))
      const date = yield* orToday(i.date)
      return yield* tx(
        Effect.gen(function* () {
          const existing = yield* existingFor(
            "referral",
            book,
            i.externalId,
            { ...i, client: i.client, direction },
            direction === "given" ? "giveReferral" : "receiveReferral"
          )
          if (existing !== undefined) return existing
          yield* requirePartner(book, i.partnerId)
          if (i.id !== undefined) {
            yield* requireNew(
              store.referrals.find(book, i.id),
              `${direction === "given" ? "give" : "receive"}Referral`,
              "referral",
              i.id
            )
          }
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
                externalId: i.externalId,
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

  const asOfOf = (book: BookId, options: AsOf | undefined) => dayArg(book, options?.asOf, "asOf")

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
      const book = yield* checkBook(bookInput)
      const asOf = yield* dayArg(book, asOfInput, "asOf")
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
                  timeZone: i.timeZone ?? Option.getOrUndefined(current)?.timeZone,
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
        const zone = yield* zoneOf(book)
        const i = yield* check(AddPartner, localizeFields(zone, input, ["createdAt"]))
        const createdAt = yield* orToday(i.createdAt)
        return yield* tx(
          Effect.gen(function* () {
            const existingByExternal = yield* existingFor("partner", book, i.externalId, i, "addPartner")
            if (existingByExternal !== undefined) return existingByExternal
            const id =
              i.id ??
              PartnerId.make(yield* freshId((x) => store.partners.find(book, PartnerId.make(x)), "p-"))
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
                  externalId: i.externalId,
                  revision: 0
                })
              )
            )
          })
        )
      }),
    updatePartner: (bookInput, id, changes, options) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const partnerId = yield* check(PartnerId, id, "id")
        const c = yield* check(UpdatePartner, changes)
        const expected = yield* expectedOf(options)
        return yield* tx(
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
        const at = yield* dayArg(book, options.date, "date")
        const expected = yield* expectedOf(options)
        return yield* updateReferral(
          book,
          rid,
          "moveReferral",
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
      }),
    thankReferral: (bookInput, id, options) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const rid = yield* check(ReferralId, id, "id")
        const at = yield* dayArg(book, dateOfOptions(options), "date")
        const expected = yield* expectedOf(options)
        return yield* updateReferral(
          book,
          rid,
          "thankReferral",
          (r) =>
            r.direction !== "received"
              ? Either.left(
                  new InvalidCommand({
                    command: "thankReferral",
                    message: `referral ${r.id} was given, not received: a thank-you is owed for referrals you receive`
                  })
                )
              : r.thankedAt !== undefined
                ? Either.right(r)
                : Either.right(Referral.make({ ...r, thankedAt: at })),
          expected
        )
      }),
    closeLoop: (bookInput, id, options) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const rid = yield* check(ReferralId, id, "id")
        const at = yield* dayArg(book, dateOfOptions(options), "date")
        const expected = yield* expectedOf(options)
        return yield* updateReferral(
          book,
          rid,
          "closeLoop",
          (r) =>
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
                  : Either.right(Referral.make({ ...r, loopClosedAt: at })),
          expected
        )
      }),
    listReferrals: (bookInput, query) =>
      Effect.flatMap(listQuery(bookInput, query), ([book, q]) =>
        Effect.map(store.referrals.list(book, q), (rs) => [...rs].sort(byDate((r) => r.date)))
      ),
    logInteraction: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const zone = yield* zoneOf(book)
        const i = yield* check(LogInteraction, localizeFields(zone, input, ["date"]))
        const date = yield* orToday(i.date)
        return yield* tx(
          Effect.gen(function* () {
            const existing = yield* existingFor("interaction", book, i.externalId, i, "logInteraction")
            if (existing !== undefined) return existing
            yield* requirePartner(book, i.partnerId)
            if (i.id !== undefined) {
              yield* requireNew(store.interactions.find(book, i.id), "logInteraction", "interaction", i.id)
            }
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
                  externalId: i.externalId,
                  revision: 0
                })
              )
            )
          })
        )
      }),
    listInteractions: (bookInput, query) =>
      Effect.flatMap(listQuery(bookInput, query), ([book, q]) =>
        Effect.map(store.interactions.list(book, q), (xs) => [...xs].sort(byDate((x) => x.date)))
      ),
    addClient: (bookInput, input) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const zone = yield* zoneOf(book)
        const i = yield* check(AddClient, localizeFields(zone, input, ["acquiredAt"]))
        const acquiredAt = yield* orToday(i.acquiredAt)
        return yield* tx(
          Effect.gen(function* () {
            const existing = yield* existingFor("client", book, i.externalId, i, "addClient")
            if (existing !== undefined) return existing
            const source = i.source ?? { _tag: "other" as const }
            if (source._tag === "partner") yield* requirePartner(book, source.partnerId)
            if (i.id !== undefined)
              yield* requireNew(store.clients.find(book, i.id), "addClient", "client", i.id)
            const id =
              i.id ?? ClientId.make(yield* freshId((x) => store.clients.find(book, ClientId.make(x)), "c-"))
            return yield* store.clients.put(
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
        const asOf = yield* asOfOf(book, options)
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
        const book = yield* checkBook(bookInput)
        const weekOf = yield* dayArg(book, options.weekOf, "weekOf")
        const timeZone = yield* zoneOf(book)
        const settings = omitUndefined({
          weekOf,
          timeZone,
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
        const book = yield* checkBook(bookInput)
        const asOf = yield* dayArg(book, options.asOf, "asOf")
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
        const book = yield* checkBook(bookInput)
        const asOf = yield* dayArg(book, options.asOf, "asOf")
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
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        // A decoded document (what exportBook returns) is checked as its JSON, like any other.
        const input = json instanceof BookDocument.BookDocument ? BookDocument.encode(json) : json
        const document = yield* Either.match(BookDocument.decode(input), {
          onLeft: Effect.fail,
          onRight: Effect.succeed
        })
        const dangling = danglingReference(document)
        if (dangling !== undefined) return yield* Effect.fail(dangling)
        return yield* store.importBook(document, { book })
      }),
    deletePartner: (bookInput, id, options = {}) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const partnerId = yield* check(PartnerId, id, "id")
        const expected = yield* expectedOf(options)
        const cascade =
          options.cascade === undefined ? false : yield* check(Schema.Boolean, options.cascade, "cascade")
        return yield* tx(
          Effect.gen(function* () {
            const current = yield* store.partners.get(book, partnerId)
            yield* expectRevision("partner", current, expected)
            const query = { partnerId }
            const referrals = sortById(yield* store.referrals.list(book, query))
            const interactions = sortById(yield* store.interactions.list(book, query))
            const clients = sortById(yield* store.clients.list(book, query))
            const history = referrals.length + interactions.length + clients.length
            if (history > 0 && !cascade) {
              return yield* Effect.fail(
                new InvalidCommand({
                  command: "deletePartner",
                  message: `cascade: partner ${JSON.stringify(partnerId)} has history (${referrals.length} referrals, ${interactions.length} interactions, ${clients.length} clients it was the source of); pass { cascade: true } to delete it with its referrals and interactions, or merge it into another partner`
                })
              )
            }
            for (const r of referrals) yield* store.referrals.remove(book, r.id, r.revision)
            for (const x of interactions) yield* store.interactions.remove(book, x.id, x.revision)
            for (const c of clients)
              yield* store.clients.put(Client.make({ ...c, source: { _tag: "other" } }))
            yield* store.partners.remove(book, partnerId, current.revision)
            return {
              partners: 1,
              referrals: referrals.length,
              interactions: interactions.length,
              clients: clients.length
            }
          })
        ).pipe(Effect.withSpan("Partnerbook.deletePartner"))
      }),
    deleteReferral: (bookInput, id, options) =>
      deleteOne("referral", bookInput, id, options, ReferralId, (book, rid, revision) =>
        store.referrals.remove(book, rid, revision)
      ),
    deleteInteraction: (bookInput, id, options) =>
      deleteOne("interaction", bookInput, id, options, InteractionId, (book, xid, revision) =>
        store.interactions.remove(book, xid, revision)
      ),
    deleteClient: (bookInput, id, options) =>
      deleteOne("client", bookInput, id, options, ClientId, (book, cid, revision) =>
        store.clients.remove(book, cid, revision)
      ),
    mergePartners: (bookInput, keepInput, duplicateInput) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const keepId = yield* check(PartnerId, keepInput, "keepId")
        const duplicateId = yield* check(PartnerId, duplicateInput, "duplicateId")
        if (keepId === duplicateId) {
          return yield* Effect.fail(
            new InvalidCommand({
              command: "mergePartners",
              message: `duplicateId: cannot merge partner ${JSON.stringify(keepId)} into itself`
            })
          )
        }
        return yield* tx(
          Effect.gen(function* () {
            const keep = yield* store.partners.get(book, keepId)
            const duplicate = yield* store.partners.get(book, duplicateId)
            const query = { partnerId: duplicateId }
            for (const r of sortById(yield* store.referrals.list(book, query)))
              yield* store.referrals.put(Referral.make({ ...r, partnerId: keepId }))
            for (const x of sortById(yield* store.interactions.list(book, query)))
              yield* store.interactions.put(Interaction.make({ ...x, partnerId: keepId }))
            for (const c of sortById(yield* store.clients.list(book, query)))
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
        ).pipe(Effect.withSpan("Partnerbook.mergePartners"))
      }),
    erase: (bookInput) => Effect.flatMap(checkBook(bookInput), (book) => store.erase(book)),
    findByExternalId: (bookInput, entity, externalId) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const kind = yield* check(
          Schema.Literal("partner", "referral", "interaction", "client"),
          entity,
          "entity"
        )
        const x = yield* check(ExternalId, externalId, "externalId")
        return yield* store.findByExternalId(kind, book, x)
      }),
    searchPartners: (bookInput, query = {}) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const q = yield* check(SearchPartners, query)
        const after =
          q.cursor === undefined
            ? undefined
            : yield* Either.match(decodeCursor(q.cursor), { onLeft: Effect.fail, onRight: Effect.succeed })
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
      }),
    changes: (bookInput, query = {}) =>
      Effect.gen(function* () {
        const book = yield* checkBook(bookInput)
        const q = yield* check(ChangesQuery, query)
        return yield* store.changes(book, omitUndefined({ after: q.after, limit: q.limit }))
      })
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
