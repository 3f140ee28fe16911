import { Arbitrary, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { Book, IdealClientProfile, Matrix, Partner, Profile, Referral } from "../src/index.js"

const DAY = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const daysAgo = (days: number): Date => new Date(asOf.getTime() - days * DAY)

const partner = (id: string, fields: Partial<ConstructorParameters<typeof Partner.Partner>[0]> = {}) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book: Book.defaultBookId,
    name: `Partner ${id}`,
    profession: "cpa" as Partner.Partner["profession"],
    kind: "complementary",
    stage: "active",
    tags: [],
    notes: "",
    createdAt: new Date("2025-01-01"),
    revision: 0,
    ...fields
  })

let seq = 0
const referral = (partnerId: string, direction: Referral.Direction, date: Date) =>
  Referral.Referral.make({
    id: Referral.ReferralId.make(`r${seq++}`),
    book: Book.defaultBookId,
    partnerId: Partner.PartnerId.make(partnerId),
    direction,
    client: "client",
    date,
    status: "introduced",
    revision: 0
  })

const expectInvalidInput = (f: () => unknown, field: string) => {
  let caught: unknown
  try {
    f()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(Error)
  expect((caught as { _tag?: unknown })._tag).toBe("InvalidInput")
  expect((caught as Error).message).toContain(field)
}

// ---------------------------------------------------------------------------------------------
// Arbitraries, generated from the Schemas: partners get ids from a small pool so that
// referrals hit them, and referral dates cluster around asOf so that windows matter.

const ids = ["a", "b", "c", "d", "e", "f", "g", "h"]

const partnersArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...ids), Arbitrary.make(Partner.Partner)), {
    selector: ([id]) => id,
    maxLength: ids.length
  })
  .map((xs) => xs.map(([id, p]) => Partner.Partner.make({ ...p, id: Partner.PartnerId.make(id) })))

const asOfArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2050, 0, 1) }).map((t) => new Date(t))

/** A referral for one of the pool's ids (or a stranger), `offsetMs` from `asOf` (negative: before). */
const referralNear = (at: Date, minOffsetDays: number, maxOffsetDays: number) =>
  fc
    .tuple(
      Arbitrary.make(Referral.Referral),
      fc.constantFrom(...ids, "stranger"),
      fc.integer({ min: minOffsetDays * DAY, max: maxOffsetDays * DAY })
    )
    .map(([r, id, offset]) =>
      Referral.Referral.make({
        ...r,
        partnerId: Partner.PartnerId.make(id),
        date: new Date(at.getTime() + offset)
      })
    )

const thresholdsArb = fc.record(
  {
    alignment: fc.double({ min: 0, max: 1, noNaN: true }),
    activity: fc.integer({ min: 0, max: 12 })
  },
  { requiredKeys: [] }
)

const profileArb = fc.option(Arbitrary.make(Profile.Profile), { nil: undefined })

const rank: Record<Matrix.Quadrant, number> = { casual: 0, opportunity: 0, generous: 1, core: 1 }

describe("Matrix.classify (API.md examples)", () => {
  it("0.8 alignment and 1 referral is an opportunity", () => {
    expect(Matrix.classify({ alignment: 0.8, activity: 1 })).toBe("opportunity")
  })

  it("with an activity threshold of 1 the same point is core", () => {
    expect(Matrix.classify({ alignment: 0.8, activity: 1 }, { activity: 1 })).toBe("core")
  })

  it("places each combination in its quadrant with the default thresholds (0.5, 4)", () => {
    expect(Matrix.classify({ alignment: 0.9, activity: 6 })).toBe("core")
    expect(Matrix.classify({ alignment: 0.9, activity: 3 })).toBe("opportunity")
    expect(Matrix.classify({ alignment: 0.2, activity: 6 })).toBe("generous")
    expect(Matrix.classify({ alignment: 0.2, activity: 3 })).toBe("casual")
  })

  it("a value equal to its threshold is high", () => {
    expect(Matrix.classify({ alignment: 0.5, activity: 4 })).toBe("core")
    expect(Matrix.classify({ alignment: 0.5, activity: 3 })).toBe("opportunity")
    expect(Matrix.classify({ alignment: 0.49, activity: 4 })).toBe("generous")
    expect(Matrix.classify({ alignment: 0, activity: 0 })).toBe("casual")
    expect(Matrix.classify({ alignment: 1, activity: 0 }, { alignment: 1, activity: 0 })).toBe("core")
  })

  it("throws InvalidInput naming the field for NaN", () => {
    expectInvalidInput(() => Matrix.classify({ alignment: Number.NaN, activity: 1 }), "alignment")
    expectInvalidInput(() => Matrix.classify({ alignment: 0.5, activity: Number.NaN }), "activity")
  })

  it("throws InvalidInput naming the field for infinite values", () => {
    expectInvalidInput(
      () => Matrix.classify({ alignment: Number.POSITIVE_INFINITY, activity: 1 }),
      "alignment"
    )
    expectInvalidInput(
      () => Matrix.classify({ alignment: 0.5, activity: Number.POSITIVE_INFINITY }),
      "activity"
    )
    expectInvalidInput(
      () => Matrix.classify({ alignment: 0.5, activity: Number.NEGATIVE_INFINITY }),
      "activity"
    )
  })

  it("throws InvalidInput naming the field for alignment outside 0..1", () => {
    expectInvalidInput(() => Matrix.classify({ alignment: 1.01, activity: 1 }), "alignment")
    expectInvalidInput(() => Matrix.classify({ alignment: -0.01, activity: 1 }), "alignment")
  })

  it("throws InvalidInput naming the field for negative activity", () => {
    expectInvalidInput(() => Matrix.classify({ alignment: 0.5, activity: -1 }), "activity")
  })

  it("throws InvalidInput for invalid thresholds", () => {
    expectInvalidInput(
      () => Matrix.classify({ alignment: 0.5, activity: 1 }, { alignment: 2 }),
      "thresholds.alignment"
    )
    expectInvalidInput(
      () => Matrix.classify({ alignment: 0.5, activity: 1 }, { activity: -1 }),
      "thresholds.activity"
    )
    expectInvalidInput(
      () => Matrix.classify({ alignment: 0.5, activity: 1 }, { activity: Number.NaN }),
      "thresholds.activity"
    )
  })

  it("the error is an InvalidInput instance with the field", () => {
    try {
      Matrix.classify({ alignment: 3, activity: 1 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(Error)
      expect(e).toMatchObject({ _tag: "InvalidInput", field: "alignment" })
    }
  })
})

describe("Matrix.classify (properties)", () => {
  const pointArb = fc.record({
    alignment: fc.double({ min: 0, max: 1, noNaN: true }),
    activity: fc.integer({ min: 0, max: 1000 })
  })

  it("returns one of the four quadrants for every valid point", () => {
    fc.assert(
      fc.property(pointArb, thresholdsArb, (point, thresholds) => {
        expect(Matrix.quadrants).toContain(Matrix.classify(point, thresholds))
      })
    )
  })

  it("more activity never lowers the quadrant (core stays core, generous stays generous)", () => {
    fc.assert(
      fc.property(pointArb, fc.integer({ min: 0, max: 1000 }), thresholdsArb, (point, more, thresholds) => {
        const before = Matrix.classify(point, thresholds)
        const after = Matrix.classify({ ...point, activity: point.activity + more }, thresholds)
        expect(rank[after]).toBeGreaterThanOrEqual(rank[before])
        if (before === "core") expect(after).toBe("core")
        if (before === "generous") expect(after).toBe("generous")
        // Alignment is the other axis: activity never moves a partner across it.
        expect(after === "core" || after === "opportunity").toBe(
          before === "core" || before === "opportunity"
        )
      })
    )
  })

  it("the threshold boundary is high on both axes", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (alignment, activity) => {
          expect(Matrix.classify({ alignment, activity }, { alignment, activity })).toBe("core")
          if (activity > 0) {
            expect(Matrix.classify({ alignment, activity: activity - 1 }, { alignment, activity })).toBe(
              "opportunity"
            )
          }
        }
      )
    )
  })

  it("rejects every invalid point with InvalidInput, never a quadrant", () => {
    const bad = fc.oneof(
      fc.record({
        alignment: fc.oneof(
          fc.constant(Number.NaN),
          fc.constant(Number.POSITIVE_INFINITY),
          fc.double({ min: 1, noNaN: true, minExcluded: true }),
          fc.double({ max: -Number.MIN_VALUE, noNaN: true })
        ),
        activity: fc.nat()
      }),
      fc.record({
        alignment: fc.double({ min: 0, max: 1, noNaN: true }),
        activity: fc.oneof(
          fc.constant(Number.NaN),
          fc.constant(Number.POSITIVE_INFINITY),
          fc.double({ max: -Number.MIN_VALUE, noNaN: true })
        )
      })
    )
    fc.assert(
      fc.property(bad, (point) => {
        const field =
          Number.isFinite(point.alignment) && point.alignment >= 0 && point.alignment <= 1
            ? "activity"
            : "alignment"
        expectInvalidInput(() => Matrix.classify(point), field)
      })
    )
  })
})

describe("Matrix.build (properties)", () => {
  const inputArb = asOfArb.chain((at) =>
    fc.record({
      asOf: fc.constant(at),
      partners: partnersArb,
      referrals: fc.array(referralNear(at, -500, 30), { maxLength: 60 }),
      thresholds: thresholdsArb,
      profile: profileArb
    })
  )

  it("gives every partner exactly one quadrant, in the order of the partners", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const placements = Matrix.build(input)
        expect(placements.map((p) => p.partnerId)).toEqual(input.partners.map((p) => p.id))
        for (const p of placements) {
          expect(Matrix.quadrants).toContain(p.quadrant)
          expect(p.activity).toBe(p.given + p.received)
          expect(p.quadrant).toBe(
            Matrix.classify({ alignment: p.alignment ?? 0, activity: p.activity }, input.thresholds)
          )
          expect(p.actions).toEqual(Matrix.actions[p.quadrant])
          expect(p.reasons).toHaveLength(2)
        }
        const grouped = Matrix.byQuadrant(placements)
        expect(Matrix.quadrants.reduce((n, q) => n + grouped[q].length, 0)).toBe(placements.length)
      })
    )
  })

  it("counts exactly the partner's referrals dated in (asOf - 365 days, asOf]", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const from = input.asOf.getTime() - 365 * DAY
        for (const p of Matrix.build(input)) {
          const mine = input.referrals.filter(
            (r) =>
              r.partnerId === p.partnerId &&
              r.date.getTime() > from &&
              r.date.getTime() <= input.asOf.getTime()
          )
          expect(p.given).toBe(mine.filter((r) => r.direction === "given").length)
          expect(p.received).toBe(mine.filter((r) => r.direction === "received").length)
        }
      })
    )
  })

  it("more referrals in the window never lower a partner's quadrant", () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(fc.constant(input), fc.array(referralNear(input.asOf, -364, 0), { maxLength: 20 }))
        ),
        ([input, extra]) => {
          const before = Matrix.build(input)
          const after = Matrix.build({ ...input, referrals: [...input.referrals, ...extra] })
          before.forEach((b, i) => {
            const a = after[i]!
            expect(a.activity).toBeGreaterThanOrEqual(b.activity)
            expect(rank[a.quadrant]).toBeGreaterThanOrEqual(rank[b.quadrant])
            if (b.quadrant === "core") expect(a.quadrant).toBe("core")
            if (b.quadrant === "generous") expect(a.quadrant).toBe("generous")
          })
        }
      )
    )
  })

  it("referrals outside the window or after asOf change nothing", () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.array(
              fc.oneof(
                // after asOf (by at least a millisecond)
                referralNear(input.asOf, 0, 400).map((r) =>
                  Referral.Referral.make({ ...r, date: new Date(r.date.getTime() + 1) })
                ),
                // at or before the start of the window
                referralNear(input.asOf, -3000, -365)
              ),
              { maxLength: 30 }
            ),
            fc.nat({ max: 1000 })
          )
        ),
        ([input, outside, at]) => {
          const mixed = [...input.referrals]
          for (const [k, r] of outside.entries()) mixed.splice((at + k) % (mixed.length + 1), 0, r)
          expect(Matrix.build({ ...input, referrals: mixed })).toEqual(Matrix.build(input))
        }
      )
    )
  })

  it("referrals of partners not in the list change nothing", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const strangers = input.referrals.map((r) =>
          Referral.Referral.make({ ...r, partnerId: Partner.PartnerId.make(`stranger-${r.partnerId}`) })
        )
        expect(Matrix.build({ ...input, referrals: [...input.referrals, ...strangers] })).toEqual(
          Matrix.build(input)
        )
      })
    )
  })

  it("the order of the referrals does not matter", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(Matrix.build({ ...input, referrals: [...input.referrals].reverse() })).toEqual(
          Matrix.build(input)
        )
      })
    )
  })

  it("a manual alignment wins over the ideal client profiles", () => {
    fc.assert(
      fc.property(
        Arbitrary.make(Partner.Partner),
        Arbitrary.make(Profile.Profile),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p, profile, alignment) => {
          const [placement] = Matrix.build({
            partners: [Partner.Partner.make({ ...p, alignment })],
            referrals: [],
            asOf,
            profile
          })
          expect(placement!.alignment).toBe(alignment)
          expect(placement!.alignmentSource).toBe("manual")
        }
      )
    )
  })
})

describe("Matrix.build (examples)", () => {
  const estatePlanning = IdealClientProfile.make(
    "Business owners in South Florida planning to sell their company",
    {
      regions: ["South Florida"],
      clientTypes: ["business owners", "families"],
      lifeEvents: ["business sale"]
    }
  )
  const owner = Profile.Profile.make({
    book: Book.defaultBookId,
    name: "Ana Estate",
    profession: "estate-planning-attorney" as Profile.Profile["profession"],
    idealClient: estatePlanning,
    revision: 0
  })

  it("places the four quadrants with reasons and the seed's actions", () => {
    const partners = [
      partner("core", { alignment: 0.9 }),
      partner("opp", { alignment: 0.7 }),
      partner("gen", { alignment: 0.2 }),
      partner("cas", { alignment: 0.1 })
    ]
    const referrals = [
      referral("core", "given", daysAgo(10)),
      referral("core", "received", daysAgo(40)),
      referral("core", "given", daysAgo(100)),
      referral("core", "received", daysAgo(200)),
      referral("opp", "given", daysAgo(30)),
      ...[5, 50, 150, 250, 300].map((d) => referral("gen", "received", daysAgo(d))),
      referral("cas", "received", daysAgo(400))
    ]
    const placements = Matrix.build({ partners, referrals, asOf })
    expect(placements.map((p) => p.quadrant)).toEqual(["core", "opportunity", "generous", "casual"])
    const [core, opp, gen, cas] = placements
    expect(core).toMatchObject({
      activity: 4,
      given: 2,
      received: 2,
      alignment: 0.9,
      alignmentSource: "manual"
    })
    expect(core!.reasons).toEqual([
      "alignment 0.90 (set by hand) is high: >= 0.50",
      "activity 4 (2 given, 2 received in 365 days) is high: >= 4"
    ])
    expect(core!.actions).toContain("Never let a referral go without a thank-you.")
    expect(opp!.reasons[1]).toBe("activity 1 (1 given, 0 received in 365 days) is low: < 4")
    expect(opp!.actions).toContain("Give a referral first.")
    expect(gen).toMatchObject({ activity: 5, given: 0, received: 5 })
    expect(gen!.actions).toContain("Reciprocate when you can.")
    expect(cas).toMatchObject({ activity: 0 })
  })

  it("the window is (asOf - windowDays, asOf]: the start is excluded, asOf included", () => {
    const referrals = [
      referral("a", "given", asOf),
      referral("a", "given", daysAgo(365)),
      referral("a", "given", new Date(daysAgo(365).getTime() + 1)),
      referral("a", "given", new Date(asOf.getTime() + 1))
    ]
    const [p] = Matrix.build({ partners: [partner("a", { alignment: 1 })], referrals, asOf })
    expect(p!.given).toBe(2)
    const [q] = Matrix.build({ partners: [partner("a", { alignment: 1 })], referrals, asOf, windowDays: 30 })
    expect(q!.given).toBe(1)
  })

  it("computes alignment from two ideal client profiles when no manual value is set", () => {
    const cpa = partner("cpa", {
      idealClient: IdealClientProfile.make("Owner-managed businesses in South Florida", {
        regions: ["south florida"],
        clientTypes: ["Business Owners"],
        industries: ["retail"]
      })
    })
    const [p] = Matrix.build({ partners: [cpa], referrals: [], asOf, profile: owner })
    // regions: 1/1, clientTypes: 1/2; industries and lifeEvents are filled on one side only.
    expect(p!.alignment).toBeCloseTo(0.75)
    expect(p!.alignmentSource).toBe("ideal-client")
    expect(p!.quadrant).toBe("opportunity")
    expect(p!.reasons[0]).toBe("alignment 0.75 (from ideal client profiles) is high: >= 0.50")
  })

  it("says alignment unknown without a manual value or two ideal client profiles, and judges it low", () => {
    const withProfile = partner("x", { idealClient: estatePlanning })
    const noFacetsShared = partner("y", {
      idealClient: IdealClientProfile.make("Tech startups", { industries: ["tech"] })
    })
    const placements = Matrix.build({
      partners: [partner("bare"), withProfile, noFacetsShared],
      referrals: [...[1, 2, 3, 4].map((d) => referral("bare", "received", daysAgo(d)))],
      asOf
    })
    expect(placements.map((p) => p.alignmentSource)).toEqual(["unknown", "unknown", "unknown"])
    expect(placements.map((p) => p.alignment)).toEqual([null, null, null])
    expect(placements[0]!.quadrant).toBe("generous")
    expect(placements[1]!.quadrant).toBe("casual")
    for (const p of placements) expect(p.reasons[0]).toContain("alignment unknown")
    // With the owner's profile, x aligns fully; y shares no filled facet and stays unknown.
    const withOwner = Matrix.build({
      partners: [withProfile, noFacetsShared],
      referrals: [],
      asOf,
      profile: owner
    })
    expect(withOwner.map((p) => p.alignment)).toEqual([1, null])
    expect(withOwner[1]!.reasons[0]).toContain("alignment unknown")
  })

  it("rejects invalid input with InvalidInput", () => {
    expectInvalidInput(
      () => Matrix.build({ partners: [], referrals: [], asOf: new Date(Number.NaN) }),
      "asOf"
    )
    expectInvalidInput(() => Matrix.build({ partners: [], referrals: [], asOf, windowDays: 0 }), "windowDays")
    expectInvalidInput(
      () => Matrix.build({ partners: [], referrals: [], asOf, thresholds: { alignment: -1 } }),
      "thresholds.alignment"
    )
  })

  it("place() with a store's counts agrees with build()", () => {
    const p = partner("a", { alignment: 0.6 })
    const referrals = [referral("a", "given", daysAgo(3)), referral("a", "received", daysAgo(4))]
    expect(Matrix.place(p, { given: 1, received: 1 })).toEqual(
      Matrix.build({ partners: [p], referrals, asOf })[0]
    )
  })
})
