/**
 * The storage interface every adapter implements (memory, SQLite, JSON file, PostgreSQL),
 * and the in-memory store.
 *
 * A store holds many books; every call names its book and no call reads or writes across
 * books. Every record carries a `revision`: a write must carry the stored revision (0 for a
 * new record) and is stored with revision + 1; a stale write fails with
 * {@link StoreError.RevisionConflict} and changes nothing.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, Option, type ParseResult, Schema } from "effect"
import type { BookId } from "./Book.js"
import * as BookDocument from "./BookDocument.js"
import { Client, type ClientId } from "./Client.js"
import * as Hostile from "./internal/hostile.js"
import * as Memory from "./internal/memory.js"
import { Interaction, type InteractionId, type Kind as InteractionKind } from "./Interaction.js"
import { Partner, type PartnerId } from "./Partner.js"
import { Profile } from "./Profile.js"
import { Referral, type ReferralId } from "./Referral.js"
import {
  BookNotEmpty,
  type Entity,
  InvalidData,
  invalidData,
  NotFound,
  RevisionConflict,
  type StoreError
} from "./StoreError.js"

/**
 * The record type of each entity kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface Records {
  readonly profile: Profile
  readonly partner: Partner
  readonly referral: Referral
  readonly interaction: Interaction
  readonly client: Client
}

/**
 * The kinds that live in collections (everything but the one profile of a book).
 *
 * @since 0.1.0
 * @category models
 */
export type CollectionEntity = Exclude<Entity, "profile">

/**
 * The schema of each entity kind.
 *
 * @since 0.1.0
 * @category constants
 */
export const schemas = {
  profile: Profile,
  partner: Partner,
  referral: Referral,
  interaction: Interaction,
  client: Client
} as const

/**
 * Every collection kind, in a fixed order.
 *
 * @since 0.1.0
 * @category constants
 */
export const collections: ReadonlyArray<CollectionEntity> = ["partner", "referral", "interaction", "client"]

/**
 * The id of a record: the book for a profile, the record's `id` otherwise.
 *
 * @since 0.1.0
 * @category getters
 */
export const idOf = (kind: Entity, record: Records[Entity]): string =>
  kind === "profile" ? (record as Profile).book : (record as Records[CollectionEntity]).id

/**
 * The partner a record is about (a client's source partner; a partner's own id), if any.
 * Adapters index this for {@link Query.partnerId}.
 *
 * @since 0.1.0
 * @category getters
 */
export const partnerOf = (kind: Entity, record: Records[Entity]): string | undefined => {
  switch (kind) {
    case "partner":
      return (record as Partner).id
    case "referral":
      return (record as Referral).partnerId
    case "interaction":
      return (record as Interaction).partnerId
    case "client": {
      const source = (record as Client).source
      return source._tag === "partner" ? source.partnerId : undefined
    }
    default:
      return undefined
  }
}

/**
 * The date a record is filed under for {@link Query} ranges: a referral's or interaction's
 * `date`, a client's `acquiredAt`, a partner's `createdAt`.
 *
 * @since 0.1.0
 * @category getters
 */
export const dateOf = (kind: Entity, record: Records[Entity]): Date | undefined => {
  switch (kind) {
    case "partner":
      return (record as Partner).createdAt
    case "referral":
      return (record as Referral).date
    case "interaction":
      return (record as Interaction).date
    case "client":
      return (record as Client).acquiredAt
    default:
      return undefined
  }
}

/**
 * A filter for `list`: records about one partner and/or filed under a date in
 * `(after, until]` (see {@link dateOf}). Every field is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Query {
  readonly partnerId?: PartnerId | undefined
  /** Only records dated strictly after this instant. */
  readonly after?: Date | undefined
  /** Only records dated at or before this instant. */
  readonly until?: Date | undefined
}

/**
 * Whether a record matches a query (the reference semantics adapters must reproduce).
 *
 * @since 0.1.0
 * @category predicates
 */
export const matches = (kind: Entity, record: Records[Entity], query: Query | undefined): boolean => {
  if (query === undefined) return true
  if (query.partnerId !== undefined && partnerOf(kind, record) !== query.partnerId) return false
  if (query.after !== undefined || query.until !== undefined) {
    const date = dateOf(kind, record)
    if (date === undefined) return false
    if (query.after !== undefined && date.getTime() <= query.after.getTime()) return false
    if (query.until !== undefined && date.getTime() > query.until.getTime()) return false
  }
  return true
}

/**
 * One row of the window aggregate: a partner's referrals in the window, each way, and the
 * value of the business that closed (`engaged` referrals' `value`).
 *
 * @since 0.1.0
 * @category models
 */
export interface WindowRow {
  readonly partnerId: PartnerId
  readonly given: number
  readonly received: number
  readonly givenValue: number
  readonly receivedValue: number
}

/**
 * The window of the aggregate: referrals dated in `(after, until]`, the same convention as
 * the matrix (`asOf - 365 days` exclusive, `asOf` inclusive).
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly after: Date
  readonly until: Date
}

/**
 * The window aggregate computed from a list of referrals: one row per partner with at least
 * one referral in the window, sorted by partner id. The reference for adapters that push the
 * aggregate into their database.
 *
 * @since 0.1.0
 * @category rules
 */
export const aggregate = (referrals: ReadonlyArray<Referral>, window: Window): ReadonlyArray<WindowRow> => {
  const after = window.after.getTime()
  const until = window.until.getTime()
  const rows = new Map<
    PartnerId,
    { given: number; received: number; givenValue: number; receivedValue: number }
  >()
  for (const r of referrals) {
    const t = r.date.getTime()
    if (t <= after || t > until) continue
    let row = rows.get(r.partnerId)
    if (row === undefined) {
      row = { given: 0, received: 0, givenValue: 0, receivedValue: 0 }
      rows.set(r.partnerId, row)
    }
    const value = r.status === "engaged" ? (r.value ?? 0) : 0
    if (r.direction === "given") {
      row.given++
      row.givenValue += value
    } else {
      row.received++
      row.receivedValue += value
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partnerId, row]) => ({ partnerId, ...row }))
}

/**
 * What {@link Digest} reads: every fact is taken from records dated at or before `asOf`,
 * except the window counts, which count the records dated in each window.
 *
 * @since 0.2.0
 * @category models
 */
export interface DigestQuery {
  /** Only records dated at or before this instant count (the windows excepted). */
  readonly asOf: Date
  /** Windows `(after, until]`, each counted per partner in {@link Digest.windows}, in this order. */
  readonly windows: ReadonlyArray<Window>
  /** `k`: {@link Digest.positiveAt} is the date of the k-th positive interaction (an integer >= 1). */
  readonly positiveRank: number
  /** The interaction kinds whose first and latest dates {@link Digest.first} and {@link Digest.last} give. */
  readonly kinds: ReadonlyArray<InteractionKind>
  /**
   * The follow-up gaps ({@link Digest.longestGap}) are measured from the later of this instant
   * and the first `ideal-client-shared` interaction. Without it there are no follow-up facts
   * (`touchesSinceShared` 0, `longestGap` null), which spares the store counting them.
   */
  readonly followUpFrom?: Date | undefined
  /**
   * The length, in days, of the windows that end at each partner's own latest touch and latest
   * referral ({@link Digest.upToLastTouch}, {@link Digest.upToLastReferral}): finite, `> 0`.
   * Absent: those counts are 0.
   *
   * @since 0.2.0
   */
  readonly trailingDays?: number
}

/**
 * Referrals each way.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReferralCounts {
  readonly given: number
  readonly received: number
}

/**
 * One window of a {@link Digest}: the partner's referrals each way and interactions dated in it.
 *
 * @since 0.2.0
 * @category models
 */
export interface WindowCounts {
  readonly given: number
  readonly received: number
  readonly interactions: number
}

/**
 * Everything the rules that follow a book's history read about one partner, as of a date:
 * the few dates and counts a whole history boils down to (see {@link DigestQuery}). A
 * "touch" is ANY referral (either direction) or interaction.
 *
 * @since 0.2.0
 * @category models
 */
export interface Digest {
  readonly partnerId: PartnerId
  /** The latest touch, or `null`. */
  readonly lastTouch: Date | null
  /** The earliest and latest referral you gave the partner, or `null`. */
  readonly firstGiven: Date | null
  readonly lastGiven: Date | null
  /** The latest referral either way, or `null`. */
  readonly lastReferral: Date | null
  /** The latest referral the partner sent you, or `null`. */
  readonly lastReceived: Date | null
  /**
   * Referrals each way dated in the `trailingDays` up to and including {@link lastTouch}:
   * `(lastTouch - trailingDays, lastTouch]` (0 without a touch or without `trailingDays`).
   */
  readonly upToLastTouch: ReferralCounts
  /**
   * Referrals each way dated in the `trailingDays` up to and including {@link lastReferral}
   * (0 without a referral or without `trailingDays`).
   */
  readonly upToLastReferral: ReferralCounts
  /** Referrals each way that became `engaged` at or before `asOf` (`statusChangedAt`, else `date`). */
  readonly engagedGiven: number
  readonly engagedReceived: number
  /** Interactions marked `positive: true`. */
  readonly positives: number
  /** The date of the `positiveRank`-th positive interaction in date order, or `null` with fewer. */
  readonly positiveAt: Date | null
  /** The first interaction of each kind asked for in `kinds` (absent when none). */
  readonly first: { readonly [K in InteractionKind]?: Date }
  /**
   * The latest interaction of each kind asked for in `kinds` (absent when none).
   *
   * @since 0.2.0
   */
  readonly last: { readonly [K in InteractionKind]?: Date }
  /** The first `ideal-client-shared` interaction, or `null`. */
  readonly shared: Date | null
  /** Touches dated strictly after `shared` (0 without one, or without `followUpFrom`). */
  readonly touchesSinceShared: number
  /**
   * The longest gap, in milliseconds, between consecutive instants of: the later of `shared`
   * and `followUpFrom`, the touches strictly after it, and `asOf`. `null` without `shared` (or
   * without `followUpFrom`).
   */
  readonly longestGap: number | null
  /** The counts of each window of the query, in its order. */
  readonly windows: ReadonlyArray<WindowCounts>
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const checkDigestQuery = (query: DigestQuery): void => {
  if (!Number.isSafeInteger(query.positiveRank) || query.positiveRank < 1) {
    throw new RangeError(`positiveRank must be an integer >= 1, got ${query.positiveRank}`)
  }
  checkDays("trailingDays", query.trailingDays)
}

const checkDays = (field: string, days: number | undefined): void => {
  if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
    throw new RangeError(`${field} must be a finite number > 0, got ${days}`)
  }
}

/** A number of days in milliseconds, as every store computes it (`days * 86_400_000`). */
const daysMs = (days: number | undefined): number => (days === undefined ? 0 : days * 86_400_000)

/**
 * The digests computed from lists of records: one per distinct partner in `partners`, sorted
 * by partner id; records of other partners are ignored. The reference for adapters that push
 * the digest into their database.
 *
 * @since 0.2.0
 * @category rules
 */
export const digest = (
  partners: ReadonlyArray<Pick<Partner, "id">>,
  referrals: ReadonlyArray<Referral>,
  interactions: ReadonlyArray<Interaction>,
  query: DigestQuery
): ReadonlyArray<Digest> => {
  checkDigestQuery(query)
  const asOf = query.asOf.getTime()
  const windows = query.windows.map((w) => [w.after.getTime(), w.until.getTime()] as const)
  const kinds = new Set<string>(query.kinds)
  interface Acc {
    lastTouch: number | undefined
    firstGiven: number | undefined
    lastGiven: number | undefined
    lastReferral: number | undefined
    lastReceived: number | undefined
    upToLastTouch: { given: number; received: number }
    upToLastReferral: { given: number; received: number }
    engagedGiven: number
    engagedReceived: number
    positives: Array<number>
    first: Map<string, number>
    last: Map<string, number>
    shared: number | undefined
    touchesSinceShared: number
    since: number
    touches: Array<number>
    windows: Array<{ given: number; received: number; interactions: number }>
  }
  const accs = new Map<string, Acc>()
  for (const p of partners) {
    if (accs.has(p.id)) continue
    accs.set(p.id, {
      lastTouch: undefined,
      firstGiven: undefined,
      lastGiven: undefined,
      lastReferral: undefined,
      lastReceived: undefined,
      upToLastTouch: { given: 0, received: 0 },
      upToLastReferral: { given: 0, received: 0 },
      engagedGiven: 0,
      engagedReceived: 0,
      positives: [],
      first: new Map(),
      last: new Map(),
      shared: undefined,
      touchesSinceShared: 0,
      since: 0,
      touches: [],
      windows: windows.map(() => ({ given: 0, received: 0, interactions: 0 }))
    })
  }
  const touch = (a: Acc, t: number) => {
    if (a.lastTouch === undefined || t > a.lastTouch) a.lastTouch = t
  }
  for (const r of referrals) {
    const a = accs.get(r.partnerId)
    if (a === undefined) continue
    const t = r.date.getTime()
    for (let w = 0; w < windows.length; w++) {
      const [after, until] = windows[w]!
      if (t > after && t <= until) a.windows[w]![r.direction]++
    }
    if (t > asOf) continue
    touch(a, t)
    if (a.lastReferral === undefined || t > a.lastReferral) a.lastReferral = t
    if (r.direction === "given") {
      if (a.firstGiven === undefined || t < a.firstGiven) a.firstGiven = t
      if (a.lastGiven === undefined || t > a.lastGiven) a.lastGiven = t
    } else if (a.lastReceived === undefined || t > a.lastReceived) a.lastReceived = t
    if (r.status === "engaged" && (r.statusChangedAt ?? r.date).getTime() <= asOf) {
      if (r.direction === "given") a.engagedGiven++
      else a.engagedReceived++
    }
  }
  for (const x of interactions) {
    const a = accs.get(x.partnerId)
    if (a === undefined) continue
    const t = x.date.getTime()
    for (let w = 0; w < windows.length; w++) {
      const [after, until] = windows[w]!
      if (t > after && t <= until) a.windows[w]!.interactions++
    }
    if (t > asOf) continue
    touch(a, t)
    if (x.positive === true) a.positives.push(t)
    if (kinds.has(x.kind)) {
      const f = a.first.get(x.kind)
      if (f === undefined || t < f) a.first.set(x.kind, t)
      const l = a.last.get(x.kind)
      if (l === undefined || t > l) a.last.set(x.kind, t)
    }
    if (x.kind === "ideal-client-shared" && (a.shared === undefined || t < a.shared)) a.shared = t
  }
  // Follow-up since the sharing: a second pass now that each partner's sharing date is known.
  const followUp = query.followUpFrom !== undefined
  const from = query.followUpFrom?.getTime() ?? 0
  for (const a of accs.values()) if (a.shared !== undefined) a.since = Math.max(a.shared, from)
  const follow = (partnerId: string, t: number) => {
    const a = accs.get(partnerId)
    if (!followUp || a === undefined || a.shared === undefined || t > asOf || t <= a.shared) return
    a.touchesSinceShared++
    if (t > a.since) a.touches.push(t)
  }
  for (const r of referrals) follow(r.partnerId, r.date.getTime())
  for (const x of interactions) follow(x.partnerId, x.date.getTime())
  // The trailing windows: a third pass over the referrals now that the latest dates are known.
  if (query.trailingDays !== undefined) {
    const trailing = daysMs(query.trailingDays)
    for (const r of referrals) {
      const a = accs.get(r.partnerId)
      const t = r.date.getTime()
      if (a === undefined || t > asOf) continue
      // Every referral dated at or before asOf is at or before both latest dates.
      if (a.lastTouch !== undefined && t > a.lastTouch - trailing) a.upToLastTouch[r.direction]++
      if (a.lastReferral !== undefined && t > a.lastReferral - trailing) a.upToLastReferral[r.direction]++
    }
  }
  const out: Array<Digest> = []
  for (const [partnerId, a] of accs) {
    a.positives.sort((x, y) => x - y)
    let longestGap: number | null = null
    if (followUp && a.shared !== undefined) {
      a.touches.sort((x, y) => x - y)
      let previous = a.since
      longestGap = 0
      for (const t of [...a.touches, asOf]) {
        longestGap = Math.max(longestGap, t - previous)
        previous = t
      }
    }
    const first: { [K in InteractionKind]?: Date } = {}
    const last: { [K in InteractionKind]?: Date } = {}
    for (const kind of query.kinds) {
      const t = a.first.get(kind)
      if (t !== undefined) first[kind] = new Date(t)
      const l = a.last.get(kind)
      if (l !== undefined) last[kind] = new Date(l)
    }
    out.push({
      partnerId: partnerId as PartnerId,
      lastTouch: dateOrNull(a.lastTouch),
      firstGiven: dateOrNull(a.firstGiven),
      lastGiven: dateOrNull(a.lastGiven),
      lastReferral: dateOrNull(a.lastReferral),
      lastReceived: dateOrNull(a.lastReceived),
      upToLastTouch: a.upToLastTouch,
      upToLastReferral: a.upToLastReferral,
      engagedGiven: a.engagedGiven,
      engagedReceived: a.engagedReceived,
      positives: a.positives.length,
      positiveAt: dateOrNull(a.positives[query.positiveRank - 1]),
      first,
      last,
      shared: dateOrNull(a.shared),
      touchesSinceShared: a.touchesSinceShared,
      longestGap,
      windows: a.windows
    })
  }
  return out.sort((a, b) => compareIds(a.partnerId, b.partnerId))
}

const dateOrNull = (t: number | undefined): Date | null => (t === undefined ? null : new Date(t))

/**
 * What follow-through judges of a received referral: its dates and status, nothing else.
 *
 * @since 0.2.0
 * @category models
 */
export type Received = Pick<
  Referral,
  "id" | "partnerId" | "direction" | "date" | "status" | "statusChangedAt" | "thankedAt" | "loopClosedAt"
>

/**
 * Whether a received referral still asks for something as of `asOf`: dated at or before it,
 * and not thanked by then, or without an outcome (`engaged` / `not-engaged`, dated
 * `statusChangedAt`, else `date`) by then, or with its loop not closed by then.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isPending = (referral: Referral, asOf: Date): boolean => {
  const t = asOf.getTime()
  if (referral.direction !== "received" || referral.date.getTime() > t) return false
  const done = (at: Date | undefined) => at !== undefined && at.getTime() <= t
  const decided =
    (referral.status === "engaged" || referral.status === "not-engaged") &&
    done(referral.statusChangedAt ?? referral.date)
  return !(done(referral.thankedAt) && decided && done(referral.loopClosedAt))
}

/**
 * The pending referrals of a list (see {@link isPending}), sorted by id: the reference for
 * adapters that push the filter into their database.
 *
 * @since 0.2.0
 * @category rules
 */
export const pending = (referrals: ReadonlyArray<Referral>, asOf: Date): ReadonlyArray<Referral> =>
  referrals.filter((r) => isPending(r, asOf)).sort((a, b) => compareIds(a.id, b.id))

/**
 * What {@link received} reads.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReceivedQuery {
  /** Only referrals dated at or before this instant count. */
  readonly asOf: Date
  /** The length of each partner's window, in days: finite, `> 0`. */
  readonly days: number
}

const projectReceived = (r: Referral): Received => ({
  id: r.id,
  partnerId: r.partnerId,
  direction: r.direction,
  date: r.date,
  status: r.status,
  ...(r.statusChangedAt === undefined ? {} : { statusChangedAt: r.statusChangedAt }),
  ...(r.thankedAt === undefined ? {} : { thankedAt: r.thankedAt }),
  ...(r.loopClosedAt === undefined ? {} : { loopClosedAt: r.loopClosedAt })
})

/**
 * The received referrals of the given partners that are dated in the `days` up to and
 * including that partner's latest received referral (dated at or before `asOf`):
 * `(lastReceived - days, lastReceived]`, as {@link Received} (only those fields), sorted by
 * id; records of other partners are ignored. Health judges the follow-through done on these
 * (what is still owed, however old, comes from {@link pending}). The reference for adapters
 * that push the read into their database.
 *
 * @since 0.2.0
 * @category rules
 */
export const received = (
  partners: ReadonlyArray<Pick<Partner, "id">>,
  referrals: ReadonlyArray<Referral>,
  query: ReceivedQuery
): ReadonlyArray<Received> => {
  checkDays("days", query.days)
  const asOf = query.asOf.getTime()
  const latest = new Map<string, number | undefined>()
  for (const p of partners) latest.set(p.id, undefined)
  for (const r of referrals) {
    const t = r.date.getTime()
    if (r.direction !== "received" || t > asOf || !latest.has(r.partnerId)) continue
    const l = latest.get(r.partnerId)
    if (l === undefined || t > l) latest.set(r.partnerId, t)
  }
  const span = daysMs(query.days)
  const out: Array<Received> = []
  for (const r of referrals) {
    const l = latest.get(r.partnerId)
    const t = r.date.getTime()
    if (r.direction === "received" && l !== undefined && t <= l && t > l - span) out.push(projectReceived(r))
  }
  return out.sort((a, b) => compareIds(a.id, b.id))
}

/**
 * Typed access to one collection of a book.
 *
 * @since 0.1.0
 * @category models
 */
export interface Collection<Id extends string, A> {
  /** The record, or {@link NotFound}. */
  readonly get: (book: BookId, id: Id) => Effect.Effect<A, NotFound | StoreError>
  /** The record, if present. */
  readonly find: (book: BookId, id: Id) => Effect.Effect<Option.Option<A>, StoreError>
  /** Creates (revision 0) or replaces (the stored revision) a record; returns it with revision + 1. */
  readonly put: (record: A) => Effect.Effect<A, RevisionConflict | InvalidData | StoreError>
  /** Removes a record; when `revision` is given it must be the stored one. */
  readonly remove: (
    book: BookId,
    id: Id,
    revision?: number
  ) => Effect.Effect<void, NotFound | RevisionConflict | StoreError>
  /** The book's records matching the query, in no particular order. */
  readonly list: (book: BookId, query?: Query) => Effect.Effect<ReadonlyArray<A>, StoreError>
}

/**
 * What an import did.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportSummary = BookDocument.Counts & { readonly book: BookId }

/**
 * One entry of a book's change feed: the latest write to one record. `sequence` is per book,
 * strictly increasing and never reused; `revision` is the stored revision after a `put`.
 *
 * @since 0.2.0
 * @category models
 */
export interface Change {
  readonly sequence: number
  readonly entity: Entity
  readonly id: string
  readonly op: "put" | "delete"
  readonly revision?: number
}

/**
 * A change before its sequence is assigned (what {@link Backend.record} takes).
 *
 * @since 0.2.0
 * @category models
 */
export type ChangeInput = Omit<Change, "sequence">

/**
 * A page of the change feed: the changes after the asked sequence, oldest first, and `last`,
 * the highest sequence of the book (0 for a book that was never written).
 *
 * @since 0.2.0
 * @category models
 */
export interface ChangePage {
  readonly changes: ReadonlyArray<Change>
  readonly last: number
}

/**
 * What {@link Store.erase} removed.
 *
 * @since 0.2.0
 * @category models
 */
export type EraseSummary = BookDocument.Counts

/**
 * The kinds that carry an `externalId`.
 *
 * @since 0.2.0
 * @category models
 */
export type ExternalEntity = CollectionEntity

/**
 * The key of a record in a change feed (entity and id), for adapters that keep the feed in a map.
 *
 * @since 0.2.0
 * @category getters
 */
export const keyOfChange: (change: { readonly entity: Entity; readonly id: string }) => string =
  Memory.keyOfChange

/**
 * The store service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  readonly profile: {
    readonly get: (book: BookId) => Effect.Effect<Profile, NotFound | StoreError>
    readonly find: (book: BookId) => Effect.Effect<Option.Option<Profile>, StoreError>
    readonly put: (profile: Profile) => Effect.Effect<Profile, RevisionConflict | InvalidData | StoreError>
  }
  readonly partners: Collection<PartnerId, Partner>
  readonly referrals: Collection<ReferralId, Referral>
  readonly interactions: Collection<InteractionId, Interaction>
  readonly clients: Collection<ClientId, Client>
  /** Per partner: referrals and closed value given and received in the window, sorted by partner id. */
  readonly window: (book: BookId, window: Window) => Effect.Effect<ReadonlyArray<WindowRow>, StoreError>
  /** One {@link Digest} per partner of the book, sorted by partner id (see {@link digest}). */
  readonly digest: (book: BookId, query: DigestQuery) => Effect.Effect<ReadonlyArray<Digest>, StoreError>
  /** The received referrals that still ask for something as of `asOf`, sorted by id (see {@link isPending}). */
  readonly pending: (book: BookId, asOf: Date) => Effect.Effect<ReadonlyArray<Referral>, StoreError>
  /**
   * Per partner of the book, the received referrals in the `days` up to their latest received
   * one, only the fields follow-through judges, sorted by id (see {@link received}).
   */
  readonly received: (
    book: BookId,
    query: ReceivedQuery
  ) => Effect.Effect<ReadonlyArray<Received>, StoreError>
  /**
   * Runs `effect` so that its writes land together or not at all: if it fails (or is
   * interrupted) nothing it wrote remains. Nested calls join the outer transaction.
   */
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  /** The whole book as one document, records sorted by id. */
  readonly exportBook: (book: BookId) => Effect.Effect<BookDocument.BookDocument, StoreError>
  /**
   * Loads a document into an empty book (the document's own, or `options.book`), keeping
   * every record's revision, in one transaction.
   */
  readonly importBook: (
    document: BookDocument.BookDocument,
    options?: { readonly book?: BookId }
  ) => Effect.Effect<ImportSummary, BookNotEmpty | InvalidData | StoreError>
  /** Decodes a document from parsed JSON (see `BookDocument.decode`) and imports it. */
  readonly importJson: (
    json: unknown,
    options?: { readonly book?: BookId }
  ) => Effect.Effect<ImportSummary, InvalidData | BookNotEmpty | StoreError>
  /** The ids of the books that hold at least one record, sorted. */
  readonly books: () => Effect.Effect<ReadonlyArray<BookId>, StoreError>
  /**
   * The book's change feed after `after` (default 0), at most `limit` (default 1000) changes,
   * oldest first. Every write (puts, removes, imports, erase) appends to it in the write's
   * own transaction; only the latest change of each record is kept.
   */
  readonly changes: (
    book: BookId,
    options?: { readonly after?: number; readonly limit?: number }
  ) => Effect.Effect<ChangePage, StoreError>
  /** The record of that kind whose `externalId` is the given one, if any. */
  readonly findByExternalId: <K extends ExternalEntity>(
    kind: K,
    book: BookId,
    externalId: string
  ) => Effect.Effect<Option.Option<Records[K]>, StoreError>
  /** Removes every record of the book in one transaction (the change feed records each delete). */
  readonly erase: (book: BookId) => Effect.Effect<EraseSummary, StoreError>
}

/**
 * The store service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const Store: Context.Tag<Store, Store> = Context.GenericTag<Store>("@partnerbook/core/Store")

/**
 * The few primitives an adapter implements; {@link make} derives the whole {@link Store}
 * (revision checks, typed collections, export and import) from them. Every primitive takes
 * and returns decoded records and never checks revisions itself.
 *
 * Since 0.2.0 (CRM integration): two new REQUIRED primitives keep the change feed,
 * {@link Backend.record} and {@link Backend.changes}; `make` calls `record` inside the
 * transaction of every write. One new optional primitive, {@link Backend.findByExternalId},
 * defaults to a filter over `list`; an adapter with an index provides it. `make` refuses a
 * write whose `externalId` another record of that kind holds; an adapter may also keep a
 * unique index on (book, kind, externalId) as a backstop.
 *
 * @since 0.1.0
 * @category models
 */
export interface Backend {
  /** The stored record, if any. */
  readonly read: <K extends Entity>(
    kind: K,
    book: BookId,
    id: string
  ) => Effect.Effect<Option.Option<Records[K]>, StoreError>
  /**
   * The stored revision of a record (`null` when absent), for the revision check of a write.
   * Optional: defaults to `read`; an adapter provides it when reading the revision alone is
   * cheaper than decoding the whole record.
   */
  readonly revision?: (kind: Entity, book: BookId, id: string) => Effect.Effect<number | null, StoreError>
  /** Inserts or replaces a record as given (its revision already set by the caller). */
  readonly write: <K extends Entity>(kind: K, record: Records[K]) => Effect.Effect<void, StoreError>
  /** Deletes a record; deleting an absent record is not an error. */
  readonly delete: (kind: Entity, book: BookId, id: string) => Effect.Effect<void, StoreError>
  /** The records of a book matching the query (see {@link matches}). */
  readonly list: <K extends CollectionEntity>(
    kind: K,
    book: BookId,
    query: Query | undefined
  ) => Effect.Effect<ReadonlyArray<Records[K]>, StoreError>
  /** Writes many records of one kind at once (import); defaults to `write` one by one. */
  readonly writeMany?: <K extends Entity>(
    kind: K,
    records: ReadonlyArray<Records[K]>
  ) => Effect.Effect<void, StoreError>
  /** The window aggregate; defaults to {@link aggregate} over `list`. */
  readonly window?: (book: BookId, window: Window) => Effect.Effect<ReadonlyArray<WindowRow>, StoreError>
  /**
   * The digests; defaults to {@link digest} over `list` (partners, referrals, interactions).
   * An adapter that provides it must give the same rows.
   */
  readonly digest?: (book: BookId, query: DigestQuery) => Effect.Effect<ReadonlyArray<Digest>, StoreError>
  /** The pending referrals; defaults to {@link pending} over `list`. */
  readonly pending?: (book: BookId, asOf: Date) => Effect.Effect<ReadonlyArray<Referral>, StoreError>
  /**
   * The received referrals of each partner's trailing window; defaults to {@link received}
   * over `list` (partners, referrals up to `asOf`).
   */
  readonly received?: (
    book: BookId,
    query: ReceivedQuery
  ) => Effect.Effect<ReadonlyArray<Received>, StoreError>
  /** Whether the book holds no record at all. */
  readonly isEmpty: (book: BookId) => Effect.Effect<boolean, StoreError>
  /** The ids of the books that hold at least one record. */
  readonly books: () => Effect.Effect<ReadonlyArray<BookId>, StoreError>
  /** Runs an effect atomically (see {@link Store.transaction}); nested calls must join. */
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  /**
   * REQUIRED since 0.2.0. Appends changes to the book's feed, in order, and returns the
   * sequence of the last one. Always called inside a {@link Backend.transaction}. The first
   * change gets `last + 1`, where `last` is the highest sequence the book ever had (0 for
   * none); a record keeps only its latest change (an older one of the same entity and id is
   * dropped), so the highest sequence is never dropped and never reused. The sequence must
   * be read and written in the same transaction as the records, so two processes never get
   * the same number (SQL: a table in the same transaction; a file: under its lock).
   */
  readonly record: (book: BookId, changes: ReadonlyArray<ChangeInput>) => Effect.Effect<number, StoreError>
  /**
   * REQUIRED since 0.2.0. The changes with `sequence > after`, ascending, at most `limit`,
   * and the book's highest sequence (0 for none).
   */
  readonly changes: (book: BookId, after: number, limit: number) => Effect.Effect<ChangePage, StoreError>
  /**
   * Optional (since 0.2.0): the record of that kind with that `externalId`. Defaults to a
   * filter over `list`.
   */
  readonly findByExternalId?: <K extends ExternalEntity>(
    kind: K,
    book: BookId,
    externalId: string
  ) => Effect.Effect<Option.Option<Records[K]>, StoreError>
}

// A class schema only checks `instanceof` on its type side: validate the fields themselves,
// so that a record built with `disableValidation` cannot slip bad data into a store.
const validators = {
  profile: Schema.validateEither(Schema.Struct(Profile.fields)),
  partner: Schema.validateEither(Schema.Struct(Partner.fields)),
  referral: Schema.validateEither(Schema.Struct(Referral.fields)),
  interaction: Schema.validateEither(Schema.Struct(Interaction.fields)),
  client: Schema.validateEither(Schema.Struct(Client.fields))
} as const

const sortById = <A extends { readonly id: string }>(records: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** The first `externalId` that two records of one kind of a document share, as InvalidData. */
const checkExternalIds = (doc: BookDocument.BookDocument): Effect.Effect<void, InvalidData> => {
  for (const list of ["partners", "referrals", "interactions", "clients"] as const) {
    const seen = new Map<string, number>()
    const records: ReadonlyArray<{ readonly externalId?: string | undefined }> = doc[list]
    for (let i = 0; i < records.length; i++) {
      const x = records[i]!.externalId
      if (x === undefined) continue
      const first = seen.get(x)
      if (first !== undefined) {
        return Effect.fail(
          new InvalidData({
            path: `${list}.${i}.externalId`,
            message: `${list}.${i}.externalId: ${JSON.stringify(x)} is also the externalId of ${list}.${first}`
          })
        )
      }
      seen.set(x, i)
    }
  }
  return Effect.void
}

const withRevision = <K extends Entity>(kind: K, record: Records[K], revision: number): Records[K] => {
  const ctor = schemas[kind] as unknown as new (
    props: Records[K],
    options: { disableValidation: true }
  ) => Records[K]
  return new ctor({ ...record, revision }, { disableValidation: true })
}

/**
 * Builds a {@link Store} from an adapter's {@link Backend}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (backend: Backend): Store => {
  const findByExternalId =
    backend.findByExternalId ??
    (<K extends ExternalEntity>(kind: K, book: BookId, externalId: string) =>
      Effect.map(backend.list(kind, book, undefined), (records) =>
        Option.fromNullable(
          (records as ReadonlyArray<Records[K]>).find(
            (r) => (r as { readonly externalId?: string }).externalId === externalId
          )
        )
      ))
  const revisionOf =
    backend.revision ??
    ((kind: Entity, book: BookId, id: string) =>
      Effect.map(backend.read(kind, book, id), (found) =>
        Option.isSome(found) ? found.value.revision : null
      ))
  const put = <K extends Entity>(
    kind: K,
    record: Records[K]
  ): Effect.Effect<Records[K], RevisionConflict | InvalidData | StoreError> => {
    const hostile = Hostile.scan(record)
    if (hostile !== undefined) {
      const path = [kind, ...hostile.path].join(".")
      return Effect.fail(new InvalidData({ path, message: `${path}: ${hostile.problem}` }))
    }
    const valid = (validators[kind] as (u: unknown) => Either.Either<unknown, ParseResult.ParseError>)(record)
    if (Either.isLeft(valid)) return Effect.fail(invalidData(valid.left, kind))
    const id = idOf(kind, record)
    const book = record.book
    if (record.revision >= Number.MAX_SAFE_INTEGER) {
      // The next revision would not be a safe integer: refuse, and keep the record readable.
      return Effect.fail(
        new InvalidData({
          path: `${kind}.revision`,
          message: `${kind}.revision: ${kind} ${JSON.stringify(id)} in book ${JSON.stringify(book)} is at revision ${record.revision}, the highest a record can reach; it cannot be changed again (export the book, lower its revisions and import it into an empty book)`
        })
      )
    }
    const externalId = (record as { readonly externalId?: string | undefined }).externalId
    return backend.transaction(
      Effect.gen(function* () {
        const actual = yield* revisionOf(kind, book, id)
        if ((actual ?? 0) !== record.revision) {
          return yield* Effect.fail(
            new RevisionConflict({ entity: kind, book, id, expected: record.revision, actual })
          )
        }
        if (externalId !== undefined && kind !== "profile") {
          const holder = yield* findByExternalId(kind as ExternalEntity, book, externalId)
          if (Option.isSome(holder) && holder.value.id !== id) {
            return yield* Effect.fail(
              new InvalidData({
                path: "externalId",
                message: `externalId: ${JSON.stringify(externalId)} already belongs to ${kind} ${JSON.stringify(holder.value.id)} in book ${JSON.stringify(book)}`
              })
            )
          }
        }
        const stored = withRevision(kind, record, record.revision + 1)
        yield* backend.write(kind, stored)
        yield* backend.record(book, [{ entity: kind, id, op: "put", revision: stored.revision }])
        return stored
      })
    )
  }
  const get = <K extends Entity>(
    kind: K,
    book: BookId,
    id: string
  ): Effect.Effect<Records[K], NotFound | StoreError> =>
    Effect.flatMap(backend.read(kind, book, id), (found) =>
      Option.isSome(found)
        ? Effect.succeed(found.value)
        : Effect.fail(new NotFound({ entity: kind, book, id }))
    )
  const remove = (
    kind: Entity,
    book: BookId,
    id: string,
    revision?: number
  ): Effect.Effect<void, NotFound | RevisionConflict | StoreError> =>
    backend.transaction(
      Effect.flatMap(
        get(kind, book, id),
        (current): Effect.Effect<void, RevisionConflict | StoreError> =>
          revision !== undefined && current.revision !== revision
            ? Effect.fail(
                new RevisionConflict({ entity: kind, book, id, expected: revision, actual: current.revision })
              )
            : Effect.zipRight(
                backend.delete(kind, book, id),
                backend.record(book, [{ entity: kind, id, op: "delete" }])
              )
      )
    )
  const collection = <K extends CollectionEntity, Id extends string>(
    kind: K
  ): Collection<Id, Records[K]> => ({
    get: (book, id) => get(kind, book, id),
    find: (book, id) => backend.read(kind, book, id),
    put: (record) => put(kind, record),
    remove: (book, id, revision) => remove(kind, book, id, revision),
    list: (book, query) => backend.list(kind, book, query)
  })
  const writeMany =
    backend.writeMany ??
    (<K extends Entity>(kind: K, records: ReadonlyArray<Records[K]>) =>
      Effect.forEach(records, (record) => backend.write(kind, record), { discard: true }))
  const exportBook = (book: BookId) =>
    backend
      .transaction(
        Effect.all({
          profile: backend.read("profile", book, book),
          partners: backend.list("partner", book, undefined),
          referrals: backend.list("referral", book, undefined),
          interactions: backend.list("interaction", book, undefined),
          clients: backend.list("client", book, undefined)
        })
      )
      .pipe(
        Effect.map(({ profile, ...rest }) =>
          BookDocument.make({ book, profile: Option.getOrNull(profile), ...rest })
        )
      )
  const importBook = (document: BookDocument.BookDocument, options?: { readonly book?: BookId }) => {
    const doc = options?.book === undefined ? document : BookDocument.rebook(document, options.book)
    return backend.transaction(
      Effect.gen(function* () {
        if (!(yield* backend.isEmpty(doc.book)))
          return yield* Effect.fail(new BookNotEmpty({ book: doc.book }))
        yield* checkExternalIds(doc)
        if (doc.profile !== null) yield* backend.write("profile", doc.profile)
        yield* writeMany("partner", doc.partners)
        yield* writeMany("referral", doc.referrals)
        yield* writeMany("interaction", doc.interactions)
        yield* writeMany("client", doc.clients)
        const changes: Array<ChangeInput> = []
        if (doc.profile !== null)
          changes.push({ entity: "profile", id: doc.book, op: "put", revision: doc.profile.revision })
        for (const [entity, records] of [
          ["partner", doc.partners],
          ["referral", doc.referrals],
          ["interaction", doc.interactions],
          ["client", doc.clients]
        ] as const) {
          for (const r of records as ReadonlyArray<{ readonly id: string; readonly revision: number }>)
            changes.push({ entity, id: r.id, op: "put", revision: r.revision })
        }
        if (changes.length > 0) yield* backend.record(doc.book, changes)
        return { book: doc.book, ...BookDocument.counts(doc) }
      })
    )
  }
  const erase = (book: BookId): Effect.Effect<EraseSummary, StoreError> =>
    backend.transaction(
      Effect.gen(function* () {
        const changes: Array<ChangeInput> = []
        const profile = yield* backend.read("profile", book, book)
        if (Option.isSome(profile)) {
          yield* backend.delete("profile", book, book)
          changes.push({ entity: "profile", id: book, op: "delete" })
        }
        const counts: Record<CollectionEntity, number> = {
          partner: 0,
          referral: 0,
          interaction: 0,
          client: 0
        }
        for (const kind of collections) {
          const records = sortById(yield* backend.list(kind, book, undefined))
          for (const r of records) {
            yield* backend.delete(kind, book, r.id)
            changes.push({ entity: kind, id: r.id, op: "delete" })
          }
          counts[kind] = records.length
        }
        if (changes.length > 0) yield* backend.record(book, changes)
        return {
          profile: Option.isSome(profile) ? 1 : 0,
          partners: counts.partner,
          referrals: counts.referral,
          interactions: counts.interaction,
          clients: counts.client
        }
      })
    )
  return {
    changes: (book, options) => {
      const after = options?.after ?? 0
      const limit = options?.limit ?? 1000
      return backend.changes(book, after, limit)
    },
    findByExternalId,
    erase,
    profile: {
      get: (book) => get("profile", book, book),
      find: (book) => backend.read("profile", book, book),
      put: (profile) => put("profile", profile)
    },
    partners: collection("partner"),
    referrals: collection("referral"),
    interactions: collection("interaction"),
    clients: collection("client"),
    window:
      backend.window ??
      ((book, window) =>
        Effect.map(
          backend.list("referral", book, { after: window.after, until: window.until }),
          (referrals) => aggregate(referrals, window)
        )),
    digest:
      backend.digest ??
      ((book, query) =>
        Effect.map(
          Effect.all([
            backend.list("partner", book, undefined),
            backend.list("referral", book, undefined),
            backend.list("interaction", book, undefined)
          ]),
          ([partners, referrals, interactions]) => digest(partners, referrals, interactions, query)
        )),
    pending:
      backend.pending ??
      ((book, asOf) =>
        Effect.map(backend.list("referral", book, { until: asOf }), (referrals) => pending(referrals, asOf))),
    received:
      backend.received ??
      ((book, query) =>
        Effect.map(
          Effect.all([
            backend.list("partner", book, undefined),
            backend.list("referral", book, { until: query.asOf })
          ]),
          ([partners, referrals]) => received(partners, referrals, query)
        )),
    transaction: backend.transaction,
    exportBook,
    importBook,
    importJson: (json, options) =>
      Effect.flatMap(
        Either.match(BookDocument.decode(json), { onLeft: Effect.fail, onRight: Effect.succeed }),
        (document) => importBook(document, options)
      ),
    books: backend.books
  }
}

// ---------------------------------------------------------------------------------------
// In memory (internal/memory.ts)
// ---------------------------------------------------------------------------------------

/**
 * Appends changes to an in-memory feed (the reference semantics of {@link Backend.record}),
 * pushing the inverse of each step on `undo` when given.
 *
 * @since 0.2.0
 * @category rules
 */
export const appendChanges: (
  feed: { last: number; readonly byKey: Map<string, Change> },
  changes: ReadonlyArray<ChangeInput>,
  undo?: Array<() => void>
) => number = Memory.appendChanges

/**
 * A page of an in-memory feed (the reference semantics of {@link Backend.changes}).
 *
 * @since 0.2.0
 * @category rules
 */
export const pageOf: (
  feed: { readonly last: number; readonly byKey: ReadonlyMap<string, Change> } | undefined,
  after: number,
  limit: number
) => ChangePage = Memory.pageOf

/**
 * A store in memory: fast, isolated per layer build, gone when the process ends. Writes are
 * serialised; a failed transaction is rolled back from an undo log.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Store> = Effect.map(
  Memory.makeBackend<Records, Query, ChangeInput>({ idOf, matches }),
  (backend): Store => make(backend)
)

/**
 * The in-memory store as a layer: every build is a new, empty store.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Store> = Layer.effect(Store, makeMemory)
