import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import * as Blossom from "../../src/internal/blossom.js"

/** Random graphs with loops, parallel edges and small weights (many ties, so many blossoms). */
const graphArb = (maxVertices: number, maxEdges: number) =>
  fc.integer({ min: 0, max: maxVertices }).chain((n) =>
    fc
      .array(
        fc.record({
          u: fc.integer({ min: 0, max: Math.max(0, n - 1) }),
          v: fc.integer({ min: 0, max: Math.max(0, n - 1) }),
          weight: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.integer({ min: 1, max: 1000 }))
        }),
        { maxLength: n === 0 ? 0 : maxEdges }
      )
      .map((edges) => ({ n, edges }))
  )

/** The heaviest weight per unordered pair, over edges of positive weight between two vertices. */
const weightMatrix = (n: number, edges: ReadonlyArray<Blossom.Edge>): Array<Array<number>> => {
  const weight = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (const e of edges) {
    if (e.u === e.v || e.weight <= 0) continue
    const w = Math.max(weight[e.u]![e.v]!, e.weight)
    weight[e.u]![e.v] = w
    weight[e.v]![e.u] = w
  }
  return weight
}

/** The best matching weight by dynamic programming over vertex subsets (exact, O(2^n · n)). */
const exactOptimum = (n: number, weight: ReadonlyArray<ReadonlyArray<number>>): number => {
  const best = new Float64Array(1 << n)
  for (let mask = 1; mask < 1 << n; mask++) {
    const i = 31 - Math.clz32(mask & -mask) // the lowest vertex left
    const rest = mask & ~(1 << i)
    let top = best[rest]! // i stays unmatched
    for (let j = i + 1; j < n; j++) {
      const w = weight[i]![j]!
      if (w > 0 && (rest & (1 << j)) !== 0) top = Math.max(top, w + best[rest & ~(1 << j)]!)
    }
    best[mask] = top
  }
  return best[(1 << n) - 1]!
}

const expectValidMatching = (n: number, edges: ReadonlyArray<Blossom.Edge>, mate: ReadonlyArray<number>) => {
  const weight = weightMatrix(n, edges)
  expect(mate).toHaveLength(n)
  mate.forEach((w, v) => {
    if (w === -1) return
    // each vertex at most once, and only along an edge of positive weight
    expect(w).not.toBe(v)
    expect(mate[w]).toBe(v)
    expect(weight[v]![w]!).toBeGreaterThan(0)
  })
}

describe("internal/blossom", () => {
  it("returns a valid matching at least as heavy as the greedy one on graphs of up to 60 vertices", () => {
    fc.assert(
      fc.property(graphArb(60, 400), ({ n, edges }) => {
        const mate = Blossom.maxWeightMatching(n, edges)
        const greedy = Blossom.greedyMatching(n, edges)
        expectValidMatching(n, edges, mate)
        expectValidMatching(n, edges, greedy)
        expect(Blossom.matchingWeight(mate, edges)).toBeGreaterThanOrEqual(
          Blossom.matchingWeight(greedy, edges)
        )
      }),
      { numRuns: 100 }
    )
  })

  it("finds the optimum of an exact dynamic program on graphs of up to 14 vertices", () => {
    fc.assert(
      fc.property(graphArb(14, 60), ({ n, edges }) => {
        const mate = Blossom.maxWeightMatching(n, edges)
        expectValidMatching(n, edges, mate)
        expect(Blossom.matchingWeight(mate, edges)).toBe(exactOptimum(n, weightMatrix(n, edges)))
      }),
      { numRuns: 300 }
    )
  })
})
