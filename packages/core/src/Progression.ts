/**
 * Where each relationship stands in the seed's four-step approach (give first; a one-on-one
 * after one or two positive interactions; share ideal client descriptions; follow up
 * consistently), inferred from history, with the next step and the know/like/trust
 * assessment beside it.
 *
 * @since 0.1.0
 */
import * as Agenda from "./Agenda.js"
import * as InvalidInput from "./InvalidInput.js"
import { digestsByPartner, timeOf } from "./internal/history.js"
import { resolveOptions } from "./internal/options.js"
import { DAY_MS, daysBetween, isoDay } from "./internal/time.js"
import * as Matrix from "./Matrix.js"
import type { Partner, PartnerId, Stage } from "./Partner.js"
import type { Profile } from "./Profile.js"
import * as Store from "./Store.js"

/**
 * The seed's four steps, in order.
 *
 * @since 0.1.0
 * @category models
 */
export type Step = "give-first" | "one-on-one" | "share-ideal-client" | "follow-up"

/**
 * Every step, in the seed's order.
 *
 * @since 0.1.0
 * @category constants
 */
export const steps: ReadonlyArray<Step> = ["give-first", "one-on-one", "share-ideal-client", "follow-up"]

/**
 * What to do next: one of the four steps, or `reconnect` for a dormant partner.
 *
 * @since 0.1.0
 * @category models
 */
export type NextStep = Step | "reconnect"

/**
 * Whether a step was done, and when it was first done.
 *
 * @since 0.1.0
 * @category models
 */
export interface StepStatus {
  readonly step: Step
  readonly done: boolean
  /** When it was first done (for `follow-up`: the latest touch of the consistent run); `null` if not done. */
  readonly at: Date | null
}

/**
 * The partner's know/like/trust assessment, 1..5 each, as recorded.
 *
 * @since 0.1.0
 * @category models
 */
export interface KnowLikeTrust {
  readonly know: number
  readonly like: number
  readonly trust: number
}

/**
 * One partner's progression.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly partnerId: PartnerId
  readonly name: string
  /** The stage inferred from history (`not-a-fit` is kept as set by the user). */
  readonly stage: Stage
  /** The stage recorded on the partner. */
  readonly recordedStage: Stage
  /** Why the partner is at `stage`. */
  readonly reasons: ReadonlyArray<string>
  readonly steps: ReadonlyArray<StepStatus>
  /** `null` for `not-a-fit`: no reminders. */
  readonly next: NextStep | null
  /** Whether the next step can be taken now (a one-on-one waits for positive interactions). */
  readonly ready: boolean
  /** One line for people: what to do next, in the seed's words. */
  readonly advice: string
  readonly knowLikeTrust: KnowLikeTrust | null
  /** Advice for each of know, like and trust that is low (at most 2 of 5), or to assess them. */
  readonly knowLikeTrustAdvice: ReadonlyArray<string>
}

/**
 * How stages are inferred, each with a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Check-in cadence by quadrant (default {@link Agenda.defaultCadenceDays}); `partner.cadenceDays` wins. */
  readonly cadenceDays?: Partial<Record<Matrix.Quadrant, number>>
  /** Cadences without a touch after which a partner is dormant (default 2). */
  readonly dormantFactor?: number
  /** Positive interactions after which a one-on-one is due (default 2). */
  readonly positiveInteractions?: number
  /** Touches after sharing ideal clients that make consistent follow-up (default 2). */
  readonly followUps?: number
  /** Scores of know, like or trust at or below this are low (default 2). */
  readonly lowScore?: number
}

/**
 * The defaults of {@link Options} beyond the agenda's.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = { followUps: 2, lowScore: 2 } as const

/**
 * The input of {@link infer}. `referrals` and `interactions` may hold the whole book: those
 * dated after `asOf`, or of partners not in `partners`, are ignored. `windowDays` (default
 * 365) is how recent "referrals flowing both ways" must be; it and `thresholds` and
 * `profile` also go to {@link Matrix.build}, whose quadrant gives the default cadence.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input extends Agenda.HistoryInput<Options> {}

const line = (name: string): string => name.replace(/\s+/g, " ")

const kltAdvice = (n: string, klt: KnowLikeTrust | undefined, low: number): ReadonlyArray<string> => {
  if (klt === undefined) {
    return [`Rate how well you know, like and trust ${n} (1 to 5 each) to see what the relationship needs.`]
  }
  const out: Array<string> = []
  if (klt.know <= low) {
    out.push(`Know (${klt.know}/5): you do not know ${n} well yet; meet for coffee and learn who they serve.`)
  }
  if (klt.like <= low) {
    out.push(
      `Like (${klt.like}/5): sometimes it does not click, and that is fine; listen to your gut, keep the contact, burn no bridges, and consider not-a-fit.`
    )
  }
  if (klt.trust <= low) {
    out.push(
      `Trust (${klt.trust}/5): trust takes time; send a first referral or two, see how they are handled, and knock theirs out of the park.`
    )
  }
  return out
}

const resolve = (input: Agenda.Settings<Options>) => {
  const asOfDate = InvalidInput.requireDate("asOf", input.asOf)
  const asOf = asOfDate.getTime()
  const o = input.options ?? {}
  const agenda = resolveOptions({
    ...(o.cadenceDays === undefined ? {} : { cadenceDays: o.cadenceDays }),
    ...(o.dormantFactor === undefined ? {} : { dormantFactor: o.dormantFactor }),
    ...(o.positiveInteractions === undefined ? {} : { positiveInteractions: o.positiveInteractions })
  })
  const followUps = InvalidInput.requireNonNegativeInteger(
    "options.followUps",
    o.followUps ?? defaults.followUps
  )
  const lowScore = InvalidInput.requireFiniteNumber("options.lowScore", o.lowScore ?? defaults.lowScore)
  const { windowDays } = Matrix.checkSettings(input)
  const query: Store.DigestQuery = {
    asOf: asOfDate,
    windows: [{ after: new Date(asOf - windowDays * DAY_MS), until: asOfDate }],
    positiveRank: agenda.positiveInteractions,
    kinds: ["one-on-one"],
    // Consistency is judged over the trailing window only: one long gap years ago must not
    // mark a partner who has been followed up steadily ever since as inconsistent.
    followUpFrom: new Date(asOf - windowDays * DAY_MS)
  }
  return { asOfDate, asOf, agenda, followUps, lowScore, windowDays, query }
}

type Resolved = ReturnType<typeof resolve>

/**
 * Every partner's stage as of `asOf`, in the order of `partners`, inferred from history:
 *
 * - `not-a-fit`: set by the user and kept as-is (no next step: reminders stop).
 * - `dormant`: no touch (ANY referral or interaction; `createdAt` when none) for
 *   `dormantFactor` (2) times the cadence.
 * - `active`: referrals flowed both ways within `windowDays` (at least one given and one
 *   received), or ideal clients were shared and followed up consistently since: at least
 *   `followUps` (2) touches after the sharing and, within the trailing `windowDays` since the
 *   sharing, no gap between touches (nor since the last one) longer than the cadence.
 * - `ideal-clients-shared`: an `ideal-client-shared` interaction was logged.
 * - `met-one-on-one`: a `one-on-one` interaction was logged.
 * - `gave-first`: you gave the partner a referral.
 * - `identified`: none of the above.
 *
 * The next step is the first of the four steps not done yet (`follow-up` once all are done),
 * or `reconnect` for a dormant partner. A one-on-one is `ready` after `positiveInteractions`
 * (2) positive interactions. Know/like/trust advice is given for every score of at most 2.
 *
 * @since 0.1.0
 * @category rules
 */
export const infer = (input: Input): ReadonlyArray<Report> => {
  const settings = resolve(input)
  return run(
    settings,
    input.partners,
    Store.digest(input.partners, input.referrals, input.interactions, settings.query),
    input.thresholds,
    input.profile
  )
}

/**
 * The digest query progression needs (after checking `asOf`, the options, `windowDays` and
 * `thresholds`, in the order {@link infer} does). Throws {@link InvalidInput.InvalidInput}.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Agenda.Settings<Options>): Store.DigestQuery => resolve(input).query

/**
 * Progression from a store's digests: the same reports as {@link infer} over the arrays the
 * digests were computed from.
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: Agenda.Summary<Options>): ReadonlyArray<Report> =>
  run(resolve(input), input.partners, input.digests, input.thresholds, input.profile)

const run = (
  settings: Resolved,
  partners: ReadonlyArray<Partner>,
  digests: ReadonlyArray<Store.Digest>,
  thresholds: Matrix.Thresholds | undefined,
  profile: Profile | undefined
): ReadonlyArray<Report> => {
  const { asOfDate, asOf, agenda, followUps, lowScore, windowDays } = settings
  const digestOf = digestsByPartner(digests, 1)
  const placements = Matrix.fromCounts(partners, (p) => digestOf(p).windows[0]!, {
    windowDays,
    thresholds,
    profile
  })
  return partners.map((partner, i): Report => {
    const n = line(partner.name)
    const placement = placements[i]!
    const digest = digestOf(partner)
    const cadence = Agenda.cadenceOf(partner, placement.quadrant, agenda.cadenceDays)

    const gaveFirst = timeOf(digest.firstGiven)
    const oneOnOne = timeOf(digest.first["one-on-one"])
    const shared = timeOf(digest.shared)
    const positives = digest.positives
    // Consistent follow-up since the ideal clients were shared: enough touches since, and no
    // gap longer than the cadence over the trailing window (see `Store.Digest.longestGap`).
    let followedUp: number | undefined
    const followUpCount = digest.touchesSinceShared
    if (shared !== undefined) {
      const consistent = (digest.longestGap ?? 0) <= cadence * DAY_MS
      if (consistent && followUpCount >= followUps) {
        followedUp = followUpCount > 0 ? (timeOf(digest.lastTouch) ?? shared) : shared
      }
    }

    const stepAt: Record<Step, number | undefined> = {
      "give-first": gaveFirst,
      "one-on-one": oneOnOne,
      "share-ideal-client": shared,
      "follow-up": followedUp
    }
    const statuses = steps.map(
      (step): StepStatus => ({
        step,
        done: stepAt[step] !== undefined,
        at: stepAt[step] === undefined ? null : new Date(stepAt[step]!)
      })
    )

    const touched = timeOf(digest.lastTouch)
    const last = touched ?? partner.createdAt.getTime()
    const idle = daysBetween(new Date(last), asOfDate)
    const dormant = asOf >= last + agenda.dormantFactor * cadence * DAY_MS
    const flowing = placement.given > 0 && placement.received > 0

    const reasons: Array<string> = []
    let stage: Stage
    if (partner.stage === "not-a-fit") {
      stage = "not-a-fit"
      reasons.push("marked not-a-fit by you: the contact is kept, the reminders stop")
    } else if (dormant) {
      stage = "dormant"
      reasons.push(
        `${touched === undefined ? "never touched since added" : "no touch"} for ${idle} days, at least ${agenda.dormantFactor}x the ${cadence}-day cadence`
      )
    } else if (flowing || followedUp !== undefined) {
      stage = "active"
      if (flowing) {
        reasons.push(
          `referrals flowing both ways: ${placement.given} given, ${placement.received} received in ${windowDays} days`
        )
      }
      if (followedUp !== undefined) {
        reasons.push(
          `followed up ${followUpCount} times since sharing ideal clients, never more than ${cadence} days apart`
        )
      }
    } else if (shared !== undefined) {
      stage = "ideal-clients-shared"
      reasons.push(`ideal clients shared on ${isoDay(new Date(shared))}`)
    } else if (oneOnOne !== undefined) {
      stage = "met-one-on-one"
      reasons.push(`met one-on-one on ${isoDay(new Date(oneOnOne))}`)
    } else if (gaveFirst !== undefined) {
      stage = "gave-first"
      reasons.push(`gave a first referral on ${isoDay(new Date(gaveFirst))}`)
    } else {
      stage = "identified"
      reasons.push("no referral given, no one-on-one and no ideal clients shared yet")
    }

    let next: NextStep | null
    let ready = true
    let advice: string
    if (stage === "not-a-fit") {
      next = null
      advice = `No reminders for ${n}: marked not-a-fit. The contact stays in your book; no bridges burned.`
    } else if (stage === "dormant") {
      next = "reconnect"
      advice = `Reconnect with ${n}: no touch for ${idle} days. Check in, or mark them not-a-fit if the partnership is over.`
    } else {
      next = steps.find((s) => stepAt[s] === undefined) ?? "follow-up"
      switch (next) {
        case "give-first":
          advice = `Give first: introduce a client who could use ${n}'s services before asking for anything.`
          break
        case "one-on-one":
          ready = positives >= agenda.positiveInteractions
          advice = ready
            ? `Invite ${n} for coffee or lunch: learn who they serve, what problems they solve and which clients are ideal for them.`
            : `Build rapport with ${n} first (${positives} of ${agenda.positiveInteractions} positive interactions: an event, a shared client, a mutual connection), then invite them to a one-on-one.`
          break
        case "share-ideal-client":
          advice = `Share your ideal client description with ${n}, specifically (not "anyone with investments"), and ask for theirs.`
          break
        default:
          advice =
            followedUp === undefined
              ? `Follow up with ${n} consistently: at least every ${cadence} days, even with nothing specific to discuss; share articles, make introductions.`
              : `Keep following up with ${n} every ${cadence} days: send referrals proactively, close the loop on theirs, thank every one.`
      }
    }

    const klt = partner.knowLikeTrust
    return {
      partnerId: partner.id,
      name: partner.name,
      stage,
      recordedStage: partner.stage,
      reasons,
      steps: statuses,
      next,
      ready,
      advice,
      knowLikeTrust: klt === undefined ? null : { know: klt.know, like: klt.like, trust: klt.trust },
      knowLikeTrustAdvice: stage === "not-a-fit" ? [] : kltAdvice(n, klt, lowScore)
    }
  })
}
