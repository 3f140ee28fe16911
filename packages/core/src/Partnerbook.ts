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
import { Context, Effect, Layer, type Option } from "effect"
import type * as Agenda from "./Agenda.js"
import type * as Balance from "./Balance.js"
import type { BookId } from "./Book.js"
import type * as BookDocument from "./BookDocument.js"
import type { Client } from "./Client.js"
import type * as Compliance from "./Compliance.js"
import type * as Discovery from "./Discovery.js"
import type * as Health from "./Health.js"
import type { Interaction } from "./Interaction.js"
import * as Activity from "./internal/partnerbook/activity.js"
import * as Commands from "./internal/partnerbook/commands.js"
import * as Partners from "./internal/partnerbook/partners.js"
import * as Rules from "./internal/partnerbook/rules.js"
import * as Sync from "./internal/partnerbook/sync.js"
import * as Transfer from "./internal/partnerbook/transfer.js"
import type * as Introductions from "./Introductions.js"
import type * as InvalidInputModule from "./InvalidInput.js"
import type * as Matrix from "./Matrix.js"
import type * as Outreach from "./Outreach.js"
import type { Partner } from "./Partner.js"
import type * as Portfolio from "./Portfolio.js"
import type { Taxonomy } from "./Profession.js"
import type { Profile } from "./Profile.js"
import type * as Progression from "./Progression.js"
import type * as ReferralModule from "./Referral.js"
import type { Referral } from "./Referral.js"
import * as Store from "./Store.js"
import type { BookNotEmpty, InvalidData, NotFound, RevisionConflict, StoreError } from "./StoreError.js"

type InvalidInput = InvalidInputModule.InvalidInput

// InvalidCommand: a command that is well-formed but not allowed in the book's current state.
// Declared (and documented) beside the command inputs, which the use cases read.
export { InvalidCommand } from "./internal/partnerbook/commands.js"

/**
 * Every error a use case can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type PartnerbookError =
  | InvalidInput
  | Commands.InvalidCommand
  | InvalidData
  | NotFound
  | RevisionConflict
  | BookNotEmpty
  | StoreError

// ---------------------------------------------------------------------------------------
// Command inputs
// ---------------------------------------------------------------------------------------

/**
 * The input of {@link Partnerbook.setProfile}.
 *
 * @since 0.1.0
 * @category inputs
 */
export const SetProfile = Commands.SetProfile
/**
 * @since 0.1.0
 * @category inputs
 */
export type SetProfile = typeof SetProfile.Encoded

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
export const AddPartner = Commands.AddPartner
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
export const UpdatePartner = Commands.UpdatePartner
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
export const LogReferral = Commands.LogReferral
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
export const LogInteraction = Commands.LogInteraction
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
export const AddClient = Commands.AddClient
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
export const ListQuery = Commands.ListQuery
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
export interface Expect extends Commands.Expect {}

/**
 * Options of {@link Partnerbook.thankReferral} and {@link Partnerbook.closeLoop} (a bare date
 * stays accepted).
 *
 * @since 0.2.0
 * @category inputs
 */
export interface DatedChange extends Commands.DatedChange {}

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
export const SearchPartners = Commands.SearchPartners
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
export const ChangesQuery = Commands.ChangesQuery
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
export interface AsOf extends Commands.AsOf {}

/**
 * Options of the rules that place partners on the matrix first (agenda, health,
 * progression, portfolio): the as-of date, the activity window and the matrix thresholds.
 *
 * @since 0.1.0
 * @category inputs
 */
export interface RuleOptions<O = never> extends Commands.RuleOptions<O> {}

/**
 * The input of {@link Partnerbook.planIntroductions}: `Introductions.Input` with attendees as
 * plain JSON (ids and professions as strings); they are decoded, and a bad one is an
 * `InvalidInput` naming its path (`attendees.3.profession`).
 *
 * @since 0.1.0
 * @category inputs
 */
export type PlanIntroductions = Commands.PlanIntroductions

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
 * Every call runs in a tracing span named after its method (`Partnerbook.addPartner`), with
 * the book id as its `partnerbook.book` attribute and its failure, if any, recorded on it.
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

/**
 * Builds the service over a store: each method is a named, traced use case given the store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (store: Store.Store): Partnerbook => ({
  setProfile: (book, input) => Partners.setProfile(store, book, input),
  getProfile: (book) => Partners.getProfile(store, book),
  addPartner: (book, input) => Partners.addPartner(store, book, input),
  updatePartner: (book, id, changes, options) => Partners.updatePartner(store, book, id, changes, options),
  getPartner: (book, id) => Partners.getPartner(store, book, id),
  listPartners: (book) => Partners.listPartners(store, book),
  giveReferral: (book, input) => Activity.giveReferral(store, book, input),
  receiveReferral: (book, input) => Activity.receiveReferral(store, book, input),
  moveReferral: (book, id, status, options) => Activity.moveReferral(store, book, id, status, options),
  thankReferral: (book, id, options) => Activity.thankReferral(store, book, id, options),
  closeLoop: (book, id, options) => Activity.closeLoop(store, book, id, options),
  listReferrals: (book, query) => Activity.listReferrals(store, book, query),
  logInteraction: (book, input) => Activity.logInteraction(store, book, input),
  listInteractions: (book, query) => Activity.listInteractions(store, book, query),
  addClient: (book, input) => Activity.addClient(store, book, input),
  listClients: (book) => Activity.listClients(store, book),
  snapshot: (book) => Rules.snapshot(store, book),
  matrix: (book, options) => Rules.matrix(store, book, options),
  balance: (book, options) => Rules.balance(store, book, options),
  agenda: (book, options) => Rules.agenda(store, book, options),
  outreach: (book, options) => Rules.outreach(store, book, options),
  health: (book, options) => Rules.health(store, book, options),
  progression: (book, options) => Rules.progression(store, book, options),
  portfolio: (book, options) => Rules.portfolio(store, book, options),
  discover: (book, options) => Rules.discover(store, book, options),
  compliance: (book, options) => Rules.compliance(store, book, options),
  planIntroductions: (input) => Rules.planIntroductions(input),
  exportBook: (book) => Transfer.exportBook(store, book),
  importBook: (book, json) => Transfer.importBook(store, book, json),
  erase: (book) => Transfer.erase(store, book),
  deletePartner: (book, id, options) => Partners.deletePartner(store, book, id, options),
  deleteReferral: (book, id, options) => Activity.deleteReferral(store, book, id, options),
  deleteInteraction: (book, id, options) => Activity.deleteInteraction(store, book, id, options),
  deleteClient: (book, id, options) => Activity.deleteClient(store, book, id, options),
  mergePartners: (book, keepId, duplicateId) => Partners.mergePartners(store, book, keepId, duplicateId),
  findByExternalId: (book, entity, externalId) => Sync.findByExternalId(store, book, entity, externalId),
  searchPartners: (book, query) => Partners.searchPartners(store, book, query),
  changes: (book, query) => Sync.changes(store, book, query)
})

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
