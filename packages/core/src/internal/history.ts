import type { Interaction } from "../Interaction.js"
import * as InvalidInput from "../InvalidInput.js"
import type { Partner } from "../Partner.js"
import type { Referral } from "../Referral.js"

/** One partner's referrals and interactions up to a cutoff, and the latest touch among them. */
export interface History {
  readonly referrals: Array<Referral>
  readonly interactions: Array<Interaction>
  /** Time of the latest referral or interaction (either direction); `undefined` when none. */
  lastTouch: number | undefined
}

/**
 * Groups referrals and interactions by partner in one pass over each array. Only records
 * dated at or before `cutoff` (epoch milliseconds) and belonging to one of `partners` are
 * kept; a touch is ANY referral (either direction) or interaction.
 */
export const historyByPartner = (
  partners: ReadonlyArray<Partner>,
  referrals: ReadonlyArray<Referral>,
  interactions: ReadonlyArray<Interaction>,
  cutoff: number
): Map<string, History> => {
  const out = new Map<string, History>()
  for (const p of partners) {
    if (!out.has(p.id)) out.set(p.id, { referrals: [], interactions: [], lastTouch: undefined })
  }
  for (const r of referrals) {
    const t = r.date.getTime()
    if (t > cutoff) continue
    const h = out.get(r.partnerId)
    if (h === undefined) continue
    h.referrals.push(r)
    if (h.lastTouch === undefined || t > h.lastTouch) h.lastTouch = t
  }
  for (const x of interactions) {
    const t = x.date.getTime()
    if (t > cutoff) continue
    const h = out.get(x.partnerId)
    if (h === undefined) continue
    h.interactions.push(x)
    if (h.lastTouch === undefined || t > h.lastTouch) h.lastTouch = t
  }
  return out
}

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
