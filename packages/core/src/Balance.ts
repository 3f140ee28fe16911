/**
 * Given versus received: whether a relationship is one-sided, whether that persists, and
 * what to do about it.
 *
 * @since 0.1.0
 */
import type { Interaction } from "./Interaction.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, timeOf } from "./internal/history.js"
import { DAY_MS, isoDay } from "./internal/time.js"
import type { Partner, PartnerId } from "./Partner.js"
import type { Referral } from "./Referral.js"
import * as Store from "./Store.js"

/**
 * `balanced` (including "too little to judge"), `giving-more` (you send far more than you
 * get) or `receiving-more` (they send far more than you do).
 *
 * @since 0.1.0
 * @category models
 */
export type State = "balanced" | "giving-more" | "receiving-more"

/**
 * @since 0.1.0
 * @category models
 */
export interface Counts {
  readonly given: number
  readonly received: number
}

/**
 * When an imbalance is significant: only once `given + received >= minTotal` (default 4),
 * and only when one side is more than `maxRatio` (default 2) times the other.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rules {
  readonly minTotal?: number
  readonly maxRatio?: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Assessment {
  readonly state: State
  readonly given: number
  readonly received: number
  /** `given - received`. */
  readonly net: number
}

/**
 * The default rules: judge from 4 referrals on, flag more than twice as many one way.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRules = { minTotal: 4, maxRatio: 2 } as const

const resolveRules = (rules: Rules | undefined): { minTotal: number; maxRatio: number } => {
  const minTotal = rules?.minTotal ?? defaultRules.minTotal
  const maxRatio = rules?.maxRatio ?? defaultRules.maxRatio
  InvalidInput.requireFiniteNumber("rules.minTotal", minTotal)
  if (minTotal < 0)
    throw InvalidInput.make("rules.minTotal", `expected a non-negative number, got ${minTotal}`)
  InvalidInput.requireFiniteNumber("rules.maxRatio", maxRatio)
  if (maxRatio < 1) throw InvalidInput.make("rules.maxRatio", `expected a number >= 1, got ${maxRatio}`)
  return { minTotal, maxRatio }
}

const stateOf = (given: number, received: number, r: { minTotal: number; maxRatio: number }): State =>
  given + received < r.minTotal
    ? "balanced"
    : given > r.maxRatio * received
      ? "giving-more"
      : received > r.maxRatio * given
        ? "receiving-more"
        : "balanced"

/**
 * The balance verdict for one pair of counts. Fewer than `minTotal` referrals in all is
 * `balanced` (some imbalance is normal); exactly `maxRatio` times is still balanced.
 * Throws {@link InvalidInput.InvalidInput} naming the field when a count is not a
 * non-negative integer.
 *
 * @example
 * import { Balance } from "@partnerbook/core"
 * Balance.assess({ given: 5, received: 2 }).state // "giving-more"
 *
 * @since 0.1.0
 * @category rules
 */
export const assess = (counts: Counts, rules?: Rules): Assessment => {
  const given = InvalidInput.requireNonNegativeInteger("given", counts?.given)
  const received = InvalidInput.requireNonNegativeInteger("received", counts.received)
  return { state: stateOf(given, received, resolveRules(rules)), given, received, net: given - received }
}

/**
 * The escalating advice for an imbalance, from the seed: share your ideal client description
 * (they may not know what to send you), then have an honest conversation, then invest your
 * energy elsewhere. When they send more than you do: reciprocate.
 *
 * @since 0.1.0
 * @category models
 */
export type Advice =
  | "none"
  | "reciprocate"
  | "share-ideal-client"
  | "honest-conversation"
  | "invest-elsewhere"

/**
 * One partner's balance over the window, and over the earlier checkpoints.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report extends Assessment {
  readonly partnerId: PartnerId
  readonly name: string
  /** The same non-balanced state held at `asOf` and at every earlier checkpoint. */
  readonly persistent: boolean
  /** The verdict at each checkpoint, `asOf` first. */
  readonly history: ReadonlyArray<{ readonly asOf: Date; readonly state: State }>
  readonly advice: Advice
  /** One sentence for people. */
  readonly message: string
}

/**
 * The input of {@link report}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  /** Used to see whether ideal clients were already shared, which moves the advice on. */
  readonly interactions?: ReadonlyArray<Interaction>
  readonly asOf: Date
  readonly rules?: Rules
  /** Each checkpoint's trailing window in days (default 365). */
  readonly windowDays?: number
  /** Days before `asOf` of the earlier checkpoints (default `[91, 182]`). */
  readonly checkpoints?: ReadonlyArray<number>
}

/**
 * Earlier checkpoints, in days before `asOf`, at which an imbalance must also hold to be persistent.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCheckpoints: ReadonlyArray<number> = [91, 182]

/** What a message may say: only what the book records. */
interface Said {
  readonly name: string
  readonly persistent: boolean
  /** The first and the latest honest conversations logged at or before `asOf`. */
  readonly talked: { readonly first: number; readonly last: number } | undefined
}

const messages: Record<Advice, (said: Said) => string> = {
  none: () => "Balanced, or too little to judge: some imbalance is normal.",
  reciprocate: ({ name, persistent }) =>
    `${name} sends you far more than you send back${persistent ? ", and has for a while" : ""}: thank them and look for clients to send their way.`,
  "share-ideal-client": ({ name, persistent }) =>
    `You send ${name} far more than you get${persistent ? ", and have for a while" : ""}: share a specific ideal client description so they know whom to send.`,
  "honest-conversation": ({ name, talked }) =>
    talked === undefined
      ? `You have sent ${name} far more than you got for a while, even after sharing your ideal client: have an honest conversation about it (and log it).`
      : `You have sent ${name} far more than you got for a while; you talked about it on ${isoDay(new Date(talked.last))}: give it until the next checkpoint before deciding to invest elsewhere.`,
  "invest-elsewhere": ({ name, talked }) =>
    `The relationship with ${name} stayed one-sided after your honest conversation on ${isoDay(new Date(talked?.first ?? 0))}: invest your energy in other partnerships.`
}

const resolve = (input: Settings) => {
  const asOf = InvalidInput.requireDate("asOf", input.asOf)
  const rules = resolveRules(input.rules)
  const windowDays = input.windowDays ?? 365
  InvalidInput.requireFiniteNumber("windowDays", windowDays)
  if (windowDays <= 0)
    throw InvalidInput.make("windowDays", `expected a positive number of days, got ${windowDays}`)
  const checkpoints = [0, ...(input.checkpoints ?? defaultCheckpoints)]
  checkpoints.forEach((d, i) => {
    InvalidInput.requireFiniteNumber(`checkpoints[${i - 1}]`, d)
    if (d < 0) throw InvalidInput.make(`checkpoints[${i - 1}]`, `expected days before asOf, got ${d}`)
  })
  const ends = checkpoints.map((d) => asOf.getTime() - d * DAY_MS)
  const query: Store.DigestQuery = {
    asOf,
    windows: ends.map((end) => ({ after: new Date(end - windowDays * DAY_MS), until: new Date(end) })),
    positiveRank: 1,
    // The first and latest honest conversations: the advice and its message follow them.
    kinds: ["honest-conversation"]
  }
  return { rules, ends, query }
}

/**
 * Given versus received per partner over the trailing window, as of `asOf`. An imbalance is
 * `persistent` when the same non-balanced state also holds at each earlier checkpoint
 * (91 and 182 days before, each with its own 365-day window). Advice escalates: a new
 * imbalance where you give more calls for sharing your ideal client description; a persistent
 * one, once an `ideal-client-shared` interaction is logged at least one checkpoint back, for
 * an honest conversation; and only once an `honest-conversation` interaction is logged and
 * the imbalance still held at a checkpoint at least one checkpoint after it, for investing
 * elsewhere. Messages never mention a conversation that was not logged.
 *
 * @since 0.1.0
 * @category rules
 */
export const report = (input: Input): ReadonlyArray<Report> => {
  const settings = resolve(input)
  return run(
    settings,
    input.partners,
    Store.digest(input.partners, input.referrals, input.interactions ?? [], settings.query)
  )
}

/**
 * The settings of a balance report: what {@link query} takes.
 *
 * @since 0.2.0
 * @category models
 */
export interface Settings {
  readonly asOf: Date
  readonly rules?: Rules
  readonly windowDays?: number
  readonly checkpoints?: ReadonlyArray<number>
}

/**
 * The input of {@link fromSummary}: the digests of {@link query}, whose windows are the
 * checkpoints' windows (`asOf` first).
 *
 * @since 0.2.0
 * @category models
 */
export interface SummaryInput extends Settings {
  readonly partners: ReadonlyArray<Partner>
  readonly digests: ReadonlyArray<Store.Digest>
}

/**
 * The digest query of a balance report: one window per checkpoint, so a store counts all of
 * them in one pass (after checking `asOf`, the rules, `windowDays` and the checkpoints).
 * Throws {@link InvalidInput.InvalidInput} naming the field.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Settings): Store.DigestQuery => resolve(input).query

/**
 * The balance from a store's digests: the same reports as {@link report} over the arrays the
 * digests were computed from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: SummaryInput): ReadonlyArray<Report> =>
  run(resolve(input), input.partners, input.digests)

const run = (
  settings: ReturnType<typeof resolve>,
  partners: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>
): ReadonlyArray<Report> => {
  const { rules, ends } = settings
  const digestOf = digestsByPartner(digests, ends.length)
  return partners.map((partner) => {
    const digest = digestOf(partner)
    const given = digest.windows.map((w) => w.given)
    const received = digest.windows.map((w) => w.received)
    const shared = timeOf(digest.shared)
    const first = timeOf(digest.first["honest-conversation"])
    const last = timeOf(digest.last["honest-conversation"])
    const talked = first === undefined || last === undefined ? undefined : { first, last }
    // How many checkpoints at or after a moment saw the (persistent) imbalance.
    const since = (t: number): number => ends.filter((end) => end >= t).length
    const history = ends.map((end, c) => ({
      asOf: new Date(end),
      state: stateOf(given[c]!, received[c]!, rules)
    }))
    const state = history[0]!.state
    const persistent = state !== "balanced" && history.every((h) => h.state === state)
    let advice: Advice = "none"
    if (state === "receiving-more") advice = "reciprocate"
    else if (state === "giving-more") {
      advice = "share-ideal-client"
      if (persistent && talked !== undefined && since(talked.first) >= 2) advice = "invest-elsewhere"
      else if (persistent && ((shared !== undefined && since(shared) >= 2) || talked !== undefined)) {
        advice = "honest-conversation"
      }
    }
    const g = given[0]!
    const rcv = received[0]!
    return {
      partnerId: partner.id,
      name: partner.name,
      state,
      given: g,
      received: rcv,
      net: g - rcv,
      persistent,
      history,
      advice,
      message: messages[advice]({ name: partner.name, persistent, talked })
    }
  })
}
