import * as InvalidInput from "../InvalidInput.js"
import type { Partner } from "../Partner.js"
import type { Referral } from "../Referral.js"
import type * as Store from "../Store.js"

/** The digest of a partner with no history at all (`windows` windows, every count 0). */
export const emptyDigest = (partnerId: Partner["id"], windows: number): Store.Digest => ({
  partnerId,
  lastTouch: null,
  firstGiven: null,
  lastGiven: null,
  lastReferral: null,
  lastReceived: null,
  upToLastTouch: { given: 0, received: 0 },
  upToLastReferral: { given: 0, received: 0 },
  engagedGiven: 0,
  engagedReceived: 0,
  positives: 0,
  positiveAt: null,
  first: {},
  last: {},
  shared: null,
  touchesSinceShared: 0,
  longestGap: null,
  windows: Array.from({ length: windows }, () => ({ given: 0, received: 0, interactions: 0 }))
})

/**
 * Looks digests up by partner id; a partner without a digest gets {@link emptyDigest} (the
 * store had nothing about them).
 */
export const digestsByPartner = (
  digests: ReadonlyArray<Store.Digest>,
  windows: number
): ((partner: Pick<Partner, "id">) => Store.Digest) => {
  const map = new Map<string, Store.Digest>()
  for (const d of digests) map.set(d.partnerId, d)
  return (partner) => map.get(partner.id) ?? emptyDigest(partner.id, windows)
}

/** Groups referrals by partner id, keeping their order. */
export const referralsByPartner = <R extends Pick<Referral, "partnerId">>(
  referrals: ReadonlyArray<R>
): ((partner: Pick<Partner, "id">) => ReadonlyArray<R>) => {
  const map = new Map<string, Array<R>>()
  for (const r of referrals) {
    let list = map.get(r.partnerId)
    if (list === undefined) {
      list = []
      map.set(r.partnerId, list)
    }
    list.push(r)
  }
  return (partner) => map.get(partner.id) ?? []
}

/** A date as epoch milliseconds, `undefined` for `null` or absent. */
export const timeOf = (date: Date | null | undefined): number | undefined =>
  date === null || date === undefined ? undefined : date.getTime()

/** Throws unless `value` is a finite number `>= min` (or `> min` when `strict`). */
export const requireAtLeast = (field: string, value: unknown, min: number, strict: boolean): number => {
  const n = InvalidInput.requireFiniteNumber(field, value)
  if (strict ? n <= min : n < min) {
    throw InvalidInput.make(field, `expected a number ${strict ? ">" : ">="} ${min}, got ${n}`)
  }
  return n
}

/** Stable 32-bit FNV-1a hash of a string: deterministic tie-breaking, never `Math.random`. */
export const fnv1a = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
