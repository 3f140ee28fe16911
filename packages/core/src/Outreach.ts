/**
 * The weekly outreach rotation: "each week reach out to one or two of your colleagues,
 * rotating through your list of contacts". A deterministic plan per ISO week, least recently
 * touched first, weighted by quadrant, never a partner marked `not-a-fit`.
 *
 * @since 0.1.0
 */
import type { Interaction } from "./Interaction.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, fnv1a, requireAtLeast, timeOf } from "./internal/history.js"
import { DAY_MS, daysBetween, isoDay } from "./internal/time.js"
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
export const weekStart = (date: Date): Date => {
  const d = InvalidInput.requireDate("weekOf", date)
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  return new Date(midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS)
}

const weekIndex = (start: number): number => Math.round((start - EPOCH_MONDAY) / WEEK_MS)

const startOf = (week: number): number => EPOCH_MONDAY + week * WEEK_MS

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
  /** Weighted days without contact at the start of the rotation: what the order is by. */
  readonly staleness: number
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
  /** Monday 00:00 UTC of the rotation's first week: the week after the latest contact. */
  readonly startedAt: Date
  /** Weeks one pass through the list takes: `ceil(eligible / perWeek)` (0 with nobody eligible). */
  readonly weeks: number
  /** This week's position in the pass, `0 .. weeks - 1`. */
  readonly week: number
  /** Every eligible partner, stalest first: week `k` of a pass takes ranks `k * perWeek ..`. */
  readonly order: ReadonlyArray<Pick>
  /** This week's picks: at most `perWeek` (fewer in the last week of a pass). */
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
 * - A pass through the list starts the week after the latest touch with any eligible
 *   partner (or after the latest partner was added). The order of the pass is fixed at its
 *   start: by staleness (days without contact x the quadrant's weight, quadrants as of then)
 *   descending, ties broken by a hash of the pass's first week and the partner id, then by id.
 * - Week `k` of the pass (`k = weeks since it started, mod ceil(eligible / perWeek)`) takes
 *   ranks `k * perWeek` to `k * perWeek + perWeek - 1`.
 *
 * What follows:
 * - Deterministic: the same book and week give the same plan, whatever the input order and
 *   whichever moment of the week `weekOf` is.
 * - Coverage: while no new touch is logged (and no partner added), any `ceil(eligible /
 *   perWeek)` consecutive weeks reach every eligible partner exactly once, because the
 *   order stays fixed and consecutive weeks take consecutive slices of it, round and round.
 * - In use: touching this week's picks starts a new pass next week, where they rank last,
 *   so the stalest partners come first again; partners you skipped stay at the top.
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
  const start = weekStart(input.weekOf).getTime()
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
  return { start, perWeek, weights, query, windowDays: input.windowDays, thresholds: input.thresholds }
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
  digests: ReadonlyArray<Store.Digest>
) => {
  const digestOf = digestsByPartner(digests, 0)
  let latest: number | undefined
  for (const p of eligible) {
    const touched = timeOf(digestOf(p).lastTouch)
    const created = p.createdAt.getTime()
    const t = touched ?? (created < start ? created : undefined)
    if (t !== undefined && (latest === undefined || t > latest)) latest = t
  }
  const first = latest === undefined ? 0 : weekIndex(weekStart(new Date(latest)).getTime()) + 1
  const passStart = startOf(first)
  // The order is judged as of the pass's start; with no touch at all, as of this week's start
  // (nothing happened before it, so the order is the same for every such week).
  const judgedAt = latest === undefined ? start : passStart
  return { digestOf, first, passStart, judgedAt }
}

const windowOf = (
  settings: Resolved,
  eligible: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  input: Settings
): Store.Window => {
  const { judgedAt } = scheduleOf(settings.start, eligible, digests)
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
  const { digestOf, first, passStart, judgedAt } = scheduleOf(start, eligible, input.digests)
  const week = weekIndex(start)
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
      staleness: (Math.max(0, judgedAt - last) / DAY_MS) * weights[quadrant],
      hash: fnv1a(`${first}:${partner.id}`)
    }
  })
  ranked.sort(
    (a, b) =>
      b.staleness - a.staleness ||
      a.hash - b.hash ||
      (a.partner.id < b.partner.id ? -1 : a.partner.id > b.partner.id ? 1 : 0)
  )
  const weeks = Math.ceil(eligible.length / perWeek)
  const k = weeks === 0 ? 0 : (((week - first) % weeks) + weeks) % weeks
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
    return {
      partnerId: r.partner.id,
      name: r.partner.name,
      quadrant: r.quadrant,
      lastContactAt: r.touched === undefined ? null : new Date(r.touched),
      reason: `${since.charAt(0).toUpperCase()}${since.slice(1)}${weighting}; week ${slot} of ${weeks} in the rotation`,
      staleness: r.staleness,
      rank
    }
  })
  return {
    weekStart: weekStartDate,
    startedAt: new Date(passStart),
    weeks,
    week: k,
    order,
    picks: order.slice(k * perWeek, k * perWeek + perWeek)
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
