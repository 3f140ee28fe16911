/**
 * Synthetic placements for the picture tests: a crowded book of `n` partners spread over the
 * four quadrants, with clusters at the same spot (the common case: many partners with no
 * referrals yet and no alignment).
 */
import { Matrix } from "@partnerbook/core"

const first = [
  "Ana",
  "Ben",
  "Carla",
  "David",
  "Elena",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "James",
  "Kemi",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Pedro",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Uma",
  "Victor",
  "Wen",
  "Ximena",
  "Yusuf"
]
const last = [
  "Alvarez",
  "Brooks",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Gupta",
  "Haddad",
  "Ivanova",
  "Johnson",
  "Kowalski",
  "Lopez-Whitfield",
  "Moreau",
  "Nakamura",
  "Okafor"
]

export const crowdedPlacements = (n: number, seed = 1): ReadonlyArray<Matrix.Placement> => {
  let s = seed
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
  return Array.from({ length: n }, (_, i) => {
    const cluster = i % 5 === 0
    const alignment = cluster ? null : Math.round(rand() * 100) / 100
    const activity = cluster ? 0 : Math.floor(rand() * rand() * 14)
    const point = { alignment: alignment ?? 0, activity }
    const quadrant = Matrix.classify(point)
    const given = Math.floor(activity / 2)
    return {
      partnerId: `p-${i}` as Matrix.Placement["partnerId"],
      name: `${first[i % first.length]} ${last[(i * 7) % last.length]}`,
      quadrant,
      alignment,
      alignmentSource: alignment === null ? "unknown" : "manual",
      activity,
      given,
      received: activity - given,
      thresholds: Matrix.defaultThresholds,
      reasons: [],
      actions: []
    } as Matrix.Placement
  })
}
