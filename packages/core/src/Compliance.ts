/**
 * Referral fees to review. The seed's FAQ warns that fees "may even create ethical issues in
 * regulated industries like law and financial services"; real estate and mortgage lending
 * add RESPA. A referral with a fee where either side's profession is regulated for referral
 * fees (see {@link Profession.feeRegulation}) is listed with the reason, for you to review
 * with whoever advises you on compliance. Partnerbook flags; it does not judge legality.
 *
 * @since 0.2.0
 */
import * as InvalidInput from "./InvalidInput.js"
import { isoDay } from "./internal/time.js"
import type { Partner, PartnerId } from "./Partner.js"
import * as Profession from "./Profession.js"
import type { Profile } from "./Profile.js"
import type { Referral, ReferralId } from "./Referral.js"

/**
 * One referral fee to review.
 *
 * @since 0.2.0
 * @category models
 */
export interface Finding {
  readonly referralId: ReferralId
  readonly partnerId: PartnerId
  readonly name: string
  readonly direction: Referral["direction"]
  readonly date: Date
  readonly fee: number
  /** The regulated professions involved: yours first, then the partner's (each once). */
  readonly professions: ReadonlyArray<Profession.ProfessionId>
  /** One line for people: which fee, with whom, and what regulates it. */
  readonly reason: string
}

/**
 * The input of {@link review}. `profile` is the book's owner (their profession counts as one
 * side); `taxonomy` marks the regulated professions (default {@link Profession.defaultTaxonomy}).
 *
 * @since 0.2.0
 * @category models
 */
export interface Input {
  readonly profile?: Pick<Profile, "profession"> | undefined
  readonly partners: ReadonlyArray<Pick<Partner, "id" | "name" | "profession">>
  readonly referrals: ReadonlyArray<Referral>
  readonly taxonomy?: Profession.Taxonomy
  /** Referrals dated after it are left out (default: none are). */
  readonly asOf?: Date
}

const line = (name: string): string => name.replace(/\s+/g, " ")

/** "an attorney", "a mortgage lender": a label as it reads inside a sentence. */
const article = (label: string): string => {
  const lower = /^[A-Z][a-z]/.test(label) ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label
  return `${/^[aeiou]/i.test(lower) ? "an" : "a"} ${lower}`
}

/**
 * Every referral with a fee (`fee > 0`) where your profession or the partner's is regulated
 * for referral fees, oldest first (ties by referral id). Referrals of partners not in
 * `partners` are left out. Throws {@link InvalidInput.InvalidInput} for an invalid `asOf`.
 *
 * @example
 * import { Compliance } from "@partnerbook/core"
 * const findings = Compliance.review({ partners: [], referrals: [] })
 *
 * @since 0.2.0
 * @category rules
 */
export const review = (input: Input): ReadonlyArray<Finding> => {
  const until = input.asOf === undefined ? Infinity : InvalidInput.requireDate("asOf", input.asOf).getTime()
  const taxonomy = input.taxonomy ?? Profession.defaultTaxonomy
  const byId = new Map(input.partners.map((p) => [p.id as string, p] as const))
  const mine = input.profile?.profession
  const out: Array<Finding> = []
  for (const r of input.referrals) {
    if (r.fee === undefined || r.fee <= 0 || r.date.getTime() > until) continue
    const partner = byId.get(r.partnerId)
    if (partner === undefined) continue
    const sides = [...new Set(mine === undefined ? [partner.profession] : [mine, partner.profession])]
    const regulated = sides.flatMap((id) => {
      const why = Profession.feeRegulation(taxonomy, id)
      return why === undefined ? [] : [{ id, why }]
    })
    if (regulated.length === 0) continue
    const n = line(partner.name)
    const client = r.client.length > 0 ? ` (${JSON.stringify(r.client)})` : ""
    const what = r.direction === "given" ? `you referred to ${n}` : `${n} referred to you`
    const why = regulated
      .map(
        (x) =>
          `${x.id === mine ? "you are" : `${n} is`} ${article(Profession.label(taxonomy, x.id))}: ${x.why}`
      )
      .join("; ")
    out.push({
      referralId: r.id,
      partnerId: r.partnerId,
      name: partner.name,
      direction: r.direction,
      date: r.date,
      fee: r.fee,
      professions: regulated.map((x) => x.id),
      reason: `A fee of ${r.fee} on the client${client} ${what} on ${isoDay(r.date)}; ${why}. Review it.`
    })
  }
  return out.sort(
    (a, b) =>
      a.date.getTime() - b.date.getTime() ||
      (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0)
  )
}
