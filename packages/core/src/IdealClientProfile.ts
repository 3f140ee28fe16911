/**
 * A specific description of the clients someone serves best, and the alignment of two of them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Text } from "./Book.js"

const Facet = Schema.Array(
  Schema.NonEmptyTrimmedString.pipe(
    Schema.maxLength(200),
    Schema.annotations({
      arbitrary: () => (fc) =>
        fc.constantFrom(
          "tech",
          "retail",
          "healthcare",
          "south florida",
          "miami",
          "retirement",
          "divorce",
          "business sale",
          "families",
          "business owners",
          "high net worth"
        )
    })
  )
).pipe(Schema.maxItems(100))

/**
 * "Retirement planning for business owners in South Florida within five years of selling
 * their company": free text for people plus structured facets for matching. Facet values
 * are compared case-insensitively.
 *
 * @since 0.1.0
 * @category models
 */
export class IdealClientProfile extends Schema.Class<IdealClientProfile>("IdealClientProfile")({
  description: Text,
  industries: Facet,
  regions: Facet,
  lifeEvents: Facet,
  clientTypes: Facet,
  bands: Facet.annotations({ description: "wealth or revenue bands" })
}) {}

/**
 * The structured facets of an {@link IdealClientProfile}.
 *
 * @since 0.1.0
 * @category models
 */
export type Facet = "industries" | "regions" | "lifeEvents" | "clientTypes" | "bands"

/**
 * Every facet, in a fixed order.
 *
 * @since 0.1.0
 * @category constants
 */
export const facets: ReadonlyArray<Facet> = ["industries", "regions", "lifeEvents", "clientTypes", "bands"]

/**
 * An ideal client profile from a description and whatever facets are known.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  description: string,
  known: Partial<Record<Facet, ReadonlyArray<string>>> = {}
): IdealClientProfile =>
  IdealClientProfile.make({
    description,
    industries: known.industries ?? [],
    regions: known.regions ?? [],
    lifeEvents: known.lifeEvents ?? [],
    clientTypes: known.clientTypes ?? [],
    bands: known.bands ?? []
  })

/**
 * How two ideal client profiles overlap, facet by facet.
 *
 * @since 0.1.0
 * @category models
 */
export interface Alignment {
  /** Mean overlap of the facets both profiles fill, 0..1; `undefined` when they share none. */
  readonly value: number | undefined
  /** Overlap (Jaccard index) of each facet both profiles fill. */
  readonly byFacet: ReadonlyArray<{ readonly facet: Facet; readonly overlap: number }>
}

const normalise = (values: ReadonlyArray<string>): Set<string> =>
  new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v.length > 0))

/**
 * The alignment of two ideal client profiles: for every facet that both fill, the Jaccard
 * index of their values (shared / all distinct), averaged. Facets that only one side fills
 * say nothing and are left out; when no facet is filled on both sides the value is
 * `undefined` (unknown), never a guess. Symmetric, and 1 for two identical filled profiles.
 *
 * @since 0.1.0
 * @category rules
 */
export const alignment = (a: IdealClientProfile, b: IdealClientProfile): Alignment => {
  const byFacet: Array<{ facet: Facet; overlap: number }> = []
  for (const facet of facets) {
    const x = normalise(a[facet])
    const y = normalise(b[facet])
    if (x.size === 0 || y.size === 0) continue
    let shared = 0
    for (const v of x) if (y.has(v)) shared++
    byFacet.push({ facet, overlap: shared / (x.size + y.size - shared) })
  }
  const value = byFacet.length === 0 ? undefined : byFacet.reduce((s, f) => s + f.overlap, 0) / byFacet.length
  return { value, byFacet }
}
