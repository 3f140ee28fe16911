/**
 * Partnership health: a 0..100 score and a green/yellow/red light per partner, built from
 * visible components (recency, reciprocity, follow-through, activity, trust) so that a user
 * sees why a partner is yellow.
 *
 * @since 0.1.0
 */
import * as Agenda from "./Agenda.js"
import * as Balance from "./Balance.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, referralsByPartner, requireAtLeast, timeOf } from "./internal/history.js"
import { resolveOptions } from "./internal/options.js"
import { DAY_MS, daysBetween, isoDay } from "./internal/time.js"
import * as Matrix from "./Matrix.js"
import type { Partner, PartnerId } from "./Partner.js"
import type { Profile } from "./Profile.js"
import * as Store from "./Store.js"

/**
 * The components of the score.
 *
 * - `recency`: time since the last touch against the partner's cadence.
 * - `reciprocity`: the {@link Balance.assess} verdict on referrals given and received.
 * - `follow-through`: received referrals thanked, and their loops closed, on time.
 * - `activity`: referrals both ways against the matrix's activity threshold.
 * - `trust`: referrals that became engaged clients, both ways.
 *
 * @since 0.1.0
 * @category models
 */
export type ComponentName = "recency" | "reciprocity" | "follow-through" | "activity" | "trust"

/**
 * Every component, in the order reports list them.
 *
 * @since 0.1.0
 * @category constants
 */
export const componentNames: ReadonlyArray<ComponentName> = [
  "recency",
  "reciprocity",
  "follow-through",
  "activity",
  "trust"
]

/**
 * The default weights: recency 0.3, follow-through 0.2, activity 0.2, reciprocity 0.15,
 * trust 0.15. Staying in touch weighs most: it is what keeps a partnership alive.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWeights: Readonly<Record<ComponentName, number>> = {
  recency: 0.3,
  reciprocity: 0.15,
  "follow-through": 0.2,
  activity: 0.2,
  trust: 0.15
}

/**
 * The default light thresholds: green from a score of 70, red below 40, yellow between.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLights = { green: 70, red: 40 } as const

/**
 * Engaged referrals in each direction that count as full trust: "the first couple of referrals".
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTrustReferrals = 2

/**
 * @since 0.1.0
 * @category models
 */
export type Light = "green" | "yellow" | "red"

/**
 * One part of the score: its value (0..1, 1 is healthy), its weight and what it is made of.
 *
 * @since 0.1.0
 * @category models
 */
export interface Component {
  readonly name: ComponentName
  readonly value: number
  readonly weight: number
  /** One line for people: the numbers behind the value. */
  readonly detail: string
}

/**
 * One partner's health.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly partnerId: PartnerId
  readonly name: string
  readonly quadrant: Matrix.Quadrant
  /** `round(100 * sum(weight * value) / sum(weight))`. */
  readonly score: number
  readonly light: Light
  readonly components: ReadonlyArray<Component>
  /** One line for people: the light, and the weakest components when not green. */
  readonly summary: string
}

/**
 * How health is judged, each with a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Check-in cadence by quadrant (default {@link Agenda.defaultCadenceDays}); `partner.cadenceDays` wins. */
  readonly cadenceDays?: Partial<Record<Matrix.Quadrant, number>>
  /** Days within which a received referral counts as thanked on time (default 2). */
  readonly thankYouDays?: number
  /** Days after the outcome within which a loop counts as closed on time (default 7). */
  readonly closeLoopDays?: number
  /** Cadences without a touch after which a partner is dormant: recency 0, light red (default 2). */
  readonly dormantFactor?: number
  /** Weight of each component (default {@link defaultWeights}); finite, `>= 0`, not all 0. */
  readonly weights?: Partial<Record<ComponentName, number>>
  /** Light thresholds on the score (default {@link defaultLights}). */
  readonly lights?: { readonly green?: number; readonly red?: number }
  /** Rules of the reciprocity verdict (default {@link Balance.defaultRules}). */
  readonly balance?: Balance.Rules
  /** Engaged referrals each way that make full trust (default 2). */
  readonly trustReferrals?: number
}

/**
 * The input of {@link report}. `referrals` and `interactions` may hold the whole book: those
 * dated after `asOf`, or of partners not in `partners`, are ignored. `windowDays` (default
 * 365) is the trailing window of reciprocity, follow-through and activity; it and
 * `thresholds` and `profile` also go to {@link Matrix.build}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input extends Agenda.HistoryInput<Options> {}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2))

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

const line = (name: string): string => name.replace(/\s+/g, " ")

type Verdict = "on-time" | "late" | "overdue" | "not-due"

/** Whether something due at `due` was done on time, late, or not yet (overdue or not due yet). */
const judge = (done: Date | undefined, due: number, asOf: number): Verdict => {
  if (done !== undefined && done.getTime() <= asOf) return done.getTime() <= due ? "on-time" : "late"
  return due <= asOf ? "overdue" : "not-due"
}

const describe = (t: {
  readonly "on-time": number
  readonly late: number
  readonly overdue: number
}): string =>
  t["on-time"] + t.late + t.overdue === 0
    ? "none due"
    : `${t["on-time"]} on time, ${t.late} late, ${t.overdue} overdue`

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x))

const resolve = (input: Agenda.Settings<Options>) => {
  const asOfDate = InvalidInput.requireDate("asOf", input.asOf)
  const asOf = asOfDate.getTime()
  const o = input.options ?? {}
  const agenda = resolveOptions({
    ...(o.cadenceDays === undefined ? {} : { cadenceDays: o.cadenceDays }),
    ...(o.thankYouDays === undefined ? {} : { thankYouDays: o.thankYouDays }),
    ...(o.closeLoopDays === undefined ? {} : { closeLoopDays: o.closeLoopDays }),
    ...(o.dormantFactor === undefined ? {} : { dormantFactor: o.dormantFactor })
  })
  const weights = { ...defaultWeights }
  for (const name of componentNames) {
    const w = o.weights?.[name]
    if (w !== undefined) weights[name] = requireAtLeast(`options.weights.${name}`, w, 0, false)
  }
  const totalWeight = componentNames.reduce((s, n) => s + weights[n], 0)
  if (totalWeight <= 0) throw InvalidInput.make("options.weights", "expected at least one positive weight")
  const green = requireAtLeast("options.lights.green", o.lights?.green ?? defaultLights.green, 0, false)
  const red = requireAtLeast("options.lights.red", o.lights?.red ?? defaultLights.red, 0, false)
  if (red > green || green > 100) {
    throw InvalidInput.make(
      "options.lights",
      `expected 0 <= red <= green <= 100, got red ${red}, green ${green}`
    )
  }
  const trustReferrals = requireAtLeast(
    "options.trustReferrals",
    o.trustReferrals ?? defaultTrustReferrals,
    0,
    true
  )
  Balance.assess({ given: 0, received: 0 }, o.balance) // validates the rules up front
  const { windowDays } = Matrix.checkSettings(input)
  const query: Store.DigestQuery = {
    asOf: asOfDate,
    windows: [{ after: new Date(asOf - windowDays * DAY_MS), until: asOfDate }],
    positiveRank: 1,
    kinds: [],
    // Reciprocity counts over the window ending at the latest referral, and the cadence of
    // recency looks at the quadrant as of the last touch.
    trailingDays: windowDays
  }
  const received: Store.ReceivedQuery = { asOf: asOfDate, days: windowDays }
  return {
    asOfDate,
    asOf,
    o,
    agenda,
    weights,
    totalWeight,
    green,
    red,
    trustReferrals,
    windowDays,
    query,
    received
  }
}

type Resolved = ReturnType<typeof resolve>

/**
 * The health of every partner as of `asOf`, in the order of `partners` (partners at stage
 * `not-a-fit` included: health is a view, not a reminder).
 *
 * Components (value 0..1, higher is healthier):
 * - `recency`: 1 while the last touch (ANY referral or interaction; `createdAt` when none)
 *   is at most one cadence old, falling linearly to 0 at `dormantFactor` (2) cadences. The
 *   cadence is the shorter of the partner's cadence now and at the last touch.
 * - `reciprocity`: 1 when {@link Balance.assess} says `balanced` (including too little to
 *   judge), 0.5 when `giving-more` or `receiving-more`; counts over the window ending at the
 *   latest referral with the partner (an imbalance does not fade while nothing is exchanged).
 * - `follow-through`: each thank-you and each loop to close of a received referral counts 1
 *   when done on time (2 days after the referral; 7 days after the outcome), 0.5 when done
 *   late, 0 when overdue and not done; ones not due yet do not count. What was done counts
 *   for the referrals received in the window ending at the latest one received; what is
 *   overdue counts until it is done, however old. 1 when nothing was owed.
 * - `activity`: referrals both ways in the window over the matrix activity threshold
 *   (default 4), capped at 1.
 * - `trust`: engaged referrals up to `trustReferrals` (2) in each direction, the two
 *   directions weighing equally, counted over all time (trust, once earned, does not expire with
 *   the window): 1 once two you gave and two you received became clients.
 *
 * Score: `round(100 * sum(weight * value) / sum(weight))`. Light: `red` below 40 or when
 * the partner is dormant (recency 0); else `green` from 70; else `yellow`. A new partner with
 * nothing exchanged yet scores 65: yellow, "invest here". Health never rises as time passes
 * with nothing logged: every component stays or falls. Throws
 * {@link InvalidInput.InvalidInput} naming the field for an invalid `asOf` or option.
 *
 * @since 0.1.0
 * @category rules
 */
export const report = (input: Input): ReadonlyArray<Report> => {
  const settings = resolve(input)
  return run(
    settings,
    input.partners,
    Store.digest(input.partners, input.referrals, input.interactions, settings.query),
    Store.pending(input.referrals, settings.asOfDate),
    Store.received(input.partners, input.referrals, settings.received),
    input.thresholds,
    input.profile
  )
}

/**
 * The input of {@link fromSummary}: the digests of {@link query}, the received referrals
 * still pending as of `asOf` (`Store.pending`) and the recently received ones of
 * {@link receivedQuery} (`Store.received`). A referral in both counts once.
 *
 * @since 0.2.0
 * @category models
 */
export interface SummaryInput extends Agenda.Summary<Options> {
  readonly pending: ReadonlyArray<Store.Received>
  readonly received: ReadonlyArray<Store.Received>
}

/**
 * The digest query health needs (after checking `asOf`, the options, `windowDays` and
 * `thresholds`, in the order {@link report} does). Throws {@link InvalidInput.InvalidInput}.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Agenda.Settings<Options>): Store.DigestQuery => resolve(input).query

/**
 * The received referrals whose follow-through health judges besides the pending ones: per
 * partner, those of the `windowDays` up to the latest one received (`Store.received`).
 * Checks the settings as {@link query} does.
 *
 * @since 0.2.0
 * @category rules
 */
export const receivedQuery = (input: Agenda.Settings<Options>): Store.ReceivedQuery => resolve(input).received

/**
 * Health from a store's summaries: the same reports as {@link report} over the arrays the
 * digests, pending and recently received referrals were read from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: SummaryInput): ReadonlyArray<Report> =>
  run(
    resolve(input),
    input.partners,
    input.digests,
    input.pending,
    input.received,
    input.thresholds,
    input.profile
  )

const run = (
  settings: Resolved,
  partners: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  pending: ReadonlyArray<Store.Received>,
  received: ReadonlyArray<Store.Received>,
  thresholds: Matrix.Thresholds | undefined,
  profile: Profile | undefined
): ReadonlyArray<Report> => {
  const { asOfDate, asOf, o, agenda, weights, totalWeight, green, red, trustReferrals, windowDays } = settings
  const digestOf = digestsByPartner(digests, 1)
  const placements = Matrix.fromCounts(partners, (p) => digestOf(p).windows[0]!, {
    windowDays,
    thresholds,
    profile
  })
  // Follow-through judges what is still owed (pending, however old) and what was done on the
  // referrals received in the window up to the latest one: every other received referral was
  // thanked and its loop closed long ago, and counts for nothing.
  const judged = new Map<string, Store.Received>()
  for (const r of [...pending, ...received]) {
    if (r.direction === "received" && r.date.getTime() <= asOf) judged.set(r.id, r)
  }
  const receivedOf = referralsByPartner([...judged.values()])
  return partners.map((partner, i): Report => {
    const placement = placements[i]!
    const digest = digestOf(partner)

    // Recency. As referrals leave the window a partner's quadrant can change to one with a
    // longer cadence (generous to casual); neglect must not buy time, so the cadence is the
    // shorter of the quadrant's now and at the last touch.
    const touched = timeOf(digest.lastTouch)
    const last = touched ?? partner.createdAt.getTime()
    const activityThen = digest.upToLastTouch.given + digest.upToLastTouch.received
    const latestReferral = timeOf(digest.lastReferral)
    const quadrantThen = Matrix.classify(
      { alignment: placement.alignment ?? 0, activity: activityThen },
      placement.thresholds
    )
    const cadence = Math.min(
      Agenda.cadenceOf(partner, placement.quadrant, agenda.cadenceDays),
      Agenda.cadenceOf(partner, quadrantThen, agenda.cadenceDays)
    )
    const idle = (asOf - last) / DAY_MS
    const recencyValue =
      idle <= cadence
        ? 1
        : agenda.dormantFactor === 1
          ? 0
          : clamp01((agenda.dormantFactor * cadence - idle) / ((agenda.dormantFactor - 1) * cadence))
    const days = daysBetween(new Date(last), asOfDate)
    const recency: Component = {
      name: "recency",
      value: recencyValue,
      weight: weights.recency,
      detail: `${touched === undefined ? `never touched; added ${plural(days, "day")} ago` : `last touched ${plural(days, "day")} ago`}, against a ${cadence}-day cadence${recencyValue === 0 ? ` (dormant from ${fmt(agenda.dormantFactor)}x)` : ""}`
    }

    // Reciprocity: over the window ending at the latest referral, so that an imbalance does
    // not fade by itself while nothing is exchanged.
    const exchange = { given: digest.upToLastReferral.given, received: digest.upToLastReferral.received }
    const balance = Balance.assess(exchange, o.balance)
    const reciprocity: Component = {
      name: "reciprocity",
      value: balance.state === "balanced" ? 1 : 0.5,
      weight: weights.reciprocity,
      detail: `${balance.state}${exchange.given + exchange.received < (o.balance?.minTotal ?? Balance.defaultRules.minTotal) ? " (too few to judge)" : ""}: ${exchange.given} given, ${exchange.received} received in the ${windowDays} days up to ${latestReferral === undefined ? "now (none yet)" : `the latest referral (${isoDay(new Date(latestReferral))})`}`
    }

    // Follow-through and trust.
    const tally = {
      thank: { "on-time": 0, late: 0, overdue: 0 },
      loop: { "on-time": 0, late: 0, overdue: 0 }
    }
    const engagedGiven = digest.engagedGiven
    const engagedReceived = digest.engagedReceived
    const latestReceived = timeOf(digest.lastReceived)
    for (const r of receivedOf(partner)) {
      const outcome =
        r.status === "engaged" || r.status === "not-engaged"
          ? (r.statusChangedAt ?? r.date).getTime()
          : undefined
      const decided = outcome !== undefined && outcome <= asOf
      const date = r.date.getTime()
      // What was done counts over the window up to the latest referral received; what is
      // owed and not done counts until it is done, however old.
      const recent = latestReceived !== undefined && date > latestReceived - windowDays * DAY_MS
      const thank = judge(r.thankedAt, date + agenda.thankYouDays * DAY_MS, asOf)
      if (thank === "overdue" || (thank !== "not-due" && recent)) tally.thank[thank]++
      const loop = decided ? judge(r.loopClosedAt, outcome + agenda.closeLoopDays * DAY_MS, asOf) : "not-due"
      if (loop === "overdue" || (loop !== "not-due" && recent)) tally.loop[loop]++
    }
    let owed = 0
    let credit = 0
    for (const t of [tally.thank, tally.loop]) {
      owed += t["on-time"] + t.late + t.overdue
      credit += t["on-time"] + t.late / 2
    }
    const followThrough: Component = {
      name: "follow-through",
      value: owed === 0 ? 1 : credit / owed,
      weight: weights["follow-through"],
      detail:
        owed === 0
          ? "nothing owed on referrals received"
          : `thank-yous ${describe(tally.thank)}; loops closed ${describe(tally.loop)} (referrals received in the ${windowDays} days up to the latest, and everything still owed)`
    }

    // Activity.
    const threshold = placement.thresholds.activity
    const activity: Component = {
      name: "activity",
      value: threshold === 0 ? 1 : Math.min(1, placement.activity / threshold),
      weight: weights.activity,
      detail: `${plural(placement.activity, "referral")} both ways in ${windowDays} days, against ${fmt(threshold)} for high activity`
    }

    const trust: Component = {
      name: "trust",
      value:
        (Math.min(engagedGiven, trustReferrals) + Math.min(engagedReceived, trustReferrals)) /
        (2 * trustReferrals),
      weight: weights.trust,
      detail: `${engagedGiven} you gave and ${engagedReceived} you received became clients so far, at any time (${fmt(trustReferrals)} each way is full trust)`
    }

    const components = [recency, reciprocity, followThrough, activity, trust]
    const score = Math.round((100 * components.reduce((s, c) => s + c.weight * c.value, 0)) / totalWeight)
    const dormant = recencyValue === 0
    const light: Light = score < red || dormant ? "red" : score >= green ? "green" : "yellow"
    const weakest = components
      .filter((c) => c.weight > 0 && c.value < 1)
      .sort((a, b) => a.value - b.value || b.weight - a.weight)
      .slice(0, 2)
    const summary =
      weakest.length === 0
        ? `${line(partner.name)}: ${light} (${score}), every component healthy`
        : `${line(partner.name)}: ${light} (${score})${dormant ? ", dormant" : ""}; weakest: ${weakest.map((c) => `${c.name} ${fmt(c.value)}`).join(", ")}`
    return {
      partnerId: partner.id,
      name: partner.name,
      quadrant: placement.quadrant,
      score,
      light,
      components,
      summary
    }
  })
}
