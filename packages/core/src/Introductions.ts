/**
 * Facilitated networking: plan rounds of one-to-one introductions between the attendees of an
 * event so that the total fit (complementary professions, overlapping ideal clients, the
 * professions people asked to meet) is as high as it can be, with a maximum weight matching
 * on every round.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Name } from "./Book.js"
import * as IdealClientProfile from "./IdealClientProfile.js"
import * as Blossom from "./internal/blossom.js"
import * as InvalidInput from "./InvalidInput.js"
import * as Profession from "./Profession.js"
import { idealClientReason, lowerLabel, plural, withArticle } from "./internal/reasons.js"

// ---------------------------------------------------------------------------------------------
// Attendees and fit
// ---------------------------------------------------------------------------------------------

/**
 * Someone at the event, as the organiser asked them: their profession, their ideal client,
 * the professions they want to meet, and whether they want to meet peers (others of their
 * own profession, for overflow work and clients who are not theirs).
 *
 * @since 0.1.0
 * @category models
 */
export const Attendee = Schema.Struct({
  id: Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(200)),
  name: Name,
  profession: Profession.ProfessionId,
  idealClient: Schema.optional(IdealClientProfile.IdealClientProfile),
  wants: Schema.Array(Profession.ProfessionId).pipe(Schema.maxItems(100)),
  wantsPeers: Schema.Boolean
}).annotations({ identifier: "Attendee" })
/**
 * @since 0.1.0
 * @category models
 */
export interface Attendee extends Schema.Schema.Type<typeof Attendee> {}

/**
 * Points for each kind of fit. All must be non-negative integers, so that fits are integers
 * and the matching is exact.
 *
 * - `pairing`: the two professions pair in the taxonomy (in either direction).
 * - `idealClient`: multiplied by the alignment (0..1) of the two ideal client profiles, rounded.
 * - `wanted`: for each of the two who asked to meet the other's profession.
 * - `peers`: two of the same profession who both asked to meet peers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Weights {
  readonly pairing: number
  readonly idealClient: number
  readonly wanted: number
  readonly peers: number
}

/**
 * The default weights: pairing 30, ideal client up to 40, wanted 20 per side, peers 20.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWeights: Weights = { pairing: 30, idealClient: 40, wanted: 20, peers: 20 }

/**
 * Where a fit's points come from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Breakdown {
  readonly pairing: number
  readonly idealClient: number
  readonly wanted: number
  readonly peers: number
}

/**
 * How well two attendees fit: the total points, the breakdown and the reasons in words
 * ("CPA pairs with attorney", "both serve business owners in South Florida", "Ana wants to
 * meet a CPA").
 *
 * @since 0.1.0
 * @category models
 */
export interface Fit {
  readonly fit: number
  readonly breakdown: Breakdown
  readonly reasons: ReadonlyArray<string>
}

/**
 * Options shared by the fit and the planners.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Professions and pairings (default {@link Profession.defaultTaxonomy}). */
  readonly taxonomy?: Profession.Taxonomy
  /** Points per kind of fit; missing entries take {@link defaultWeights}. */
  readonly weights?: Partial<Weights>
}

/**
 * Whether two professions compete: the same profession, or one is a specialty of the other
 * (an estate planning attorney and an attorney). Two different specialties of one profession
 * (estate planning and family law attorneys) do not compete: they refer across practices.
 *
 * @since 0.1.0
 * @category predicates
 */
export const competitors = (
  a: Profession.ProfessionId,
  b: Profession.ProfessionId,
  taxonomy: Profession.Taxonomy = Profession.defaultTaxonomy
): boolean => Profession.covers(taxonomy, a, b) || Profession.covers(taxonomy, b, a)

const resolveWeights = (weights: Partial<Weights> | undefined): Weights => {
  const out = { ...defaultWeights, ...weights }
  for (const key of ["pairing", "idealClient", "wanted", "peers"] as const) {
    InvalidInput.requireNonNegativeInteger(`weights.${key}`, out[key])
  }
  return out
}

interface Context {
  readonly taxonomy: Profession.Taxonomy
  readonly weights: Weights
  readonly pairs: Map<Profession.ProfessionId, ReadonlyArray<Profession.Match>>
}

const makeContext = (options: Options | undefined): Context => ({
  taxonomy: options?.taxonomy ?? Profession.defaultTaxonomy,
  weights: resolveWeights(options?.weights),
  pairs: new Map()
})

const pairsOf = (ctx: Context, id: Profession.ProfessionId): ReadonlyArray<Profession.Match> => {
  let found = ctx.pairs.get(id)
  if (found === undefined) {
    found = Profession.pairsOf(ctx.taxonomy, id)
    ctx.pairs.set(id, found)
  }
  return found
}

const pairsWith = (ctx: Context, from: Profession.ProfessionId, to: Profession.ProfessionId): boolean =>
  pairsOf(ctx, from).some((m) => Profession.covers(ctx.taxonomy, to, m.profession))

const fitWith = (ctx: Context, a: Attendee, b: Attendee): Fit | undefined => {
  const { taxonomy, weights } = ctx
  const label = (id: Profession.ProfessionId) => Profession.label(taxonomy, id)
  const rivals = competitors(a.profession, b.profession, taxonomy)
  if (rivals && !(a.wantsPeers && b.wantsPeers)) return undefined
  const reasons: Array<string> = []
  let pairing = 0
  let idealClient = 0
  let wanted = 0
  let peers = 0
  if (weights.pairing > 0) {
    if (pairsWith(ctx, a.profession, b.profession)) {
      pairing = weights.pairing
      reasons.push(`${label(a.profession)} pairs with ${lowerLabel(label(b.profession))}`)
    } else if (pairsWith(ctx, b.profession, a.profession)) {
      pairing = weights.pairing
      reasons.push(`${label(b.profession)} pairs with ${lowerLabel(label(a.profession))}`)
    }
  }
  if (weights.idealClient > 0 && a.idealClient !== undefined && b.idealClient !== undefined) {
    const value = IdealClientProfile.alignment(a.idealClient, b.idealClient).value ?? 0
    const points = Math.round(weights.idealClient * value)
    if (points > 0) {
      idealClient = points
      reasons.push(idealClientReason(a.idealClient, b.idealClient))
    }
  }
  if (rivals && weights.peers > 0) {
    peers = weights.peers
    const general = Profession.covers(taxonomy, a.profession, b.profession) ? b.profession : a.profession
    reasons.push(`both asked to meet other ${plural(label(general))}`)
  }
  if (weights.wanted > 0) {
    for (const [x, y] of [
      [a, b],
      [b, a]
    ] as const) {
      const want = x.wants.find((w) => Profession.covers(taxonomy, y.profession, w))
      if (want === undefined) continue
      wanted += weights.wanted
      reasons.push(`${x.name} wants to meet ${withArticle(label(want))}`)
    }
  }
  return {
    fit: pairing + idealClient + wanted + peers,
    breakdown: { pairing, idealClient, wanted, peers },
    reasons
  }
}

/**
 * How well two attendees fit, or `undefined` when they must be kept apart: competitors (see
 * {@link competitors}) unless both asked to meet peers. A fit of 0 means they may meet but
 * have nothing in particular to talk about; the planners never introduce them.
 *
 * @since 0.1.0
 * @category rules
 */
export const fit = (a: Attendee, b: Attendee, options?: Options): Fit | undefined =>
  fitWith(makeContext(options), a, b)

/**
 * Two attendees who may be introduced, with their fit. `a` comes before `b` in the attendee list.
 *
 * @since 0.1.0
 * @category models
 */
export interface Candidate {
  readonly a: string
  readonly b: string
  readonly fit: Fit
}

const checkAttendees = (attendees: ReadonlyArray<Attendee>): void => {
  if (!Array.isArray(attendees)) throw InvalidInput.make("attendees", "expected an array of attendees")
  const ids = new Set<string>()
  attendees.forEach((x, i) => {
    if (typeof x?.id !== "string" || x.id.trim().length === 0) {
      throw InvalidInput.make(`attendees[${i}].id`, "expected a non-empty id")
    }
    if (ids.has(x.id))
      throw InvalidInput.make(`attendees[${i}].id`, `duplicate attendee id ${JSON.stringify(x.id)}`)
    ids.add(x.id)
    if (typeof x.name !== "string") throw InvalidInput.make(`attendees[${i}].name`, "expected a name")
    if (typeof x.profession !== "string")
      throw InvalidInput.make(`attendees[${i}].profession`, "expected a profession id")
    if (!Array.isArray(x.wants))
      throw InvalidInput.make(`attendees[${i}].wants`, "expected an array of profession ids")
  })
}

interface IndexedCandidate {
  readonly i: number
  readonly j: number
  readonly fit: Fit
}

const indexedCandidates = (ctx: Context, attendees: ReadonlyArray<Attendee>): Array<IndexedCandidate> => {
  const out: Array<IndexedCandidate> = []
  for (let i = 0; i < attendees.length; i++) {
    for (let j = i + 1; j < attendees.length; j++) {
      const f = fitWith(ctx, attendees[i]!, attendees[j]!)
      if (f !== undefined && f.fit > 0) out.push({ i, j, fit: f })
    }
  }
  return out
}

/**
 * Every pair of attendees who may be introduced and have a positive fit, in attendee order.
 * This is the graph each round's matching works on (minus the pairs who already met).
 *
 * @since 0.1.0
 * @category rules
 */
export const candidates = (
  attendees: ReadonlyArray<Attendee>,
  options?: Options
): ReadonlyArray<Candidate> => {
  checkAttendees(attendees)
  const ctx = makeContext(options)
  return indexedCandidates(ctx, attendees).map((c) => ({
    a: attendees[c.i]!.id,
    b: attendees[c.j]!.id,
    fit: c.fit
  }))
}

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

/**
 * One introduction: attendee ids (`a` before `b` in the attendee list), their names, the fit
 * and its reasons.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pair {
  readonly a: string
  readonly b: string
  readonly names: readonly [string, string]
  readonly fit: number
  readonly breakdown: Breakdown
  readonly reasons: ReadonlyArray<string>
}

/**
 * Why someone sits out a round:
 *
 * - `no-one-left`: nobody at the event is compatible with them (positive fit, not a competitor
 *   kept apart) and not met already.
 * - `odd-count`: an odd number of attendees still had someone to meet, so one had to sit out.
 * - `partners-taken`: everyone they could still meet is in another introduction this round
 *   (the plan with the highest total fit needed those people elsewhere).
 *
 * @since 0.1.0
 * @category models
 */
export type SitOutReason = "no-one-left" | "odd-count" | "partners-taken"

/**
 * An attendee without an introduction in a round.
 *
 * @since 0.1.0
 * @category models
 */
export interface SitOut {
  readonly attendee: string
  readonly name: string
  readonly reason: SitOutReason
}

/**
 * One round of introductions: pairs by fit (highest first, then attendee order), who sits
 * out (attendee order), and the round's total fit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Round {
  /** 1-based. */
  readonly round: number
  readonly pairs: ReadonlyArray<Pair>
  readonly sittingOut: ReadonlyArray<SitOut>
  readonly totalFit: number
}

/**
 * A plan for the event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Plan {
  readonly rounds: ReadonlyArray<Round>
  /** Sum of every round's total fit. */
  readonly totalFit: number
  /** `matching` for {@link plan}, `greedy` for {@link greedy}. */
  readonly method: "matching" | "greedy"
}

/**
 * The input of {@link plan} and {@link greedy}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input extends Options {
  readonly attendees: ReadonlyArray<Attendee>
  /** How many rounds of introductions (a positive integer, at most 1000). */
  readonly rounds: number
  /** Pairs of attendee ids who met before (say at an earlier event): never introduced again. */
  readonly alreadyMet?: ReadonlyArray<readonly [string, string]>
}

const pairKey = (i: number, j: number): number => (i < j ? i * 1_000_003 + j : j * 1_000_003 + i)

type Matcher = (vertexCount: number, edges: ReadonlyArray<Edge>) => ReadonlyArray<number>

const planWith = (input: Input, method: Plan["method"], matcher: Matcher): Plan => {
  const attendees = input.attendees
  checkAttendees(attendees)
  const rounds = InvalidInput.requireNonNegativeInteger("rounds", input.rounds)
  if (rounds < 1 || rounds > 1000)
    throw InvalidInput.make("rounds", `expected a whole number of rounds in 1..1000, got ${rounds}`)
  const ctx = makeContext(input)
  const n = attendees.length
  const index = new Map(attendees.map((x, i) => [x.id, i] as const))
  const met = new Set<number>()
  for (const [x, y] of input.alreadyMet ?? []) {
    const i = index.get(x)
    const j = index.get(y)
    if (i !== undefined && j !== undefined && i !== j) met.add(pairKey(i, j))
  }
  const all = indexedCandidates(ctx, attendees)
  const out: Array<Round> = []
  let total = 0
  for (let r = 1; r <= rounds; r++) {
    const open = all.filter((c) => !met.has(pairKey(c.i, c.j)))
    const mate = matcher(
      n,
      open.map((c) => ({ u: c.i, v: c.j, weight: c.fit.fit }))
    )
    const pairs: Array<Pair & { readonly i: number }> = []
    for (const c of open) {
      if (mate[c.i] !== c.j) continue
      met.add(pairKey(c.i, c.j))
      const a = attendees[c.i]!
      const b = attendees[c.j]!
      pairs.push({
        i: c.i,
        a: a.id,
        b: b.id,
        names: [a.name, b.name],
        fit: c.fit.fit,
        breakdown: c.fit.breakdown,
        reasons: c.fit.reasons
      })
    }
    pairs.sort((x, y) => y.fit - x.fit || x.i - y.i)
    const hasOpen = new Uint8Array(n)
    for (const c of open) hasOpen[c.i] = hasOpen[c.j] = 1
    let withSomeone = 0
    let idleWithSomeone = 0
    for (let i = 0; i < n; i++) {
      if (hasOpen[i] === 1) withSomeone++
      if (hasOpen[i] === 1 && mate[i] === -1) idleWithSomeone++
    }
    const sittingOut: Array<SitOut> = []
    for (let i = 0; i < n; i++) {
      if (mate[i] !== -1) continue
      const reason: SitOutReason =
        hasOpen[i] === 0
          ? "no-one-left"
          : withSomeone % 2 === 1 && idleWithSomeone === 1
            ? "odd-count"
            : "partners-taken"
      sittingOut.push({ attendee: attendees[i]!.id, name: attendees[i]!.name, reason })
    }
    const totalFit = pairs.reduce((s, p) => s + p.fit, 0)
    total += totalFit
    out.push({ round: r, pairs: pairs.map(({ i: _, ...p }) => p), sittingOut, totalFit })
  }
  return { rounds: out, totalFit: total, method }
}

/**
 * Plans `rounds` rounds of one-to-one introductions. Each round is a maximum weight matching
 * ({@link maxWeightMatching}, Edmonds' blossom algorithm) on the attendees, where an edge is
 * a pair with a positive {@link fit} that has not met yet (in an earlier round or in
 * `alreadyMet`): no round has a higher total fit, given the rounds before it. Among plans of
 * equal total fit it prefers the one with more introductions. Competitors are kept apart
 * unless both asked to meet peers; pairs with zero fit are never introduced (they sit out).
 * Rounds are planned one after the other (a round never gives up fit for a later one).
 * Deterministic: the same input gives the same plan.
 *
 * Throws {@link InvalidInput.InvalidInput} for duplicate attendee ids, a bad number of rounds
 * or bad weights.
 *
 * @since 0.1.0
 * @category rules
 */
export const plan = (input: Input): Plan =>
  planWith(input, "matching", (n, edges) => {
    // Scale so that more introductions only break ties of total fit, never beat a higher fit.
    const scale = Math.floor(n / 2) + 1
    return maxWeightMatching(
      n,
      edges.map((e) => ({ u: e.u, v: e.v, weight: e.weight * scale + 1 }))
    )
  })

/**
 * The same plan made greedily: each round takes the best-fitting open pair, then the best of
 * what is left, and so on. Fast and often good, never better than {@link plan} on a round's
 * graph and sometimes worse (an introduction of fit 40 can block two of fit 30). For comparison.
 *
 * @since 0.1.0
 * @category rules
 */
export const greedy = (input: Input): Plan => planWith(input, "greedy", greedyMatching)

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * An edge between two vertices (0-based) with a weight.
 *
 * @since 0.1.0
 * @category matching
 */
export interface Edge extends Blossom.Edge {}

/**
 * The weight of a matching given as a mate array (`mate[v]` is v's partner or -1): the sum of
 * the heaviest edge between each matched pair. Throws when a matched pair has no edge.
 *
 * @since 0.1.0
 * @category matching
 */
export const matchingWeight: (mate: ReadonlyArray<number>, edges: ReadonlyArray<Edge>) => number =
  Blossom.matchingWeight

/**
 * A greedy matching: edges by weight (heaviest first, ties by the smaller then the larger
 * vertex), each taken when both ends are still free. Returns the mate array.
 *
 * @since 0.1.0
 * @category matching
 */
export const greedyMatching: (vertexCount: number, edges: ReadonlyArray<Edge>) => ReadonlyArray<number> =
  Blossom.greedyMatching

/**
 * A maximum weight matching of a general graph (not necessarily of maximum cardinality):
 * Edmonds' blossom algorithm in its primal-dual form. Returns the mate array: `mate[v]` is
 * the vertex matched to `v`, or -1. Edges of weight <= 0 and loops are ignored; of parallel
 * edges the heaviest counts. Exact for integer weights (the duals stay half-integers);
 * O(n² · m) time in the worst case, which is instant for events of a few hundred people.
 *
 * @since 0.1.0
 * @category matching
 */
export const maxWeightMatching: (vertexCount: number, edges: ReadonlyArray<Edge>) => ReadonlyArray<number> =
  Blossom.maxWeightMatching
