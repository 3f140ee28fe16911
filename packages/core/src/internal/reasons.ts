/**
 * The words of the reasons `Introductions.fit` gives ("CPA pairs with attorney", "both serve
 * business owners in South Florida", "Ana wants to meet a CPA").
 */
import type * as IdealClientProfile from "../IdealClientProfile.js"

/** "Estate planning attorney" -> "estate planning attorney"; an acronym ("CPA") stays. */
export const lowerLabel = (label: string): string =>
  /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label

/** "a CPA", "an attorney", "an SBA lender": the article as the label is read aloud. */
export const withArticle = (label: string): string => {
  const text = lowerLabel(label)
  const first = text.split(" ")[0] ?? text
  const acronym = first.length > 1 && first === first.toUpperCase() && /[A-Z]/.test(first)
  const an = acronym ? "AEFHILMNORSX".includes(first.charAt(0)) : /^[aeiou]/i.test(first)
  return `${an ? "an" : "a"} ${text}`
}

/** "attorneys", "coaches". */
export const plural = (label: string): string => {
  const text = lowerLabel(label)
  return /(s|x|ch|sh)$/.test(text) ? `${text}es` : `${text}s`
}

/** "a", "a and b", "a, b and c". */
const listing = (values: ReadonlyArray<string>): string =>
  values.length <= 1
    ? (values[0] ?? "")
    : `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`

const sharedValues = (
  a: IdealClientProfile.IdealClientProfile,
  b: IdealClientProfile.IdealClientProfile,
  facet: IdealClientProfile.Facet
): Array<string> => {
  const theirs = new Set(b[facet].map((v) => v.trim().toLowerCase()))
  const seen = new Set<string>()
  const out: Array<string> = []
  for (const v of a[facet]) {
    const key = v.trim().toLowerCase()
    if (key.length === 0 || !theirs.has(key) || seen.has(key)) continue
    seen.add(key)
    out.push(v.trim())
  }
  return out
}

/**
 * "both serve business owners in South Florida; both help with a business sale": the facet
 * values both profiles share, in the first profile's spelling.
 */
export const idealClientReason = (
  a: IdealClientProfile.IdealClientProfile,
  b: IdealClientProfile.IdealClientProfile
): string => {
  const who = sharedValues(a, b, "clientTypes")
  const regions = sharedValues(a, b, "regions")
  const industries = sharedValues(a, b, "industries")
  const events = sharedValues(a, b, "lifeEvents")
  const bands = sharedValues(a, b, "bands")
  const parts: Array<string> = []
  if (who.length > 0 || regions.length > 0) {
    parts.push(
      `both serve ${who.length === 0 ? "clients" : listing(who)}${regions.length === 0 ? "" : ` in ${listing(regions)}`}`
    )
  }
  if (industries.length > 0)
    parts.push(
      `both work with the ${listing(industries)} ${industries.length === 1 ? "industry" : "industries"}`
    )
  if (events.length > 0) parts.push(`both help with ${listing(events)}`)
  if (bands.length > 0) parts.push(`both serve ${listing(bands)} clients`)
  return parts.join("; ")
}
