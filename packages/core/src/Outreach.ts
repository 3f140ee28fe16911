/**
 * The weekly outreach rotation: "each week reach out to one or two of your colleagues,
 * rotating through your list of contacts". A deterministic plan per ISO week, least recently
 * touched first, weighted by quadrant, never a partner marked `not-a-fit`.
 *
 * @since 0.1.0
 */
import { DateTime, Option } from "effect"
import type { Interaction } from "./Interaction.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, fnv1a, requireAtLeast, timeOf } from "./internal/history.js"
import { DAY_MS, daysBetween, isoDay, midnightIn } from "./internal/time.js"
import * as Matrix from "./Matrix.js"
import type { Partner, PartnerId } from "./Partner.js"
import type { Profile } from "./Profile.js"
import type { Referral } from "./Referral.js"
import * as Store from "./Store.js"

const WEEK_MS = 7 * DAY_MS
/** Monday 1970-01-05, the start of week 0. */
const EPOCH_MONDAY = Date.UTC(1970, 0, 5)

/**
 * The Monday, 00:00 UTC, that starts the ISO week containing `date`.
 *
 * @since 0.1.0
 * @category rules
 */
export const weekStart = (date: Date, timeZone?: string): Date => {
  const d = InvalidInput.requireDate("weekOf", date)
  if (timeZone === undefined || timeZone === "UTC") {
    const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    return new Date(midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS)
  }
  const zone = DateTime.zoneMakeNamed(timeZone)
  if (Option.isNone(zone)) {
    throw InvalidInput.make("timeZone", `Expected an IANA time zone name, got ${JSON.stringify(timeZone)}`)
  }
  // The local calendar day in the zone, back to its Monday, then that Monday's local midnight.
  const local = DateTime.toParts(DateTime.unsafeMakeZoned(d, { timeZone: zone.value }))
  const monday = new Date(
    Date.UTC(local.year, local.month - 1, local.day) - ((local.weekDay + 6) % 7) * DAY_MS
  )
  return new Date(
    midnightIn(zone.value, monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate())
  )
}

// Zoned week starts are off UTC Mondays by the zone's offset (and a DST hour): round.
const weekIndex = (start: number): number => Math.round((start - EPOCH_MONDAY) / WEEK_MS)

const startOf = (week: number, timeZone?: string): number =>
  timeZone === undefined || timeZone === "UTC"
    ? EPOCH_MONDAY + week * WEEK_MS
    : weekStart(new Date(EPOCH_MONDAY + week * WEEK_MS + 3 * DAY_MS), timeZone).getTime()

/**
 * How much staler a partner of each quadrant counts: core and opportunity partners (high
 * alignment) twice as much as generous and casual ones. Thirty days without contact with a
 * core partner weigh like sixty with a casual one.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWeights: Readonly<Record<Matrix.Quadrant, number>> = {
  core: 2,
  opportunity: 2,
  generous: 1,
  casual: 1
}

/**
 * Partners to reach out to each week, by default: "one or two".
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPerWeek = 2

/**
 * One partner to reach out to this week.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pick {
  readonly partnerId: PartnerId
  readonly name: string
  readonly quadrant: Matrix.Quadrant
  /** The latest referral or interaction before the week began; `null` when there is none. */
  readonly lastContactAt: Date | null
  /** One line for people: why this partner, this week. */
  readonly reason: string
  /** Weighted days without contact when the order was set: what the order is by. */
  readonly staleness: number
  /**
   * Touched (or added) within the `weeks` weeks before the order was set: reached in the
   * current round, so ranked after every partner who was not, least recently touched first.
   *
   * @since 0.2.0
   */
  readonly recent: boolean
  /** Position in the rotation's order, 0 for the stalest. */
  readonly rank: number
}

/**
 * The rotation a week belongs to, and the week's picks.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rotation {
  /** Monday 00:00 UTC of the week planned. */
  readonly weekStart: Date
  /** Monday 00:00 UTC of the week after the latest contact, when the order was set. */
  readonly startedAt: Date
  /** Weeks one round through the list takes: `ceil(eligible / perWeek)` (0 with nobody eligible). */
  readonly weeks: number
  /** Weeks since the order was set: how many weeks went by with nothing logged (0 the week after a contact). */
  readonly week: number
  /**
   * Every eligible partner, stalest first. Reaching each week's picks takes ranks
   * `k * perWeek ..` in week `k` from now.
   */
  readonly order: ReadonlyArray<Pick>
  /** This week's picks: the first `perWeek` of {@link order}. */
  readonly picks: ReadonlyArray<Pick>
}

/**
 * The input of {@link plan}. `referrals` and `interactions` may hold the whole book: only
 * those dated before the week begins count. `windowDays`, `thresholds` and `profile` go to
 * {@link Matrix.build}, which gives each partner's quadrant.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  readonly interactions: ReadonlyArray<Interaction>
  /** Any moment of the week to plan; the plan is the same for every moment of that week. */
  readonly weekOf: Date
  /** Partners per week (default 2). */
  readonly perWeek?: number
  /**
   * The IANA zone whose Monday 00:00 starts a week (default `"UTC"`; since 0.2.0). An
   * unknown zone is `InvalidInput` naming `timeZone`.
   */
  readonly timeZone?: string
  /** Staleness weight by quadrant (default {@link defaultWeights}). */
  readonly weights?: Partial<Record<Matrix.Quadrant, number>>
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
  readonly profile?: Profile | undefined
}

const line = (name: string): string => name.replace(/\s+/g, " ")

/**
 * The rotation for the ISO week (Monday 00:00 UTC) containing `weekOf`.
 *
 * How it works:
 * - Eligible: every partner not at stage `not-a-fit`. A touch is ANY referral (either
 *   direction) or interaction dated before the week begins; a partner never touched counts
 *   from its `createdAt`.
 * - The order is set as of the week after the latest touch with any eligible partner (or
 *   after the latest partner was added), quadrants as of then. With `weeks =
 *   ceil(eligible / perWeek)`, a partner touched within the `weeks` weeks before that moment
 *   was reached in the current round (`recent`) and ranks after every partner who was not.
 *   Partners not reached rank by staleness (days without contact x the quadrant's weight)
 *   descending; partners reached by their last touch, oldest first. Ties are broken by a
 *   hash of the partner id, then by id.
 * - The picks are the first `perWeek` of the order.
 *
 * What follows:
 * - Deterministic: the same book and week give the same plan, whatever the input order and
 *   whichever moment of the week `weekOf` is.
 * - A pick not acted on stays at the top: while nothing is logged (and no partner added),
 *   the order does not change, so quiet weeks never skip the stalest partners. When only
 *   some picks are reached, the others stay ahead of them; with equal weights they stay at
 *   the top (with quadrant weights, a partner of a heavier quadrant leaving the round may
 *   come first).
 * - Coverage: logging each week's picks reaches every eligible partner within `weeks`
 *   weeks. A partner not picked yet ranks before everyone picked since (they are fresher,
 *   in the same round), so each week's picks are new ones.
 *
 * Throws {@link InvalidInput.InvalidInput} naming the field for an invalid `weekOf`,
 * `perWeek` (a positive integer) or weight (finite, `>= 0`).
 *
 * @since 0.1.0
 * @category rules
 */
export const rotation = (input: Input): Rotation => {
  const settings = resolve(input)
  const eligible = eligibleOf(input.partners)
  const digests = Store.digest(eligible, input.referrals, input.interactions, settings.query)
  const window = windowOf(settings, eligible, digests, input)
  return run(settings, {
    partners: eligible,
    digests,
    counts: Store.aggregate(input.referrals, window),
    profile: input.profile
  })
}

/**
 * The settings of a rotation: what {@link query} and {@link countsWindow} take.
 *
 * @since 0.2.0
 * @category models
 */
export interface Settings {
  readonly weekOf: Date
  /** The IANA zone whose Monday 00:00 starts a week (default `"UTC"`). */
  readonly timeZone?: string | undefined
  readonly perWeek?: number
  readonly weights?: Partial<Record<Matrix.Quadrant, number>>
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
}

/**
 * The input of {@link fromSummary}: the digests of {@link query} (last touches before the
 * week) and the window aggregate over {@link countsWindow} (the quadrants as of the pass's
 * start).
 *
 * @since 0.2.0
 * @category models
 */
export interface SummaryInput extends Settings {
  readonly partners: ReadonlyArray<Partner>
  readonly digests: ReadonlyArray<Store.Digest>
  readonly counts: ReadonlyArray<Store.WindowRow>
  readonly profile?: Profile | undefined
}

const resolve = (input: Settings) => {
  const start = weekStart(input.weekOf, input.timeZone).getTime()
  const perWeek = InvalidInput.requireNonNegativeInteger("perWeek", input.perWeek ?? defaultPerWeek)
  if (perWeek < 1) throw InvalidInput.make("perWeek", `expected at least 1, got ${perWeek}`)
  const weights = { ...defaultWeights }
  for (const q of Matrix.quadrants) {
    const w = input.weights?.[q]
    if (w !== undefined) weights[q] = requireAtLeast(`weights.${q}`, w, 0, false)
  }
  const query: Store.DigestQuery = {
    asOf: new Date(start - 1),
    windows: [],
    positiveRank: 1,
    kinds: []
  }
  return {
    start,
    perWeek,
    weights,
    query,
    timeZone: input.timeZone,
    windowDays: input.windowDays,
    thresholds: input.thresholds
  }
}

type Resolved = ReturnType<typeof resolve>

const eligibleOf = (partners: ReadonlyArray<Partner>): ReadonlyArray<Partner> => {
  const seen = new Set<string>()
  return partners.filter((p) => {
    if (p.stage === "not-a-fit" || seen.has(p.id)) return false
    seen.add(p.id)
    return true
  })
}

/** When the pass started and as of when its order is judged. */
const scheduleOf = (
  start: number,
  eligible: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  timeZone: string | undefined
) => {
  const digestOf = digestsByPartner(digests, 0)
  let latest: number | undefined
  for (const p of eligible) {
    const touched = timeOf(digestOf(p).lastTouch)
    const created = p.createdAt.getTime()
    const t = touched ?? (created < start ? created : undefined)
    if (t !== undefined && (latest === undefined || t > latest)) latest = t
  }
  const first = latest === undefined ? 0 : weekIndex(weekStart(new Date(latest), timeZone).getTime()) + 1
  const passStart = startOf(first, timeZone)
  // The order is judged as of the pass's start; with no touch at all, as of this week's start
  // (nothing happened before it, so the order is the same for every such week).
  const judgedAt = latest === undefined ? start : passStart
  return { digestOf, latest, first, passStart, judgedAt }
}

const windowOf = (
  settings: Resolved,
  eligible: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  input: Settings
): Store.Window => {
  const { judgedAt } = scheduleOf(settings.start, eligible, digests, settings.timeZone)
  const { windowDays } = Matrix.checkSettings(input)
  const until = new Date(judgedAt - 1)
  return { after: new Date(until.getTime() - windowDays * DAY_MS), until }
}

/**
 * The digest query of a rotation: last touches before the week of `weekOf` (after checking
 * `weekOf`, `perWeek` and the weights). Throws {@link InvalidInput.InvalidInput}.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Settings): Store.DigestQuery => resolve(input).query

/**
 * The window whose referrals give the quadrants of the rotation: `windowDays` up to the
 * pass's start, which the digests of {@link query} decide. Throws
 * {@link InvalidInput.InvalidInput} naming the field.
 *
 * @since 0.2.0
 * @category rules
 */
export const countsWindow = (
  input: Settings & {
    readonly partners: ReadonlyArray<Partner>
    readonly digests: ReadonlyArray<Store.Digest>
  }
): Store.Window => windowOf(resolve(input), eligibleOf(input.partners), input.digests, input)

/**
 * The rotation from a store's summaries: the same as {@link rotation} over the arrays the
 * digests and counts were computed from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: SummaryInput): Rotation =>
  run(resolve(input), { ...input, partners: eligibleOf(input.partners) })

const run = (
  settings: Resolved,
  input: {
    readonly partners: ReadonlyArray<Partner>
    readonly digests: ReadonlyArray<Store.Digest>
    readonly counts: ReadonlyArray<Store.WindowRow>
    readonly profile?: Profile | undefined
  }
): Rotation => {
  const { start, perWeek, weights } = settings
  const eligible = input.partners
  const { digestOf, latest, first, passStart, judgedAt } = scheduleOf(
    start,
    eligible,
    input.digests,
    settings.timeZone
  )
  const week = weekIndex(start)
  const weeks = Math.ceil(eligible.length / perWeek)
  // Partners touched within one round before the order was set were reached in this round.
  const roundFrom = judgedAt - weeks * WEEK_MS
  const counts = new Map<string, Store.WindowRow>()
  for (const row of input.counts) counts.set(row.partnerId, row)
  const zero = { given: 0, received: 0 }
  const placements = Matrix.fromCounts(eligible, (p) => counts.get(p.id) ?? zero, {
    windowDays: settings.windowDays,
    thresholds: settings.thresholds,
    profile: input.profile
  })
  const ranked = eligible.map((partner, i) => {
    const touched = timeOf(digestOf(partner).lastTouch)
    const last = touched ?? partner.createdAt.getTime()
    const quadrant = placements[i]!.quadrant
    return {
      partner,
      quadrant,
      touched,
      last,
      recent: last > roundFrom,
      staleness: (Math.max(0, judgedAt - last) / DAY_MS) * weights[quadrant],
      hash: fnv1a(partner.id)
    }
  })
  ranked.sort(
    (a, b) =>
      Number(a.recent) - Number(b.recent) ||
      (a.recent ? a.last - b.last : b.staleness - a.staleness) ||
      a.hash - b.hash ||
      (a.partner.id < b.partner.id ? -1 : a.partner.id > b.partner.id ? 1 : 0)
  )
  const k = latest === undefined ? 0 : week - first
  const weekStartDate = new Date(start)
  const order = ranked.map((r, rank): Pick => {
    const n = line(r.partner.name)
    const since =
      r.touched === undefined
        ? `no contact logged with ${n} since they were added on ${isoDay(new Date(r.last))}`
        : `last contact with ${n} on ${isoDay(new Date(r.touched))}, ${daysBetween(new Date(r.touched), weekStartDate)} days before this week`
    const weight = weights[r.quadrant]
    const weighting =
      weight === 1
        ? ""
        : `; ${r.quadrant === "opportunity" ? "an" : "a"} ${r.quadrant} partner, whose time without contact counts x${weight}`
    const slot = Math.floor(rank / perWeek) + 1
    const waiting =
      k > 0 && rank < perWeek
        ? `; nothing logged for ${k} week${k === 1 ? "" : "s"}, so still at the top`
        : ""
    return {
      partnerId: r.partner.id,
      name: r.partner.name,
      quadrant: r.quadrant,
      lastContactAt: r.touched === undefined ? null : new Date(r.touched),
      reason: `${since.charAt(0).toUpperCase()}${since.slice(1)}${weighting}${r.recent ? "; reached in this round" : ""}; week ${slot} of ${weeks} in the rotation${waiting}`,
      staleness: r.staleness,
      recent: r.recent,
      rank
    }
  })
  return {
    weekStart: weekStartDate,
    startedAt: new Date(passStart),
    weeks,
    week: k,
    order,
    picks: order.slice(0, perWeek)
  }
}

/**
 * This week's outreach picks: at most `perWeek` (default 2) partners, never `not-a-fit`.
 * See {@link rotation} for how they are chosen.
 *
 * @example
 * import { Outreach } from "@partnerbook/core"
 * const picks = Outreach.plan({ partners: [], referrals: [], interactions: [], weekOf: new Date("2026-03-04") })
 *
 * @since 0.1.0
 * @category rules
 */
export const plan = (input: Input): ReadonlyArray<Pick> => rotation(input).picks
