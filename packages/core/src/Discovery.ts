/**
 * Who to look for: the seed's three questions ("Who else serves my ideal client?", "Who do
 * my clients ask me about?", "Who is already sending me clients, even informally?")
 * answered from the book.
 *
 * @since 0.1.0
 */
import { Order } from "effect"
import type { Client, ClientId } from "./Client.js"
import type { Interaction } from "./Interaction.js"
import * as InvalidInput from "./InvalidInput.js"
import type { Partner, PartnerId, Stage } from "./Partner.js"
import type * as Matrix from "./Matrix.js"
import * as Profession from "./Profession.js"
import { Profile } from "./Profile.js"
import * as Progression from "./Progression.js"
import type { Referral } from "./Referral.js"
import type * as Store from "./Store.js"

/**
 * The stages at which a partner no longer counts as active: `dormant` (the relationship
 * faded) and `not-a-fit` (set by the user).
 *
 * @since 0.1.0
 * @category constants
 */
export const inactiveStages: ReadonlyArray<Stage> = ["dormant", "not-a-fit"]

/**
 * Whether a partner is active: at any stage but `dormant` or `not-a-fit`. A partner who was
 * only `identified` counts: you already know whom to approach for that profession, so
 * discovery does not send you looking for another one.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isActive = (partner: Pick<Partner, "stage">): boolean => !inactiveStages.includes(partner.stage)

/**
 * The active partners who cover a profession: those whose own profession is that profession
 * or one of its specialties ({@link Profession.covers}: an estate planning attorney covers
 * `attorney`, a general attorney does not cover `estate-planning-attorney`). Ids, in the
 * order of `partners`.
 *
 * @since 0.1.0
 * @category getters
 */
export const coveredBy = (
  partners: ReadonlyArray<Pick<Partner, "id" | "profession" | "stage">>,
  profession: Profession.ProfessionId,
  taxonomy: Profession.Taxonomy = Profession.defaultTaxonomy
): ReadonlyArray<PartnerId> =>
  partners
    .filter((p) => isActive(p) && Profession.covers(taxonomy, p.profession, profession))
    .map((p) => p.id)

/**
 * "Who else serves my ideal client?": a profession that pairs with yours and that no active
 * partner covers, with the reason of the pairing.
 *
 * @since 0.1.0
 * @category models
 */
export interface PairingGap {
  readonly profession: Profession.ProfessionId
  readonly label: string
  readonly reason: string
}

/**
 * "Who do my clients ask me about?": a profession your clients asked about, how many distinct
 * clients asked, and whether an active partner covers it (`covered: false` is the signal that
 * you need a partner there).
 *
 * @since 0.1.0
 * @category models
 */
export interface AskedAbout {
  readonly profession: Profession.ProfessionId
  readonly label: string
  /** Distinct clients who asked about the profession. */
  readonly clients: number
  readonly covered: boolean
  /** The active partners who cover it, if any. */
  readonly coveredBy: ReadonlyArray<PartnerId>
}

/**
 * "Who is already sending me clients, even informally?": a contact (not a partner) who was the
 * source of some of your recent clients. The highest-priority candidates: the trust exists.
 *
 * @since 0.1.0
 * @category models
 */
export interface InformalReferrer {
  /** The contact's name as written on their most recent client. */
  readonly contact: string
  /** How many of the recent clients they sent. */
  readonly clients: number
  /** When the most recent of those clients arrived. */
  readonly lastClientAt: Date
  /** Those clients, most recent first. */
  readonly clientIds: ReadonlyArray<ClientId>
}

/**
 * The answer to the three questions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Discovery {
  /** Professions that pair with yours and have no active partner, sorted by profession id. */
  readonly pairings: ReadonlyArray<PairingGap>
  /** Professions your clients asked about, most asked first, then by profession id. */
  readonly askedAbout: ReadonlyArray<AskedAbout>
  /**
   * Informal sources of your recent clients who are not partners yet: most clients first, then
   * the one whose latest client is most recent, then by name.
   */
  readonly informalReferrers: ReadonlyArray<InformalReferrer>
  /** How many recent clients were looked at for informal referrers (at most `recentClients`). */
  readonly recentClientsConsidered: number
}

/**
 * The default number of recent clients whose sources are examined: "look at your last 20 new
 * clients".
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRecentClients = 20

/**
 * The input of {@link discover}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  /** The owner: their profession decides the pairings. */
  readonly profile: Pick<Profile, "profession">
  readonly partners: ReadonlyArray<Partner>
  readonly clients: ReadonlyArray<Client>
  /** Clients acquired after `asOf` are ignored by all three questions. */
  readonly asOf: Date
  /** The professions and pairings (default {@link Profession.defaultTaxonomy}; see {@link Profession.extend}). */
  readonly taxonomy?: Profession.Taxonomy
  /** How many of the most recent clients to examine for informal referrers (default 20). */
  readonly recentClients?: number
  /**
   * The book's referrals and interactions. When either is given, a partner counts as active
   * by the stage {@link Progression.infer} gives it from history as of `asOf` (a partner
   * never contacted for twice its cadence is dormant, whatever its recorded stage); when
   * both are absent, by its recorded stage.
   *
   * @since 0.2.0
   */
  readonly referrals?: ReadonlyArray<Referral>
  /** @since 0.2.0 */
  readonly interactions?: ReadonlyArray<Interaction>
  /** The matrix window and thresholds that give each partner's quadrant and cadence. @since 0.2.0 */
  readonly windowDays?: number
  /** @since 0.2.0 */
  readonly thresholds?: Matrix.Thresholds
  /** The options of {@link Progression.infer}. @since 0.2.0 */
  readonly progression?: Progression.Options
}

/**
 * How a contact's name is compared with partner names and with other spellings of itself:
 * trimmed, inner whitespace collapsed, case-insensitive (Unicode NFKC).
 *
 * @since 0.1.0
 * @category utils
 */
export const nameKey = (name: string): string =>
  name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase()

const compareStrings = Order.string

/**
 * The clients acquired at or before `asOf`, most recent first (ties by client id), at most
 * `limit` of them.
 *
 * @since 0.1.0
 * @category getters
 */
export const recentClients = (
  clients: ReadonlyArray<Client>,
  asOf: Date,
  limit: number = defaultRecentClients
): ReadonlyArray<Client> => {
  const until = InvalidInput.requireDate("asOf", asOf).getTime()
  const n = InvalidInput.requireNonNegativeInteger("recentClients", limit)
  return clients
    .filter((c) => c.acquiredAt.getTime() <= until)
    .sort((a, b) => b.acquiredAt.getTime() - a.acquiredAt.getTime() || compareStrings(a.id, b.id))
    .slice(0, n)
}

/**
 * The order of {@link InformalReferrer}s: more clients first; on a tie, the one whose latest
 * client arrived most recently; then by name (case-insensitive, then as written).
 *
 * @since 0.1.0
 * @category orders
 */
export const compareReferrers = (a: InformalReferrer, b: InformalReferrer): number =>
  b.clients - a.clients ||
  b.lastClientAt.getTime() - a.lastClientAt.getTime() ||
  compareStrings(nameKey(a.contact), nameKey(b.contact)) ||
  compareStrings(a.contact, b.contact)

/**
 * Answers the seed's three questions as of `asOf`:
 *
 * - `pairings`: the professions that pair with the owner's ({@link Profession.pairsOf}) and
 *   that no active partner covers (see {@link isActive} and {@link coveredBy}). With the
 *   book's history given, a partner's stage is the one inferred from it.
 * - `askedAbout`: every profession the owner's clients (acquired by `asOf`) asked about, with
 *   the number of distinct clients who asked and whether an active partner covers it.
 * - `informalReferrers`: among the `recentClients` (default 20) most recent clients acquired
 *   by `asOf`, the informal sources (`source._tag === "contact"`) whose name matches no
 *   partner of the book at any stage (compared with {@link nameKey}), grouped by name and
 *   ranked by {@link compareReferrers}.
 *
 * The result does not depend on the order of `partners` or `clients`. Throws
 * {@link InvalidInput.InvalidInput} for an invalid `asOf` or `recentClients`.
 *
 * @since 0.1.0
 * @category rules
 */
export const discover = (input: Input): Discovery =>
  answer(input, () => {
    if (input.referrals === undefined && input.interactions === undefined) return input.partners
    return stagesOf(
      input.partners,
      Progression.infer({
        ...progressionSettings(input),
        partners: input.partners,
        referrals: input.referrals ?? [],
        interactions: input.interactions ?? [],
        profile: profileOf(input)
      })
    )
  })

/**
 * The settings that decide which digests {@link fromSummary} reads: `asOf` and the
 * progression settings of {@link Input}.
 *
 * @since 0.2.0
 * @category models
 */
export type Settings = Pick<Input, "asOf" | "windowDays" | "thresholds" | "progression">

/**
 * The input of {@link fromSummary}: {@link Input} without the history, plus the digests of
 * {@link query} (`Store.digest`), from which each partner's stage is inferred.
 *
 * @since 0.2.0
 * @category models
 */
export interface SummaryInput extends Omit<Input, "referrals" | "interactions"> {
  readonly digests: ReadonlyArray<Store.Digest>
}

/**
 * The digest query discovery needs: the one of {@link Progression.query}, which gives each
 * partner's inferred stage. Throws {@link InvalidInput.InvalidInput} naming the field.
 *
 * @since 0.2.0
 * @category rules
 */
export const query = (input: Settings): Store.DigestQuery => Progression.query(progressionSettings(input))

/**
 * Discovery from a store's digests: the same answer as {@link discover} given the book's
 * referrals and interactions (coverage by the inferred stage).
 *
 * @since 0.2.0
 * @category rules
 */
export const fromSummary = (input: SummaryInput): Discovery =>
  answer(input, () => {
    const settings = progressionSettings(input)
    return stagesOf(
      input.partners,
      Progression.fromSummary({
        ...settings,
        partners: input.partners,
        digests: input.digests,
        profile: profileOf(input)
      })
    )
  })

const progressionSettings = (input: Settings) => ({
  asOf: input.asOf,
  ...(input.windowDays === undefined ? {} : { windowDays: input.windowDays }),
  ...(input.thresholds === undefined ? {} : { thresholds: input.thresholds }),
  ...(input.progression === undefined ? {} : { options: input.progression })
})

const profileOf = (input: Pick<Input, "profile">): Profile | undefined =>
  input.profile instanceof Profile ? input.profile : undefined

/** Each partner with the stage Progression inferred for it. */
const stagesOf = (
  partners: ReadonlyArray<Partner>,
  reports: ReadonlyArray<Progression.Report>
): ReadonlyArray<Pick<Partner, "id" | "profession" | "stage">> =>
  partners.map((p, i) => ({ id: p.id, profession: p.profession, stage: reports[i]!.stage }))

const answer = (
  input: Omit<Input, "referrals" | "interactions">,
  stages: () => ReadonlyArray<Pick<Partner, "id" | "profession" | "stage">>
): Discovery => {
  const asOf = InvalidInput.requireDate("asOf", input.asOf)
  const limit = input.recentClients ?? defaultRecentClients
  InvalidInput.requireNonNegativeInteger("recentClients", limit)
  if (limit === 0) throw InvalidInput.make("recentClients", "expected a positive integer, got 0")
  const taxonomy = input.taxonomy ?? Profession.defaultTaxonomy
  const partners = stages()
  const until = asOf.getTime()
  const known = input.clients.filter((c) => c.acquiredAt.getTime() <= until)

  const pairings: Array<PairingGap> = []
  for (const match of Profession.pairsOf(taxonomy, input.profile.profession)) {
    if (coveredBy(partners, match.profession, taxonomy).length > 0) continue
    pairings.push({
      profession: match.profession,
      label: Profession.label(taxonomy, match.profession),
      reason: match.reason
    })
  }

  const askers = new Map<Profession.ProfessionId, Set<ClientId>>()
  for (const client of known) {
    for (const profession of client.askedAbout) {
      const set = askers.get(profession) ?? new Set<ClientId>()
      set.add(client.id)
      askers.set(profession, set)
    }
  }
  const askedAbout: Array<AskedAbout> = [...askers.entries()]
    .map(([profession, clients]) => {
      const by = coveredBy(partners, profession, taxonomy)
      return {
        profession,
        label: Profession.label(taxonomy, profession),
        clients: clients.size,
        covered: by.length > 0,
        coveredBy: by
      }
    })
    .sort((a, b) => b.clients - a.clients || compareStrings(a.profession, b.profession))

  const partnerNames = new Set(input.partners.map((p) => nameKey(p.name)))
  const recent = recentClients(known, asOf, limit)
  const groups = new Map<string, { contact: string; lastClientAt: Date; clientIds: Array<ClientId> }>()
  for (const client of recent) {
    if (client.source._tag !== "contact") continue
    const key = nameKey(client.source.name)
    if (key.length === 0 || partnerNames.has(key)) continue
    const group = groups.get(key)
    // `recent` is most recent first, so the first client seen names the group.
    if (group === undefined) {
      groups.set(key, {
        contact: client.source.name,
        lastClientAt: client.acquiredAt,
        clientIds: [client.id]
      })
    } else group.clientIds.push(client.id)
  }
  const informalReferrers: Array<InformalReferrer> = [...groups.values()]
    .map((g) => ({
      contact: g.contact,
      clients: g.clientIds.length,
      lastClientAt: g.lastClientAt,
      clientIds: g.clientIds
    }))
    .sort(compareReferrers)

  return { pairings, askedAbout, informalReferrers, recentClientsConsidered: recent.length }
}
