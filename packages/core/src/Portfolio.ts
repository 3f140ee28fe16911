/**
 * The portfolio of partnerships: "most successful professionals maintain 5 to 10 active
 * referral partnerships". Counts the active ones against that range; below it, which
 * opportunities to invest in; above it, which casual relationships cost the most time for
 * the least flow.
 *
 * @since 0.1.0
 */
import type * as Agenda from "./Agenda.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, timeOf } from "./internal/history.js"
import * as Matrix from "./Matrix.js"
import type { PartnerId, Stage } from "./Partner.js"
import * as Progression from "./Progression.js"
import * as Store from "./Store.js"

/**
 * The healthy range of active partnerships: 5 to 10.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRange = { min: 5, max: 10 } as const

/**
 * Where the count of active partnerships stands against the range.
 *
 * @since 0.1.0
 * @category models
 */
export type Status = "too-few" | "in-range" | "too-many"

/**
 * An active partnership.
 *
 * @since 0.1.0
 * @category models
 */
export interface Member {
  readonly partnerId: PartnerId
  readonly name: string
  readonly quadrant: Matrix.Quadrant
}

/**
 * A high-alignment partner that is not active yet: where to invest.
 *
 * @since 0.1.0
 * @category models
 */
export interface Investment {
  readonly partnerId: PartnerId
  readonly name: string
  readonly quadrant: Matrix.Quadrant
  /** The alignment used, 0..1; `null` when unknown. */
  readonly alignment: number | null
  readonly stage: Stage
  readonly next: Progression.NextStep | null
  /** Referrals the partner sent you in the window: trust that already exists. */
  readonly received: number
  readonly reason: string
}

/**
 * A casual relationship and what it costs: interactions (your time) against referrals (flow).
 *
 * @since 0.1.0
 * @category models
 */
export interface Cost {
  readonly partnerId: PartnerId
  readonly name: string
  /** Interactions in the window. */
  readonly interactions: number
  /** Referrals both ways in the window. */
  readonly referrals: number
  /** Whether it counts as one of the active partnerships. */
  readonly active: boolean
  readonly reason: string
}

/**
 * The portfolio as of a date.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly status: Status
  /** How many partnerships are active. */
  readonly active: number
  readonly range: { readonly min: number; readonly max: number }
  readonly activePartners: ReadonlyArray<Member>
  /** When `too-few`: partners to invest in, best first; empty otherwise. */
  readonly invest: ReadonlyArray<Investment>
  /** When `too-many`: casual relationships that cost the most for the least, first; empty otherwise. */
  readonly letGo: ReadonlyArray<Cost>
  /** One line for people. */
  readonly message: string
}

/**
 * The range, and how stages are inferred ({@link Progression.Options}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Progression.Options {
  /** Fewest active partnerships that is healthy (default 5). */
  readonly min?: number
  /** Most active partnerships that is healthy (default 10). */
  readonly max?: number
}

/**
 * The input of {@link assess}. `windowDays` (default 365) is the trailing window for
 * referrals and interactions; it and `thresholds` and `profile` also go to
 * {@link Matrix.build} and {@link Progression.infer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input extends Agenda.HistoryInput<Options> {}

const progress: Record<Stage, number> = {
  "not-a-fit": -1,
  dormant: 0,
  identified: 0,
  "gave-first": 1,
  "met-one-on-one": 2,
  "ideal-clients-shared": 3,
  active: 4
}

const line = (name: string): string => name.replace(/\s+/g, " ")

const byId = (a: { readonly partnerId: string }, b: { readonly partnerId: string }): number =>
  a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0

const names = (xs: ReadonlyArray<{ readonly name: string }>): string =>
  xs
    .slice(0, 3)
    .map((x) => line(x.name))
    .join(", ")

const resolve = (input: Agenda.Settings<Options>) => {
  const asOfDate = InvalidInput.requireDate("asOf", input.asOf)
  const o = input.options ?? {}
  const min = InvalidInput.requireNonNegativeInteger("options.min", o.min ?? defaultRange.min)
  const max = InvalidInput.requireNonNegativeInteger("options.max", o.max ?? defaultRange.max)
  if (min > max) throw InvalidInput.make("options.min", `expected at most options.max (${max}), got ${min}`)
  const { windowDays } = Matrix.checkSettings(input)
  // Progression checks its own options and asks for everything the portfolio reads too.
  const query = Progression.query({ ...input, asOf: asOfDate, windowDays, options: o })
  return { asOfDate, o, min, max, windowDays, query }
}

/**
 * The portfolio as of `asOf`.
 *
 * A partnership is **active** when {@link Progression.infer} says so: referrals flowed both
 * ways within the window, or ideal clients were shared and followed up consistently since;
 * never a partner marked `not-a-fit` or dormant. These are the people "you know well, trust
 * deeply, and interact with regularly".
 *
 * - Below `min` (5): `invest` lists the high-alignment partners (core or opportunity) that
 *   are not active and not `not-a-fit`, best first: those who already send you clients
 *   (received in the window, "the trust already exists"), then higher alignment, then
 *   further along the four steps, then the more recently touched, then by id.
 * - Above `max` (10): `letGo` lists the casual partners (low alignment, low activity; not
 *   `not-a-fit`) with at least one interaction in the window, costliest first: interactions
 *   per referral, `interactions / (referrals + 1)`, then more interactions, then by id.
 *   Letting go means spending less time, not burning bridges.
 *
 * Throws {@link InvalidInput.InvalidInput} naming the field for an invalid `asOf`, range or
 * option.
 *
 * @since 0.1.0
 * @category rules
 */
export const assess = (input: Input): Report => {
  const settings = resolve(input)
  return run(settings, {
    ...input,
    digests: Store.digest(input.partners, input.referrals, input.interactions, settings.query)
  })
}

/**
 * The digest query the portfolio needs (after checking `asOf`, the range, `windowDays`,
 * `thresholds` and the progression options, in the order {@link assess} does). Throws
 * {@link InvalidInput.InvalidInput}.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Agenda.Settings<Options>): Store.DigestQuery => resolve(input).query

/**
 * The portfolio from a store's digests: the same report as {@link assess} over the arrays
 * the digests were computed from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: Agenda.Summary<Options>): Report => run(resolve(input), input)

const run = (settings: ReturnType<typeof resolve>, input: Agenda.Summary<Options>): Report => {
  const { asOfDate, o, min, max, windowDays } = settings
  const digestOf = digestsByPartner(input.digests, 1)
  const placements = Matrix.fromCounts(input.partners, (p) => digestOf(p).windows[0]!, {
    windowDays,
    thresholds: input.thresholds,
    profile: input.profile
  })
  const progressions = Progression.fromSummary({
    partners: input.partners,
    digests: input.digests,
    asOf: asOfDate,
    windowDays,
    ...(input.thresholds === undefined ? {} : { thresholds: input.thresholds }),
    profile: input.profile,
    options: o
  })

  const seen = new Set<string>()
  const activePartners: Array<Member> = []
  const candidates: Array<Investment & { readonly touched: number }> = []
  const costs: Array<Cost> = []
  input.partners.forEach((partner, i) => {
    if (seen.has(partner.id)) return
    seen.add(partner.id)
    const placement = placements[i]!
    const p = progressions[i]!
    const active = p.stage === "active"
    if (active)
      activePartners.push({ partnerId: partner.id, name: partner.name, quadrant: placement.quadrant })
    if (p.stage === "not-a-fit") return
    const n = line(partner.name)
    if (!active && (placement.quadrant === "core" || placement.quadrant === "opportunity")) {
      const alignment = placement.alignment
      const sent =
        placement.received === 0
          ? ""
          : `, already sent you ${placement.received} client${placement.received === 1 ? "" : "s"}`
      candidates.push({
        partnerId: partner.id,
        name: partner.name,
        quadrant: placement.quadrant,
        alignment,
        stage: p.stage,
        next: p.next,
        received: placement.received,
        reason: `${n}: ${placement.quadrant}, alignment ${alignment === null ? "unknown" : alignment.toFixed(2)}${sent}; at ${p.stage}, next: ${p.next ?? "none"}`,
        touched: timeOf(digestOf(partner).lastTouch) ?? partner.createdAt.getTime()
      })
    }
    const spent = digestOf(partner).windows[0]!.interactions
    if (placement.quadrant === "casual" && spent > 0) {
      costs.push({
        partnerId: partner.id,
        name: partner.name,
        interactions: spent,
        referrals: placement.activity,
        active,
        reason: `${n}: casual; ${spent} interaction${spent === 1 ? "" : "s"} for ${placement.activity} referral${placement.activity === 1 ? "" : "s"} in ${windowDays} days`
      })
    }
  })
  const count = activePartners.length
  const status: Status = count < min ? "too-few" : count > max ? "too-many" : "in-range"
  candidates.sort(
    (a, b) =>
      b.received - a.received ||
      (b.alignment ?? 0) - (a.alignment ?? 0) ||
      progress[b.stage] - progress[a.stage] ||
      b.touched - a.touched ||
      byId(a, b)
  )
  costs.sort(
    (a, b) =>
      b.interactions / (b.referrals + 1) - a.interactions / (a.referrals + 1) ||
      b.interactions - a.interactions ||
      byId(a, b)
  )
  const invest = status === "too-few" ? candidates.map(({ touched: _, ...c }) => c) : []
  const letGo = status === "too-many" ? costs : []
  const range = `the healthy ${min} to ${max}`
  const counted = `${count} active partnership${count === 1 ? "" : "s"}`
  const message =
    status === "in-range"
      ? `${counted}: within ${range}.`
      : status === "too-few"
        ? `${counted}, below ${range}: ${invest.length === 0 ? "look for partners who serve your ideal clients (no high-alignment partner to invest in yet)" : `invest in your opportunities, starting with ${names(invest)}`}.`
        : `${counted}, above ${range}: quality beats quantity; ${letGo.length === 0 ? "no casual relationship costs you time, so keep the partnerships with the most overlap" : `spend less time on casual relationships that cost the most for the least, starting with ${names(letGo)}`}.`
  return { status, active: count, range: { min, max }, activePartners, invest, letGo, message }
}
