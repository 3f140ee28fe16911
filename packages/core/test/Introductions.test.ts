import { IdealClientProfile, Introductions, InvalidInput, Profession } from "@partnerbook/core"
import { FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"

const P = (id: string) => Profession.ProfessionId.make(id)

const attendee = (
  id: string,
  profession: string,
  extra: {
    readonly wants?: ReadonlyArray<string>
    readonly wantsPeers?: boolean
    readonly idealClient?: IdealClientProfile.IdealClientProfile
  } = {}
): Introductions.Attendee => ({
  id,
  name: id,
  profession: P(profession),
  wants: (extra.wants ?? []).map(P),
  wantsPeers: extra.wantsPeers ?? false,
  ...(extra.idealClient === undefined ? {} : { idealClient: extra.idealClient })
})

/** The best total weight of a matching, by trying every matching. */
const bruteForce = (n: number, weight: ReadonlyArray<ReadonlyArray<number>>): number => {
  const best = (free: ReadonlyArray<number>): number => {
    const [first, ...rest] = free
    if (first === undefined) return 0
    let top = best(rest) // `first` stays unmatched
    for (const other of rest) {
      const w = weight[first]![other]!
      if (w > 0) top = Math.max(top, w + best(rest.filter((x) => x !== other)))
    }
    return top
  }
  return best(Array.from({ length: n }, (_, i) => i))
}

const isMatching = (mate: ReadonlyArray<number>): boolean =>
  mate.every((w, v) => w === -1 || (w !== v && mate[w] === v))

const graphArb = fc.integer({ min: 0, max: 10 }).chain((n) =>
  fc
    .array(
      fc.record({
        u: fc.integer({ min: 0, max: Math.max(0, n - 1) }),
        v: fc.integer({ min: 0, max: Math.max(0, n - 1) }),
        // small weights: many ties, many odd cycles of equal weight, i.e. many blossoms
        weight: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1000 }))
      }),
      { maxLength: n < 2 ? 0 : 30 }
    )
    .map((edges) => ({ n, edges: edges.filter((e) => e.u !== e.v) }))
)

describe("Introductions.maxWeightMatching", () => {
  it("finds the matching of maximum weight on small graphs, as brute force does", () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges }) => {
        const weight = Array.from({ length: n }, () => new Array<number>(n).fill(0))
        for (const e of edges) {
          const w = Math.max(weight[e.u]![e.v]!, e.weight)
          weight[e.u]![e.v] = w
          weight[e.v]![e.u] = w
        }
        const mate = Introductions.maxWeightMatching(n, edges)
        expect(mate).toHaveLength(n)
        expect(isMatching(mate)).toBe(true)
        expect(Introductions.matchingWeight(mate, edges)).toBe(bruteForce(n, weight))
      }),
      { numRuns: 1000 }
    )
  })

  it("is never worse than the greedy matching, and beats it on a path where greedy grabs the middle", () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges }) => {
        const best = Introductions.matchingWeight(Introductions.maxWeightMatching(n, edges), edges)
        const greedy = Introductions.greedyMatching(n, edges)
        expect(isMatching(greedy)).toBe(true)
        expect(best).toBeGreaterThanOrEqual(Introductions.matchingWeight(greedy, edges))
      })
    )
    const path = [
      { u: 0, v: 1, weight: 2 },
      { u: 1, v: 2, weight: 3 },
      { u: 2, v: 3, weight: 2 }
    ]
    expect(Introductions.greedyMatching(4, path)).toEqual([-1, 2, 1, -1])
    expect(Introductions.maxWeightMatching(4, path)).toEqual([1, 0, 3, 2])
  })

  it("handles an odd cycle that must be shrunk and then expanded", () => {
    // a pentagon with a pendant edge: the optimum uses the pendant and two cycle edges
    const edges = [
      { u: 0, v: 1, weight: 8 },
      { u: 1, v: 2, weight: 8 },
      { u: 2, v: 3, weight: 8 },
      { u: 3, v: 4, weight: 8 },
      { u: 4, v: 0, weight: 8 },
      { u: 2, v: 5, weight: 9 }
    ]
    const mate = Introductions.maxWeightMatching(6, edges)
    expect(mate[2]).toBe(5)
    expect(Introductions.matchingWeight(mate, edges)).toBe(25)
  })

  it("does not match edges of weight zero, and rejects vertices out of range", () => {
    expect(Introductions.maxWeightMatching(2, [{ u: 0, v: 1, weight: 0 }])).toEqual([-1, -1])
    expect(() => Introductions.maxWeightMatching(2, [{ u: 0, v: 2, weight: 1 }])).toThrow(/edges\[0\]\.v/)
  })
})

describe("Introductions.fit", () => {
  it("explains a complementary pairing, a shared ideal client and wanted professions", () => {
    const idealClient = IdealClientProfile.make("Business owners in South Florida", {
      clientTypes: ["business owners"],
      regions: ["South Florida"]
    })
    const cpa = attendee("Cal", "cpa", { idealClient, wants: ["attorney"] })
    const lawyer = attendee("Ana", "estate-planning-attorney", { idealClient, wants: ["cpa"] })
    const fit = Introductions.fit(cpa, lawyer)
    expect(fit?.reasons).toEqual([
      "CPA pairs with estate planning attorney",
      "both serve business owners in South Florida",
      "Cal wants to meet an attorney",
      "Ana wants to meet a CPA"
    ])
    expect(fit?.breakdown).toEqual({ pairing: 30, idealClient: 40, wanted: 40, peers: 0 })
    expect(fit?.fit).toBe(110)
  })

  it("keeps competitors apart unless both asked to meet peers", () => {
    expect(
      Introductions.fit(attendee("a", "cpa", { wantsPeers: true }), attendee("b", "cpa"))
    ).toBeUndefined()
    // a specialty competes with its general profession
    expect(
      Introductions.fit(
        attendee("a", "attorney", { wants: ["attorney"] }),
        attendee("b", "family-law-attorney")
      )
    ).toBeUndefined()
    // two specialties of one profession refer across practices
    expect(
      Introductions.fit(attendee("a", "family-law-attorney"), attendee("b", "estate-planning-attorney"))
    ).toEqual({
      fit: 0,
      breakdown: { pairing: 0, idealClient: 0, wanted: 0, peers: 0 },
      reasons: []
    })
    const planners = Introductions.fit(
      attendee("Heather", "event-planner", { wantsPeers: true }),
      attendee("Jo", "event-planner", { wantsPeers: true })
    )
    expect(planners?.reasons).toEqual([
      "Event planner pairs with event planner",
      "both asked to meet other event planners"
    ])
  })

  it("rejects weights that are not non-negative integers", () => {
    expect(() =>
      Introductions.fit(attendee("a", "cpa"), attendee("b", "attorney"), { weights: { pairing: 1.5 } })
    ).toThrow(InvalidInput.InvalidInput)
  })
})

describe("Introductions.Attendee", () => {
  it("decodes attendees from JSON, as an organiser's sign-up form would send them", () => {
    const decoded = Schema.decodeUnknownSync(Schema.Array(Introductions.Attendee))([
      { id: "1", name: "Ana", profession: "cpa", wants: ["attorney"], wantsPeers: false },
      { id: "2", name: "Ben", profession: "estate-planning-attorney", wants: [], wantsPeers: true }
    ])
    expect(
      Introductions.plan({ attendees: decoded, rounds: 1 }).rounds[0]?.pairs.map((p) => p.reasons)
    ).toEqual([["CPA pairs with estate planning attorney", "Ana wants to meet an attorney"]])
    expect(() =>
      Schema.decodeUnknownSync(Introductions.Attendee)({
        id: "3",
        name: "Cy",
        profession: "Plumber",
        wants: [],
        wantsPeers: false
      })
    ).toThrow(/profession/)
  })
})

describe("Introductions.plan", () => {
  // Greedy introduces Bea and Cal (fit 40) and leaves Ada and Dan alone; the best round
  // introduces Ada to Bea and Cal to Dan (30 + 30).
  const event = [
    attendee("Ada", "real-estate-agent"),
    attendee("Bea", "mortgage-lender", { wants: ["cpa"] }),
    attendee("Cal", "cpa", { wants: ["mortgage-lender"] }),
    attendee("Dan", "attorney")
  ]

  it("beats the greedy plan where greedy takes the single best pair first", () => {
    const best = Introductions.plan({ attendees: event, rounds: 1 })
    const greedy = Introductions.greedy({ attendees: event, rounds: 1 })
    expect(greedy.rounds[0]?.pairs.map((p) => [p.a, p.b, p.fit])).toEqual([["Bea", "Cal", 40]])
    expect(greedy.rounds[0]?.sittingOut.map((s) => [s.attendee, s.reason])).toEqual([
      ["Ada", "partners-taken"],
      ["Dan", "partners-taken"]
    ])
    expect(best.method).toBe("matching")
    expect(best.rounds[0]?.pairs).toEqual([
      {
        a: "Ada",
        b: "Bea",
        names: ["Ada", "Bea"],
        fit: 30,
        breakdown: { pairing: 30, idealClient: 0, wanted: 0, peers: 0 },
        reasons: ["Real estate agent pairs with mortgage lender"]
      },
      {
        a: "Cal",
        b: "Dan",
        names: ["Cal", "Dan"],
        fit: 30,
        breakdown: { pairing: 30, idealClient: 0, wanted: 0, peers: 0 },
        reasons: ["CPA pairs with attorney"]
      }
    ])
    expect(best.totalFit).toBe(60)
    expect(greedy.totalFit).toBe(40)
  })

  it("never repeats a pair: later rounds use what is left, then people sit out", () => {
    const plan = Introductions.plan({ attendees: event, rounds: 3 })
    expect(plan.rounds.map((r) => r.pairs.map((p) => `${p.a}-${p.b}`))).toEqual([
      ["Ada-Bea", "Cal-Dan"],
      ["Bea-Cal"],
      []
    ])
    expect(plan.rounds[1]?.sittingOut.map((s) => [s.attendee, s.reason])).toEqual([
      ["Ada", "no-one-left"],
      ["Dan", "no-one-left"]
    ])
    expect(plan.rounds[2]?.sittingOut).toHaveLength(4)
  })

  it("skips pairs who met before", () => {
    const plan = Introductions.plan({ attendees: event, rounds: 1, alreadyMet: [["Bea", "Ada"]] })
    expect(plan.rounds[0]?.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["Bea-Cal"])
  })

  it("says who sits out because of an odd count", () => {
    const trio = [attendee("a", "cpa"), attendee("b", "attorney"), attendee("c", "family-law-attorney")]
    // the CPA pairs with both attorneys; the two attorneys compete
    const round = Introductions.plan({ attendees: trio, rounds: 1 }).rounds[0]
    expect(round?.pairs).toHaveLength(1)
    expect(round?.sittingOut.map((s) => s.reason)).toEqual(["odd-count"])
    const alone = Introductions.plan({ attendees: [attendee("x", "architect")], rounds: 1 }).rounds[0]
    expect(alone?.sittingOut).toEqual([{ attendee: "x", name: "x", reason: "no-one-left" }])
  })

  it("rejects duplicate attendees and a bad number of rounds", () => {
    expect(() =>
      Introductions.plan({ attendees: [attendee("a", "cpa"), attendee("a", "attorney")], rounds: 1 })
    ).toThrow(/attendees\[1\]\.id/)
    try {
      Introductions.plan({ attendees: event, rounds: 0 })
      expect.unreachable()
    } catch (e) {
      expect(e).toMatchObject({ _tag: "InvalidInput", field: "rounds" })
    }
  })
})

const professionPool = [
  "attorney",
  "estate-planning-attorney",
  "family-law-attorney",
  "business-attorney",
  "cpa",
  "financial-advisor",
  "real-estate-agent",
  "mortgage-lender",
  "insurance-agent",
  "business-consultant",
  "therapist",
  "event-planner"
]

const profileArb = fc
  .record({
    clientTypes: fc.subarray(["business owners", "families", "retirees"]),
    regions: fc.subarray(["South Florida", "Miami", "Broward"])
  })
  .map((facets) => IdealClientProfile.make("generated", facets))

const eventArb = (max: number) =>
  fc
    .array(
      fc.record(
        {
          profession: fc.constantFrom(...professionPool),
          wants: fc.subarray(professionPool, { maxLength: 3 }),
          wantsPeers: fc.boolean(),
          idealClient: profileArb
        },
        { requiredKeys: ["profession", "wants", "wantsPeers"] }
      ),
      { maxLength: max }
    )
    .map((xs) =>
      xs.map((x, i) =>
        attendee(`a${i}`, x.profession, {
          wants: x.wants,
          wantsPeers: x.wantsPeers,
          ...(x.idealClient === undefined ? {} : { idealClient: x.idealClient })
        })
      )
    )

const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)

describe("Introductions.plan: properties", () => {
  it("never repeats a pair or double-books anyone, keeps competitors apart, accounts for everyone", () => {
    fc.assert(
      fc.property(eventArb(16), fc.integer({ min: 1, max: 5 }), (attendees, rounds) => {
        const byId = new Map(attendees.map((a) => [a.id, a]))
        for (const planner of [Introductions.plan, Introductions.greedy]) {
          const plan = planner({ attendees, rounds })
          expect(plan.rounds).toHaveLength(rounds)
          const met = new Set<string>()
          for (const round of plan.rounds) {
            const busy = new Set<string>()
            for (const pair of round.pairs) {
              expect(met.has(key(pair.a, pair.b))).toBe(false)
              met.add(key(pair.a, pair.b))
              expect(busy.has(pair.a) || busy.has(pair.b)).toBe(false)
              busy.add(pair.a)
              busy.add(pair.b)
              const [a, b] = [byId.get(pair.a)!, byId.get(pair.b)!]
              if (Introductions.competitors(a.profession, b.profession)) {
                expect(a.wantsPeers && b.wantsPeers).toBe(true)
              }
              expect(pair.fit).toBeGreaterThan(0)
              expect(pair.fit).toBe(Introductions.fit(a, b)?.fit)
            }
            for (const s of round.sittingOut) {
              expect(busy.has(s.attendee)).toBe(false)
              busy.add(s.attendee)
            }
            expect(busy.size).toBe(attendees.length)
            expect(round.totalFit).toBe(round.pairs.reduce((s, p) => s + p.fit, 0))
          }
        }
      })
    )
  })

  it("every round has the best total fit of its graph, never below greedy on the same graph", () => {
    fc.assert(
      fc.property(eventArb(14), fc.integer({ min: 1, max: 4 }), (attendees, rounds) => {
        const plan = Introductions.plan({ attendees, rounds })
        const index = new Map(attendees.map((a, i) => [a.id, i]))
        const all = Introductions.candidates(attendees)
        const met = new Set<string>()
        for (const round of plan.rounds) {
          const edges = all
            .filter((c) => !met.has(key(c.a, c.b)))
            .map((c) => ({ u: index.get(c.a)!, v: index.get(c.b)!, weight: c.fit.fit }))
          const optimum = Introductions.matchingWeight(
            Introductions.maxWeightMatching(attendees.length, edges),
            edges
          )
          const greedy = Introductions.matchingWeight(
            Introductions.greedyMatching(attendees.length, edges),
            edges
          )
          expect(round.totalFit).toBe(optimum)
          expect(round.totalFit).toBeGreaterThanOrEqual(greedy)
          for (const p of round.pairs) met.add(key(p.a, p.b))
        }
      })
    )
  })

  it("matches brute force on the first round of small events", () => {
    fc.assert(
      fc.property(eventArb(10), (attendees) => {
        const n = attendees.length
        const weight = Array.from({ length: n }, () => new Array<number>(n).fill(0))
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (i !== j) weight[i]![j] = Introductions.fit(attendees[i]!, attendees[j]!)?.fit ?? 0
          }
        }
        expect(Introductions.plan({ attendees, rounds: 1 }).totalFit).toBe(bruteForce(n, weight))
      })
    )
  })

  it("is strictly better than greedy on some generated events", () => {
    const events = fc.sample(eventArb(16), { seed: 20260630, numRuns: 300 })
    let better = 0
    for (const attendees of events) {
      const best = Introductions.plan({ attendees, rounds: 1 }).totalFit
      const greedy = Introductions.greedy({ attendees, rounds: 1 }).totalFit
      expect(best).toBeGreaterThanOrEqual(greedy)
      if (best > greedy) better++
    }
    expect(better).toBeGreaterThan(0)
  })
})
