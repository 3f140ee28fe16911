/**
 * An open taxonomy of professions and the referral pairings between them, seeded from the
 * articles Partnerbook comes from. Users extend it with their own professions and pairings.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const arbitraryIds = [
  "attorney",
  "cpa",
  "real-estate-agent",
  "mortgage-lender",
  "financial-advisor",
  "event-planner",
  "therapist",
  "architect",
  "dog-groomer"
]

/**
 * A profession id: lower-case words joined by dashes (`estate-planning-attorney`, `cpa`).
 * The taxonomy is open: any such id is valid, whether or not it is in a {@link Taxonomy}.
 *
 * @since 0.1.0
 * @category models
 */
export const ProfessionId = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: () =>
      "Expected a profession id: lower-case letters and digits joined by dashes, e.g. estate-planning-attorney"
  }),
  Schema.maxLength(100),
  Schema.annotations({ arbitrary: () => (fc) => fc.constantFrom(...arbitraryIds) }),
  Schema.brand("ProfessionId"),
  Schema.annotations({ identifier: "ProfessionId" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type ProfessionId = typeof ProfessionId.Type

/**
 * A profession of the taxonomy. `parent` makes a specialty inherit the pairings of its
 * general profession (an estate planning attorney pairs with CPAs because attorneys do).
 *
 * @since 0.1.0
 * @category models
 */
export class Profession extends Schema.Class<Profession>("Profession")({
  id: ProfessionId,
  label: Schema.NonEmptyTrimmedString,
  parent: Schema.optional(ProfessionId),
  /**
   * Set when referral fees paid to or by this profession are regulated: one line saying by
   * what. Specialties inherit it from their parent profession (see {@link feeRegulation}).
   *
   * @since 0.2.0
   */
  feeRegulation: Schema.optional(Schema.NonEmptyTrimmedString)
}) {}

/**
 * A referral pairing: professionals of `from` serve the same clients as professionals of
 * `to` without competing. `mutual` pairings hold in both directions; a one-way pairing
 * (a family law attorney's clients need therapists) holds only from `from`.
 *
 * @since 0.1.0
 * @category models
 */
export class Pairing extends Schema.Class<Pairing>("Pairing")({
  from: ProfessionId,
  to: ProfessionId,
  mutual: Schema.Boolean,
  reason: Schema.NonEmptyTrimmedString
}) {}

/**
 * A set of professions and pairings.
 *
 * @since 0.1.0
 * @category models
 */
export class Taxonomy extends Schema.Class<Taxonomy>("Taxonomy")({
  professions: Schema.Array(Profession),
  pairings: Schema.Array(Pairing)
}) {}

const p = (id: string, label: string, parent?: string, feeRegulation?: string): Profession =>
  Profession.make({
    id: ProfessionId.make(id),
    label,
    ...(parent === undefined ? {} : { parent: ProfessionId.make(parent) }),
    ...(feeRegulation === undefined ? {} : { feeRegulation })
  })

const RESPA =
  "RESPA Section 8 prohibits fees and kickbacks for referring settlement business on residential mortgage loans"

const pair = (from: string, to: string, mutual: boolean, reason: string): Pairing =>
  Pairing.make({ from: ProfessionId.make(from), to: ProfessionId.make(to), mutual, reason })

const seedProfessions: ReadonlyArray<Profession> = [
  p(
    "attorney",
    "Attorney",
    undefined,
    "lawyers' conduct rules (ABA Model Rule 7.2(b) and its state versions) forbid giving anything of value for a recommendation, with narrow exceptions"
  ),
  p("estate-planning-attorney", "Estate planning attorney", "attorney"),
  p("family-law-attorney", "Family law attorney", "attorney"),
  p("business-attorney", "Business attorney", "attorney"),
  p("cpa", "CPA"),
  p(
    "real-estate-agent",
    "Real estate agent",
    undefined,
    `${RESPA}, and state license law limits fees to licensees`
  ),
  p("mortgage-lender", "Mortgage lender", undefined, RESPA),
  p(
    "financial-advisor",
    "Financial advisor",
    undefined,
    "paid referrals for investment advisers fall under the SEC Marketing Rule (206(4)-1) and its disclosure requirements, and FINRA rules for brokers"
  ),
  p("financial-planner", "Financial planner", "financial-advisor"),
  p("insurance-agent", "Insurance agent"),
  p("business-consultant", "Business consultant"),
  p("hr-consultant", "HR consultant"),
  p("it-consultant", "IT consultant"),
  p("therapist", "Therapist"),
  p("commercial-real-estate-broker", "Commercial real estate broker"),
  p("commercial-lender", "Commercial lender"),
  p("architect", "Architect"),
  p("event-planner", "Event planner")
]

const seedPairings: ReadonlyArray<Pairing> = [
  pair(
    "attorney",
    "cpa",
    true,
    "A CPA sees the client's whole financial picture every year and spots legal needs; attorneys meet clients who need tax advice."
  ),
  pair("real-estate-agent", "mortgage-lender", true, "Buyers need financing and borrowers need homes."),
  pair(
    "financial-advisor",
    "estate-planning-attorney",
    true,
    "Portfolio clients ask about trusts, wills and asset protection; estate clients need investment and retirement planning."
  ),
  pair(
    "insurance-agent",
    "business-consultant",
    true,
    "Both serve business owners who need coverage and strategic guidance."
  ),
  pair(
    "insurance-agent",
    "hr-consultant",
    true,
    "Business owners who buy benefits coverage need HR help, and the reverse."
  ),
  pair(
    "insurance-agent",
    "it-consultant",
    true,
    "Business-owner clients need IT support as well as coverage."
  ),
  pair(
    "insurance-agent",
    "business-attorney",
    true,
    "Business-owner clients need legal counsel as well as coverage."
  ),
  pair("family-law-attorney", "financial-planner", false, "Divorcing clients need their finances replanned."),
  pair(
    "family-law-attorney",
    "therapist",
    false,
    "Family law clients often need support through the process."
  ),
  pair("family-law-attorney", "real-estate-agent", false, "A divorce often means selling or buying a home."),
  pair("family-law-attorney", "cpa", false, "Dividing assets raises tax questions."),
  pair(
    "commercial-real-estate-broker",
    "business-attorney",
    false,
    "Commercial leases and purchases need a business attorney."
  ),
  pair("commercial-real-estate-broker", "commercial-lender", false, "Commercial buyers need financing."),
  pair("commercial-real-estate-broker", "architect", false, "New premises often need design work."),
  pair(
    "event-planner",
    "event-planner",
    true,
    "Peers take overflow work when you are booked, and clients who are not yours."
  )
]

/**
 * The professions and pairings from the seed articles.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTaxonomy: Taxonomy = Taxonomy.make({
  professions: seedProfessions,
  pairings: seedPairings
})

/**
 * Adds professions and pairings to a taxonomy. A profession with an id already present
 * replaces the old entry; a pairing between the same two professions replaces the old one.
 *
 * @since 0.1.0
 * @category combinators
 */
export const extend = (
  taxonomy: Taxonomy,
  additions: { readonly professions?: ReadonlyArray<Profession>; readonly pairings?: ReadonlyArray<Pairing> }
): Taxonomy => {
  const professions = new Map(taxonomy.professions.map((x) => [x.id, x] as const))
  for (const x of additions.professions ?? []) professions.set(x.id, x)
  const key = (x: Pairing) => `${x.from}\u0000${x.to}`
  const pairings = new Map(taxonomy.pairings.map((x) => [key(x), x] as const))
  for (const x of additions.pairings ?? []) pairings.set(key(x), x)
  return Taxonomy.make({ professions: [...professions.values()], pairings: [...pairings.values()] })
}

/**
 * The profession and its ancestors, nearest first (`estate-planning-attorney`, `attorney`).
 *
 * @since 0.1.0
 * @category getters
 */
export const lineage = (taxonomy: Taxonomy, id: ProfessionId): ReadonlyArray<ProfessionId> => {
  const byId = new Map(taxonomy.professions.map((x) => [x.id, x] as const))
  const out: Array<ProfessionId> = []
  let current: ProfessionId | undefined = id
  while (current !== undefined && !out.includes(current)) {
    out.push(current)
    current = byId.get(current)?.parent
  }
  return out
}

/**
 * A profession that pairs with another, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Match {
  readonly profession: ProfessionId
  readonly reason: string
}

/**
 * The professions that pair with `id` (directly or through its parent professions), each
 * with the reason of the pairing. A pairing to a general profession names the
 * general profession (a CPA pairs with `attorney`, not with each attorney specialty).
 * Sorted by profession id; no profession appears twice.
 *
 * @since 0.1.0
 * @category getters
 */
export const pairsOf = (taxonomy: Taxonomy, id: ProfessionId): ReadonlyArray<Match> => {
  const mine = lineage(taxonomy, id)
  const found = new Map<ProfessionId, string>()
  for (const x of taxonomy.pairings) {
    if (mine.includes(x.from) && !found.has(x.to)) found.set(x.to, x.reason)
    if (x.mutual && mine.includes(x.to) && !found.has(x.from)) found.set(x.from, x.reason)
  }
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([profession, reason]) => ({ profession, reason }))
}

/**
 * Whether a partner of profession `other` covers a need for profession `wanted`: the same
 * profession or one of its specialties (an estate planning attorney covers `attorney`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const covers = (taxonomy: Taxonomy, other: ProfessionId, wanted: ProfessionId): boolean =>
  lineage(taxonomy, other).includes(wanted)

/**
 * Why referral fees with a profession are regulated: its own `feeRegulation`, else the
 * nearest ancestor's (a family law attorney is an attorney); `undefined` when none is marked.
 *
 * @example
 * import { Profession } from "@partnerbook/core"
 * Profession.feeRegulation(Profession.defaultTaxonomy, Profession.ProfessionId.make("mortgage-lender")) // "RESPA ..."
 *
 * @since 0.2.0
 * @category getters
 */
export const feeRegulation = (taxonomy: Taxonomy, id: ProfessionId): string | undefined => {
  for (const x of lineage(taxonomy, id)) {
    const found = taxonomy.professions.find((y) => y.id === x)?.feeRegulation
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The label of a profession, or its id when the taxonomy does not know it.
 *
 * @since 0.1.0
 * @category getters
 */
export const label = (taxonomy: Taxonomy, id: ProfessionId): string =>
  taxonomy.professions.find((x) => x.id === id)?.label ?? id
