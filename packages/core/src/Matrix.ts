/**
 * The Referral Partner Matrix: alignment (client-base overlap) x activity (referrals
 * exchanged in both directions over a trailing window), four quadrants, and what to do in each.
 *
 * @since 0.1.0
 */
import * as IdealClientProfile from "./IdealClientProfile.js"
import * as InvalidInput from "./InvalidInput.js"
import { DAY_MS } from "./internal/time.js"
import type { Partner, PartnerId } from "./Partner.js"
import type { Profile } from "./Profile.js"
import type { Referral } from "./Referral.js"

/**
 * `core`: high alignment, high activity. `opportunity`: high alignment, low activity.
 * `generous`: low alignment, high activity. `casual`: low, low.
 *
 * @since 0.1.0
 * @category models
 */
export type Quadrant = "core" | "opportunity" | "generous" | "casual"

/**
 * Every quadrant, in the order the seed presents them.
 *
 * @since 0.1.0
 * @category constants
 */
export const quadrants: ReadonlyArray<Quadrant> = ["core", "opportunity", "generous", "casual"]

/**
 * A partner's position on the matrix.
 *
 * @since 0.1.0
 * @category models
 */
export interface Point {
  readonly alignment: number
  readonly activity: number
}

/**
 * Where "high" starts on each axis. A value equal to its threshold is high.
 *
 * @since 0.1.0
 * @category models
 */
export interface Thresholds {
  readonly alignment?: number
  readonly activity?: number
}

/**
 * The default thresholds: alignment 0.5; activity 4 referrals in both directions together
 * over the trailing 365 days (one a quarter).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultThresholds = { alignment: 0.5, activity: 4 } as const

/**
 * The default trailing window for activity, in days.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWindowDays = 365

const checkPoint = (point: Point): void => {
  const alignment = InvalidInput.requireFiniteNumber("alignment", point?.alignment)
  if (alignment < 0 || alignment > 1)
    throw InvalidInput.make("alignment", `expected a value in 0..1, got ${alignment}`)
  const activity = InvalidInput.requireFiniteNumber("activity", point.activity)
  if (activity < 0) throw InvalidInput.make("activity", `expected a non-negative number, got ${activity}`)
}

const resolveThresholds = (thresholds: Thresholds | undefined): { alignment: number; activity: number } => {
  const alignment = thresholds?.alignment ?? defaultThresholds.alignment
  const activity = thresholds?.activity ?? defaultThresholds.activity
  InvalidInput.requireFiniteNumber("thresholds.alignment", alignment)
  if (alignment < 0 || alignment > 1) {
    throw InvalidInput.make("thresholds.alignment", `expected a value in 0..1, got ${alignment}`)
  }
  InvalidInput.requireFiniteNumber("thresholds.activity", activity)
  if (activity < 0)
    throw InvalidInput.make("thresholds.activity", `expected a non-negative number, got ${activity}`)
  return { alignment, activity }
}

const quadrantOf = (
  alignment: number,
  activity: number,
  t: { alignment: number; activity: number }
): Quadrant =>
  alignment >= t.alignment
    ? activity >= t.activity
      ? "core"
      : "opportunity"
    : activity >= t.activity
      ? "generous"
      : "casual"

/**
 * The quadrant of a point. Throws {@link InvalidInput.InvalidInput} naming the field for NaN,
 * infinite values, alignment outside 0..1 or negative activity.
 *
 * @example
 * import { Matrix } from "@partnerbook/core"
 * Matrix.classify({ alignment: 0.8, activity: 1 }) // "opportunity"
 * Matrix.classify({ alignment: 0.8, activity: 1 }, { activity: 1 }) // "core"
 *
 * @since 0.1.0
 * @category rules
 */
export const classify = (point: Point, thresholds?: Thresholds): Quadrant => {
  checkPoint(point)
  return quadrantOf(point.alignment, point.activity, resolveThresholds(thresholds))
}

/**
 * What the seed recommends for each quadrant.
 *
 * @since 0.1.0
 * @category constants
 */
export const actions: Readonly<Record<Quadrant, ReadonlyArray<string>>> = {
  core: [
    "Protect this relationship: it is one of your core partnerships.",
    "Meet quarterly, even a 20-minute call.",
    "Keep them updated on your practice.",
    "Never let a referral go without a thank-you."
  ],
  opportunity: [
    "Invest time here: the overlap exists but referrals are not flowing yet.",
    "Schedule a one-on-one.",
    "Give a referral first.",
    "Clarify your ideal client profiles with each other."
  ],
  generous: [
    "Thank them for every referral.",
    "Reciprocate when you can.",
    "Do not invest disproportionate time: the overlap is limited."
  ],
  casual: ["Maintain the relationship, but do not prioritise it for referrals."]
}

/**
 * Where a partner's alignment came from. `unknown` when there is neither a manual value nor
 * two ideal client profiles that share a filled facet; such a partner counts as low alignment.
 *
 * @since 0.1.0
 * @category models
 */
export type AlignmentSource = "manual" | "ideal-client" | "unknown"

/**
 * One partner's place on the matrix, with the numbers and reasons behind it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Placement {
  readonly partnerId: PartnerId
  readonly name: string
  readonly quadrant: Quadrant
  /** The alignment used, 0..1; `null` when unknown (then judged as 0). */
  readonly alignment: number | null
  readonly alignmentSource: AlignmentSource
  /** Referrals in both directions in the window. */
  readonly activity: number
  readonly given: number
  readonly received: number
  /** The thresholds the partner was judged against. */
  readonly thresholds: { readonly alignment: number; readonly activity: number }
  /** Why the partner is in this quadrant: the values against the thresholds. */
  readonly reasons: ReadonlyArray<string>
  /** What the seed recommends for the quadrant. */
  readonly actions: ReadonlyArray<string>
}

/**
 * The input of {@link build}. `referrals` may hold any referrals of the book: only those
 * dated in the window `(asOf - windowDays, asOf]` count, and only for partners in `partners`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  readonly asOf: Date
  /** Trailing window in days (default 365). */
  readonly windowDays?: number
  readonly thresholds?: Thresholds
  /** The owner's profile: its ideal client profile gives alignment where no manual value is set. */
  readonly profile?: Profile | undefined
}

/**
 * Counts of referrals per partner over a window, as a store's window aggregate returns them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counts {
  readonly given: number
  readonly received: number
}

/**
 * The alignment of a partner: the manual value if set, else the overlap of the owner's and
 * the partner's ideal client profiles, else unknown.
 *
 * @since 0.1.0
 * @category rules
 */
export const alignmentOf = (
  partner: Partner,
  profile: Profile | undefined
): { readonly value: number | null; readonly source: AlignmentSource } => {
  if (partner.alignment !== undefined) return { value: partner.alignment, source: "manual" }
  if (profile?.idealClient !== undefined && partner.idealClient !== undefined) {
    const computed = IdealClientProfile.alignment(profile.idealClient, partner.idealClient).value
    if (computed !== undefined) return { value: computed, source: "ideal-client" }
  }
  return { value: null, source: "unknown" }
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2))

/**
 * Places one partner given its referral counts. {@link build} calls this for every partner;
 * use it directly with counts from a store's window aggregate.
 *
 * @since 0.1.0
 * @category rules
 */
export const place = (
  partner: Partner,
  counts: Counts,
  options: {
    readonly thresholds?: Thresholds
    readonly profile?: Profile | undefined
    readonly windowDays?: number
  } = {}
): Placement =>
  placeWith(
    partner,
    counts.given,
    counts.received,
    judge(resolveThresholds(options.thresholds), options.profile, options.windowDays ?? defaultWindowDays)
  )

/**
 * Everything about a placement that does not depend on the partner, worked out once per call
 * of {@link build} rather than once per partner. The reasons are cached by their inputs too:
 * partners with the same alignment or the same counts share one string, which saves both the
 * formatting and the memory of a large book (formatting and collecting the same text for every
 * partner would otherwise cost more than counting a million referrals).
 */
interface Judge {
  readonly t: { readonly alignment: number; readonly activity: number }
  readonly profile: Profile | undefined
  readonly windowDays: number
  readonly unknownReason: string
  readonly manualReasons: Map<number, string>
  readonly idealClientReasons: Map<number, string>
  readonly activityReasons: Map<number, string>
}

const judge = (
  t: { readonly alignment: number; readonly activity: number },
  profile: Profile | undefined,
  windowDays: number
): Judge => ({
  t,
  profile,
  windowDays,
  unknownReason: `alignment unknown (no manual value and no two ideal client profiles to compare): judged low against ${fmt(t.alignment)}`,
  manualReasons: new Map(),
  idealClientReasons: new Map(),
  activityReasons: new Map()
})

const alignmentReason = (j: Judge, alignment: number, source: AlignmentSource): string => {
  if (source === "unknown") return j.unknownReason
  const cache = source === "manual" ? j.manualReasons : j.idealClientReasons
  let reason = cache.get(alignment)
  if (reason === undefined) {
    const high = alignment >= j.t.alignment
    reason = `alignment ${fmt(alignment)} (${source === "manual" ? "set by hand" : "from ideal client profiles"}) is ${high ? "high" : "low"}: ${high ? ">=" : "<"} ${fmt(j.t.alignment)}`
    cache.set(alignment, reason)
  }
  return reason
}

const activityReason = (j: Judge, given: number, received: number): string => {
  // One number per pair of counts while it stays exact (given < 2^20, received < 2^32).
  const key = given < 1_048_576 && received < 4_294_967_296 ? given * 4_294_967_296 + received : -1
  let reason = key < 0 ? undefined : j.activityReasons.get(key)
  if (reason === undefined) {
    const activity = given + received
    const high = activity >= j.t.activity
    reason = `activity ${activity} (${given} given, ${received} received in ${j.windowDays} days) is ${high ? "high" : "low"}: ${high ? ">=" : "<"} ${fmt(j.t.activity)}`
    if (key >= 0) j.activityReasons.set(key, reason)
  }
  return reason
}

const placeWith = (partner: Partner, given: number, received: number, j: Judge): Placement => {
  const { value, source } = alignmentOf(partner, j.profile)
  const activity = given + received
  const quadrant = quadrantOf(value ?? 0, activity, j.t)
  return {
    partnerId: partner.id,
    name: partner.name,
    quadrant,
    alignment: value,
    alignmentSource: source,
    activity,
    given,
    received,
    thresholds: j.t,
    reasons: [alignmentReason(j, value ?? 0, source), activityReason(j, given, received)],
    actions: actions[quadrant]
  }
}

/**
 * Places every partner on the matrix as of `asOf`: one placement per partner, in the order
 * of `partners`. Referrals count when `asOf - windowDays < date <= asOf`; referrals of
 * partners not in `partners`, or outside the window, change nothing. Runs in one pass over
 * the referrals and never re-decodes its input.
 *
 * @since 0.1.0
 * @category rules
 */
export const build = (input: Input): ReadonlyArray<Placement> => {
  const asOf = InvalidInput.requireDate("asOf", input.asOf).getTime()
  const { t, windowDays } = checkSettings(input)
  const from = asOf - windowDays * DAY_MS
  const partners = input.partners
  const index = new Map<string, number>()
  for (let i = 0; i < partners.length; i++) index.set(partners[i]!.id, i)
  const given = new Uint32Array(partners.length)
  const received = new Uint32Array(partners.length)
  const referrals = input.referrals
  for (let r = 0; r < referrals.length; r++) {
    const referral = referrals[r]!
    const time = referral.date.getTime()
    if (time <= from || time > asOf) continue
    const i = index.get(referral.partnerId)
    if (i === undefined) continue
    if (referral.direction === "given") given[i]!++
    else received[i]!++
  }
  const j = judge(t, input.profile, windowDays)
  const out = new Array<Placement>(partners.length)
  for (let i = 0; i < partners.length; i++) out[i] = placeWith(partners[i]!, given[i]!, received[i]!, j)
  return out
}

/**
 * Checks the settings {@link build} checks after `asOf`, in the same order (`windowDays`, then
 * `thresholds`), and returns them resolved. Throws {@link InvalidInput.InvalidInput} naming
 * the field.
 *
 * @since 0.2.0
 * @category rules
 */
export const checkSettings = (input: {
  readonly windowDays?: number | undefined
  readonly thresholds?: Thresholds | undefined
}): {
  readonly windowDays: number
  readonly t: { readonly alignment: number; readonly activity: number }
} => {
  const windowDays = input.windowDays ?? defaultWindowDays
  InvalidInput.requireFiniteNumber("windowDays", windowDays)
  if (windowDays <= 0)
    throw InvalidInput.make("windowDays", `expected a positive number of days, got ${windowDays}`)
  return { windowDays, t: resolveThresholds(input.thresholds) }
}

/**
 * Places every partner from counts already made (a store's window aggregate or digests):
 * the same placements as {@link build} over the referrals those counts came from, in the
 * order of `partners`. Checks `windowDays` and `thresholds` as {@link build} does.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromCounts = (
  partners: ReadonlyArray<Partner>,
  counts: (partner: Partner) => Counts,
  options: {
    readonly windowDays?: number | undefined
    readonly thresholds?: Thresholds | undefined
    readonly profile?: Profile | undefined
  }
): ReadonlyArray<Placement> => {
  const { t, windowDays } = checkSettings(options)
  const j = judge(t, options.profile, windowDays)
  return partners.map((p) => {
    const c = counts(p)
    return placeWith(p, c.given, c.received, j)
  })
}

/**
 * Placements grouped by quadrant, every quadrant present (possibly empty).
 *
 * @since 0.1.0
 * @category combinators
 */
export const byQuadrant = (
  placements: ReadonlyArray<Placement>
): Record<Quadrant, ReadonlyArray<Placement>> => {
  const out: Record<Quadrant, Array<Placement>> = { core: [], opportunity: [], generous: [], casual: [] }
  for (const p of placements) out[p.quadrant].push(p)
  return out
}
