/**
 * The agenda: what is due with each partner as of a date, most overdue first. Check-ins by
 * cadence, thank-yous and closed loops for received referrals, follow-ups on open referrals,
 * the steps of the seed's approach (give first, one-on-one, share ideal clients) and dormant
 * partners.
 *
 * @since 0.1.0
 */
import { Order } from "effect"
import type { Interaction } from "./Interaction.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, referralsByPartner, timeOf } from "./internal/history.js"
import * as internal from "./internal/options.js"
import { DAY_MS, daysBetween, isoDay } from "./internal/time.js"
import * as Compliance from "./Compliance.js"
import * as Matrix from "./Matrix.js"
import type { Partner, PartnerId } from "./Partner.js"
import type * as Profession from "./Profession.js"
import type { Profile } from "./Profile.js"
import type { Referral, ReferralId } from "./Referral.js"
import * as Store from "./Store.js"

/**
 * What an agenda item asks for.
 *
 * - `check-in`: the partner's cadence has run out since the last touch.
 * - `thank-you`: a received referral has not been thanked.
 * - `close-loop`: a received referral reached an outcome and the referrer was not told.
 * - `status-follow-up`: a received referral is still open a while after it came in.
 * - `give-first`: an opportunity partner got no referral from you for a while.
 * - `one-on-one`: positive interactions but never a one-on-one.
 * - `share-ideal-client`: a one-on-one was held but no ideal client description was shared.
 * - `dormant`: no touch for twice the cadence; replaces the `check-in` item.
 * - `missed`: the `thank-you`, `close-loop` and `status-follow-up` items of one partner
 *   whose referral is long past (`missedAfterDays`, default 90), collapsed into one item
 *   that ranks below every other (since 0.2.0).
 * - `fee-review`: a referral with a fee where your profession or the partner's is regulated
 *   for referral fees (see `Compliance.review`): review it (since 0.2.0).
 *
 * @since 0.1.0
 * @category models
 */
export type Kind =
  | "check-in"
  | "thank-you"
  | "close-loop"
  | "status-follow-up"
  | "give-first"
  | "one-on-one"
  | "share-ideal-client"
  | "dormant"
  | "fee-review"
  | "missed"

/**
 * Every kind of item. Items with the same priority and due date are listed in this order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<Kind> = [
  "thank-you",
  "close-loop",
  "dormant",
  "check-in",
  "status-follow-up",
  "give-first",
  "one-on-one",
  "share-ideal-client",
  "fee-review",
  "missed"
]

/**
 * Whether an item is already due (`dueAt <= asOf`) or only falls due within the look-ahead
 * (`horizonDays`).
 *
 * @since 0.2.0
 * @category models
 */
export type State = "due" | "upcoming"

/**
 * One thing to do with one partner.
 *
 * @since 0.1.0
 * @category models
 */
export interface Item {
  readonly kind: Kind
  readonly partnerId: PartnerId
  readonly name: string
  /** The referral the item is about (`thank-you`, `close-loop`, `status-follow-up`). */
  readonly referralId?: ReferralId
  /**
   * The referrals a `missed` item collapses, oldest first.
   *
   * @since 0.2.0
   */
  readonly referralIds?: ReadonlyArray<ReferralId>
  readonly dueAt: Date
  /**
   * `"due"` when `dueAt <= asOf`, `"upcoming"` when it falls due within the look-ahead.
   *
   * @since 0.2.0
   */
  readonly state: State
  /** Whole days from `dueAt` to `asOf`, rounded down: negative for an item not due yet. */
  readonly overdueDays: number
  /**
   * How overdue the item is relative to its interval: `(asOf - dueAt) / interval`. Ten days
   * late on a 30-day cadence (0.33) outranks ten days late on a 180-day one (0.06).
   * Negative for an item not due yet. A `missed` item has priority 0 and ranks below every
   * other item whatever their priorities.
   */
  readonly priority: number
  /** One line for people: why the item is here. */
  readonly reason: string
}

/**
 * The default check-in cadence by quadrant, in days: core 90 (quarterly), opportunity 45,
 * generous 120, casual 180. A partner's own `cadenceDays` wins.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCadenceDays: Readonly<Record<Matrix.Quadrant, number>> = internal.defaultCadenceDays

/**
 * The defaults of {@link Options}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: typeof internal.defaults = internal.defaults

/**
 * The agenda's rules, each with a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Check-in cadence by quadrant (default {@link defaultCadenceDays}); `partner.cadenceDays` wins. */
  readonly cadenceDays?: Partial<Record<Matrix.Quadrant, number>>
  /** A received referral is to be thanked this many days after it came in (default 2). */
  readonly thankYouDays?: number
  /** The referrer is to be told the outcome this many days after the status changed (default 7). */
  readonly closeLoopDays?: number
  /** An open received referral is followed up this many days after it came in (default 30). */
  readonly statusFollowUpDays?: number
  /** Give an opportunity partner a referral at least this often, in days (default 90). */
  readonly giveFirstDays?: number
  /** Positive interactions after which a one-on-one is suggested (default 2). */
  readonly positiveInteractions?: number
  /** A partner is dormant after this many cadences without a touch (default 2). */
  readonly dormantFactor?: number
  /**
   * Also list items falling due within this many days after `asOf` (default 7: "what is
   * due this week"), with a negative `overdueDays`. `0` lists only what is already due.
   */
  readonly horizonDays?: number
  /**
   * A `thank-you` or `status-follow-up` for a referral received this many days or more
   * before `asOf`, or a `close-loop` for an outcome this old, is long past: the partner's
   * such items collapse into one `missed` item (default 90).
   *
   * @since 0.2.0
   */
  readonly missedAfterDays?: number
  /**
   * The taxonomy that marks the professions regulated for referral fees, for `fee-review`
   * items (default `Profession.defaultTaxonomy`).
   *
   * @since 0.2.0
   */
  readonly taxonomy?: Profession.Taxonomy
}

/**
 * What the rules that follow a book's history read (the agenda, health, progression and
 * portfolio): the partners, their referrals and interactions, the as-of date, the matrix
 * settings that give each partner's quadrant, and the rule's own options.
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryInput<O> {
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  readonly interactions: ReadonlyArray<Interaction>
  readonly asOf: Date
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
  readonly profile?: Profile | undefined
  readonly options?: O
}

/**
 * The input of {@link build}. `referrals` and `interactions` may hold the whole book: those
 * dated after `asOf`, or of partners not in `partners`, are ignored. `windowDays`,
 * `thresholds` and `profile` go to {@link Matrix.build}, which gives each partner's quadrant.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input extends HistoryInput<Options> {}

/**
 * A partner's check-in cadence in days: its own `cadenceDays` if set, else the cadence of
 * its quadrant (default {@link defaultCadenceDays}).
 *
 * @since 0.1.0
 * @category rules
 */
export const cadenceOf = (
  partner: Pick<Partner, "cadenceDays">,
  quadrant: Matrix.Quadrant,
  cadenceDays?: Partial<Record<Matrix.Quadrant, number>>
): number => partner.cadenceDays ?? cadenceDays?.[quadrant] ?? defaultCadenceDays[quadrant]

/**
 * When the partner was last touched as of `asOf`: the latest referral (either direction) or
 * interaction dated at or before `asOf`, or `null` when there is none.
 *
 * @since 0.1.0
 * @category rules
 */
export const lastTouch = (
  partner: Pick<Partner, "id">,
  referrals: ReadonlyArray<Referral>,
  interactions: ReadonlyArray<Interaction>,
  asOf: Date
): Date | null => {
  const cutoff = InvalidInput.requireDate("asOf", asOf).getTime()
  let last: number | undefined
  for (const r of referrals) {
    const t = r.date.getTime()
    if (r.partnerId === partner.id && t <= cutoff && (last === undefined || t > last)) last = t
  }
  for (const x of interactions) {
    const t = x.date.getTime()
    if (x.partnerId === partner.id && t <= cutoff && (last === undefined || t > last)) last = t
  }
  return last === undefined ? null : new Date(last)
}

const rank: Record<Kind, number> = Object.fromEntries(kinds.map((k, i) => [k, i])) as Record<Kind, number>

/**
 * The agenda's order: every `missed` item after every other item; then highest priority
 * first; then the earlier due date; then by kind (in
 * the order of {@link kinds}), partner id and referral id, so the order never depends on
 * the order of the input.
 *
 * @since 0.1.0
 * @category ordering
 */
export const compare = (a: Item, b: Item): number =>
  Number(a.kind === "missed") - Number(b.kind === "missed") ||
  b.priority - a.priority ||
  a.dueAt.getTime() - b.dueAt.getTime() ||
  rank[a.kind] - rank[b.kind] ||
  (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0) ||
  ((a.referralId ?? "") < (b.referralId ?? "") ? -1 : (a.referralId ?? "") > (b.referralId ?? "") ? 1 : 0)

/** A name fit for a one-line reason: runs of white space (new lines included) become one space. */
const line = (name: string): string => name.replace(/\s+/g, " ")

const label = (r: Referral): string => (r.client.length > 0 ? ` (${JSON.stringify(r.client)})` : "")

const days = (n: number): string => `${n} day${n === 1 ? "" : "s"}`

/** When the status of `r` reached its outcome, if it did by `asOf`. */
const outcomeAt = (r: Referral, asOf: number): number | undefined => {
  if (r.status !== "engaged" && r.status !== "not-engaged") return undefined
  const at = (r.statusChangedAt ?? r.date).getTime()
  return at <= asOf ? at : undefined
}

const happened = (at: Date | undefined, asOf: number): boolean => at !== undefined && at.getTime() <= asOf

/**
 * Everything due with each partner as of `asOf`, plus what falls due within `horizonDays`
 * (default 7) after it, most overdue first (see {@link compare}).
 *
 * The rules (each configurable in {@link Options}):
 * - `check-in`: due `cadence` days after the last touch, where a touch is ANY referral
 *   (either direction) or interaction dated at or before `asOf`; with no touch ever, the
 *   partner's `createdAt`. Cadence: `partner.cadenceDays`, else by quadrant (core 90,
 *   opportunity 45, generous 120, casual 180). Thanking a referral or closing its loop only
 *   counts as a touch when you also log the interaction.
 * - `dormant`: no touch for `dormantFactor` (2) times the cadence. It replaces the partner's
 *   `check-in` item and keeps its rank: its priority counts from when the check-in fell due.
 * - `thank-you`: a received referral without `thankedAt` (at or before `asOf`), due 2 days
 *   after it came in.
 * - `close-loop`: a received referral that became `engaged` or `not-engaged` and whose
 *   referrer was not told (`loopClosedAt`), due 7 days after `statusChangedAt` (the
 *   referral's date when that is missing).
 * - `status-follow-up`: a received referral still `introduced` or `contacted`, due 30 days
 *   after it came in.
 * - `give-first`: an `opportunity` partner, due 90 days after the last referral you gave
 *   them, or from the day they were added if you never gave one.
 * - `one-on-one`: two or more positive interactions and never a `one-on-one`, due at the
 *   second positive interaction.
 * - `share-ideal-client`: a `one-on-one` was held but no `ideal-client-shared` was logged,
 *   due at the first one-on-one.
 * - `missed`: the due `thank-you`, `close-loop` and `status-follow-up` items whose referral
 *   came in (for `close-loop`: whose outcome came) `missedAfterDays` (90) or more days
 *   before `asOf` are long past; each partner's collapse into one `missed` item listing
 *   their `referralIds`, due when the oldest fell due, with priority 0, ranked after every
 *   other item. What is still actionable comes first.
 *
 * - `fee-review`: a referral with a fee where your profession (the profile's) or the
 *   partner's is regulated for referral fees, due on the referral's date, its interval
 *   `missedAfterDays`; after that it leaves the agenda (`Compliance.review` lists every one).
 *
 * Every item has a `state`: `"due"` when `dueAt <= asOf`, else `"upcoming"`.
 *
 * The interval that `priority` divides by is the cadence for `check-in`, `dormant`,
 * `one-on-one` and `share-ideal-client`, and the rule's own number of days for the others.
 * A partner at stage `not-a-fit` gets no items. Throws {@link InvalidInput.InvalidInput}
 * naming the field for an invalid `asOf` or option.
 *
 * @since 0.1.0
 * @category rules
 */
export const build = (input: Input): ReadonlyArray<Item> => {
  const settings = resolve(input)
  return run(
    settings,
    input.partners,
    Store.digest(input.partners, input.referrals, input.interactions, settings.query),
    Store.pending(input.referrals, input.asOf),
    input.referrals,
    input.profile
  )
}

/**
 * What the history rules read when a store has already boiled the history down (the
 * summary path, see `Store.digest`): the partners, their digests as asked by the rule's
 * `query`, the as-of date, the matrix settings and the rule's own options.
 *
 * @since 0.2.0
 * @category models
 */
export interface Summary<O> {
  readonly partners: ReadonlyArray<Partner>
  /** The digests the rule's `query` asks for; a partner without one has no history. */
  readonly digests: ReadonlyArray<Store.Digest>
  readonly asOf: Date
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
  readonly profile?: Profile | undefined
  readonly options?: O
}

/**
 * The input of {@link fromSummary}: the digests of {@link query}, the received referrals
 * still pending as of `asOf` (`Store.pending`) and the referrals of {@link feeWindow}.
 *
 * @since 0.2.0
 * @category models
 */
export interface SummaryInput extends Summary<Options> {
  readonly pending: ReadonlyArray<Referral>
  /**
   * The referrals of {@link feeWindow} (any others are ignored; only those with a fee give
   * `fee-review` items).
   */
  readonly fees: ReadonlyArray<Referral>
}

/**
 * The settings a history rule checks before it reads anything: what {@link query} takes.
 *
 * @since 0.2.0
 * @category models
 */
export type Settings<O> = Omit<Summary<O>, "partners" | "digests" | "profile">

interface Resolved {
  readonly asOfDate: Date
  readonly asOf: number
  readonly o: internal.Resolved
  readonly windowDays: number
  readonly thresholds: Matrix.Thresholds | undefined
  readonly query: Store.DigestQuery
  readonly taxonomy: Profession.Taxonomy | undefined
  readonly feeWindow: Store.Window
}

const resolve = (input: Settings<Options>): Resolved => {
  const asOfDate = InvalidInput.requireDate("asOf", input.asOf)
  const asOf = asOfDate.getTime()
  const o = internal.resolveOptions(input.options)
  const { windowDays } = Matrix.checkSettings(input)
  return {
    asOfDate,
    asOf,
    o,
    windowDays,
    thresholds: input.thresholds,
    taxonomy: input.options?.taxonomy,
    // Whole milliseconds, rounded down: a window that holds every referral the rule keeps.
    feeWindow: { after: new Date(Math.floor(asOf - o.missedAfterDays * DAY_MS)), until: asOfDate },
    query: {
      asOf: asOfDate,
      windows: [{ after: new Date(asOf - windowDays * DAY_MS), until: asOfDate }],
      positiveRank: o.positiveInteractions,
      kinds: ["one-on-one"]
    }
  }
}

/**
 * The digest query the agenda needs (after checking `asOf`, the options, `windowDays` and
 * `thresholds`, in the order {@link build} does). Throws {@link InvalidInput.InvalidInput}.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Settings<Options>): Store.DigestQuery => resolve(input).query

/**
 * The agenda from a store's summaries: the same items as {@link build} over the arrays the
 * digests and pending referrals were computed from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: SummaryInput): ReadonlyArray<Item> =>
  run(resolve(input), input.partners, input.digests, input.pending, input.fees, input.profile)

/**
 * The referrals the `fee-review` items look at: those dated in the `missedAfterDays` up to
 * `asOf` (older fee reviews have left the agenda; `Compliance.review` lists every one). Checks
 * the settings as {@link query} does.
 *
 * @since 0.2.0
 * @category rules
 */
export const feeWindow = (input: Settings<Options>): Store.Window => resolve(input).feeWindow

const run = (
  settings: Resolved,
  partners: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  pending: ReadonlyArray<Referral>,
  feeReferrals: ReadonlyArray<Referral>,
  profile: Profile | undefined
): ReadonlyArray<Item> => {
  const { asOf, asOfDate, o } = settings
  const digestOf = digestsByPartner(digests, 1)
  const pendingOf = referralsByPartner(pending)
  const placements = Matrix.fromCounts(partners, (p) => digestOf(p).windows[0]!, {
    windowDays: settings.windowDays,
    thresholds: settings.thresholds,
    profile
  })
  const until = asOf + o.horizonDays * DAY_MS
  const fees = new Map<string, Array<Compliance.Finding>>()
  for (const f of Compliance.review({
    profile,
    partners,
    referrals: feeReferrals,
    asOf: asOfDate,
    ...(settings.taxonomy === undefined ? {} : { taxonomy: settings.taxonomy })
  })) {
    if (f.date.getTime() <= asOf - o.missedAfterDays * DAY_MS) continue
    fees.set(f.partnerId, [...(fees.get(f.partnerId) ?? []), f])
  }
  const items: Array<Item> = []
  const seen = new Set<string>()
  partners.forEach((partner, i) => {
    if (partner.stage === "not-a-fit" || seen.has(partner.id)) return
    seen.add(partner.id)
    const digest = digestOf(partner)
    const quadrant = placements[i]!.quadrant
    const add = (
      kind: Kind,
      due: number,
      intervalDays: number,
      reason: string,
      referralId?: ReferralId,
      priority?: number,
      referralIds?: ReadonlyArray<ReferralId>
    ): void => {
      if (due > until) return
      const dueAt = new Date(due)
      items.push({
        kind,
        partnerId: partner.id,
        name: partner.name,
        ...(referralId === undefined ? {} : { referralId }),
        ...(referralIds === undefined ? {} : { referralIds }),
        dueAt,
        state: due <= asOf ? "due" : "upcoming",
        overdueDays: daysBetween(dueAt, asOfDate),
        priority: priority ?? (asOf - due) / (intervalDays * DAY_MS),
        reason
      })
    }
    const cadence = cadenceOf(partner, quadrant, o.cadenceDays)
    const why =
      partner.cadenceDays === undefined
        ? `the ${cadence}-day cadence of ${quadrant} partners`
        : `its own ${cadence}-day cadence`
    clock(partner, digest, asOf, cadence, why, o, add)
    referralItems(partner, pendingOf(partner), asOf, o, add)
    stepItems(partner, digest, quadrant, cadence, o, add)
    for (const f of fees.get(partner.id) ?? []) {
      add("fee-review", f.date.getTime(), o.missedAfterDays, f.reason, f.referralId)
    }
  })
  return items.sort(compare)
}

type Add = (
  kind: Kind,
  due: number,
  intervalDays: number,
  reason: string,
  referralId?: ReferralId,
  priority?: number,
  referralIds?: ReadonlyArray<ReferralId>
) => void

const clock = (
  partner: Partner,
  digest: Store.Digest,
  asOf: number,
  cadence: number,
  why: string,
  o: internal.Resolved,
  add: Add
): void => {
  const n = line(partner.name)
  const touched = timeOf(digest.lastTouch)
  const last = touched ?? partner.createdAt.getTime()
  const since =
    touched === undefined
      ? `added on ${isoDay(new Date(last))} and never touched`
      : `last touched on ${isoDay(new Date(last))}`
  const checkIn = last + cadence * DAY_MS
  const dormant = last + o.dormantFactor * cadence * DAY_MS
  if (dormant <= asOf) {
    add(
      "dormant",
      dormant,
      cadence,
      `${n} was ${since} (${days(daysBetween(new Date(last), new Date(asOf)))} ago, ${o.dormantFactor}x ${why}): reconnect, or mark them not-a-fit`,
      undefined,
      (asOf - checkIn) / (cadence * DAY_MS)
    )
  } else {
    add("check-in", checkIn, cadence, `${n} was ${since}: check in, per ${why}`)
  }
}

/** The referral items of a partner; `referrals` may be any of theirs (only pending ones give items). */
const referralItems = (
  partner: Partner,
  referrals: ReadonlyArray<Referral>,
  asOf: number,
  o: internal.Resolved,
  add: Add
): void => {
  const n = line(partner.name)
  // Items about a referral (or outcome) at or before this moment are long past: missed.
  const pastBefore = asOf - o.missedAfterDays * DAY_MS
  const missed: Array<{ readonly kind: Kind; readonly due: number; readonly referral: Referral }> = []
  const owe = (kind: Kind, event: number, due: number, intervalDays: number, reason: string, r: Referral) => {
    if (event <= pastBefore && due <= asOf) missed.push({ kind, due, referral: r })
    else add(kind, due, intervalDays, reason, r.id)
  }
  for (const r of referrals) {
    if (r.direction !== "received" || r.date.getTime() > asOf) continue
    const received = r.date.getTime()
    const day = isoDay(r.date)
    if (!happened(r.thankedAt, asOf)) {
      owe(
        "thank-you",
        received,
        received + o.thankYouDays * DAY_MS,
        o.thankYouDays,
        `${n} referred a client${label(r)} on ${day}: send a thank-you`,
        r
      )
    }
    const outcome = outcomeAt(r, asOf)
    if (outcome === undefined) {
      owe(
        "status-follow-up",
        received,
        received + o.statusFollowUpDays * DAY_MS,
        o.statusFollowUpDays,
        `The client${label(r)} ${n} referred on ${day} is still ${r.status === "introduced" || r.status === "contacted" ? r.status : "open"}: follow up on where it stands`,
        r
      )
    } else if (!happened(r.loopClosedAt, asOf)) {
      owe(
        "close-loop",
        outcome,
        outcome + o.closeLoopDays * DAY_MS,
        o.closeLoopDays,
        `The client${label(r)} ${n} referred became ${r.status} on ${isoDay(new Date(outcome))}: tell ${n} the outcome`,
        r
      )
    }
  }
  if (missed.length === 0) return
  missed.sort((a, b) => a.due - b.due || Order.string(a.referral.id, b.referral.id))
  const count = (kind: Kind, one: string, many: string): Array<string> => {
    const k = missed.filter((m) => m.kind === kind).length
    return k === 0 ? [] : [`${k} ${k === 1 ? one : many}`]
  }
  const what = [
    ...count("thank-you", "thank-you", "thank-yous"),
    ...count("close-loop", "outcome not reported", "outcomes not reported"),
    ...count("status-follow-up", "follow-up", "follow-ups")
  ].join(", ")
  const ids = [...new Set(missed.map((m) => m.referral.id))]
  add(
    "missed",
    missed[0]!.due,
    o.missedAfterDays,
    `Missed with ${n}, on referrals from more than ${days(o.missedAfterDays)} ago (the oldest received ${isoDay(missed[0]!.referral.date)}): ${what}; acknowledge them when you next talk, or log them as done`,
    undefined,
    0,
    ids
  )
}

const stepItems = (
  partner: Partner,
  digest: Store.Digest,
  quadrant: Matrix.Quadrant,
  cadence: number,
  o: internal.Resolved,
  add: Add
): void => {
  const n = line(partner.name)
  if (quadrant === "opportunity") {
    const lastGiven = timeOf(digest.lastGiven)
    add(
      "give-first",
      lastGiven === undefined ? partner.createdAt.getTime() : lastGiven + o.giveFirstDays * DAY_MS,
      o.giveFirstDays,
      lastGiven === undefined
        ? `${n} is an opportunity and you never gave them a referral: give first`
        : `${n} is an opportunity and your last referral to them was on ${isoDay(new Date(lastGiven))}: send another`
    )
  }
  const firstOneOnOne = timeOf(digest.first["one-on-one"])
  if (firstOneOnOne === undefined) {
    const positiveAt = timeOf(digest.positiveAt)
    if (positiveAt !== undefined) {
      add(
        "one-on-one",
        positiveAt,
        cadence,
        `${digest.positives} positive interactions with ${n} and never a one-on-one: invite them for coffee or lunch`
      )
    }
  } else if (digest.shared === null) {
    add(
      "share-ideal-client",
      firstOneOnOne,
      cadence,
      `You met ${n} one-on-one on ${isoDay(new Date(firstOneOnOne))} but no ideal client description was shared: share yours specifically, and ask for theirs`
    )
  }
}
