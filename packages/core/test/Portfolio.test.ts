import { Matrix, Portfolio, Progression } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

/** A partner with referrals flowing both ways in the last months: active. */
const activeBook = (id: string, alignment = 0.9) => ({
  partner: partner(id, { alignment }),
  referrals: [
    referral(`${id}-g`, id, "given", daysFrom(today, -20)),
    referral(`${id}-r`, id, "received", daysFrom(today, -10))
  ]
})

const assemble = (
  ...parts: Array<{
    partner: ReturnType<typeof partner>
    referrals?: Array<ReturnType<typeof referral>>
    interactions?: Array<ReturnType<typeof interaction>>
  }>
) => ({
  partners: parts.map((p) => p.partner),
  referrals: parts.flatMap((p) => p.referrals ?? []),
  interactions: parts.flatMap((p) => p.interactions ?? []),
  asOf: today
})

describe("Portfolio.assess", () => {
  it("counts partnerships Progression calls active, against 5..10", () => {
    const book = assemble(...["a", "b", "c", "d", "e", "f"].map((id) => activeBook(id)))
    const report = Portfolio.assess(book)
    expect(report).toMatchObject({
      status: "in-range",
      active: 6,
      range: { min: 5, max: 10 },
      invest: [],
      letGo: []
    })
    expect(report.message).toBe("6 active partnerships: within the healthy 5 to 10.")
  })

  it("below the range, ranks the opportunities to invest in: those already sending clients first", () => {
    const book = assemble(
      activeBook("a"),
      activeBook("b"),
      { partner: partner("low", { alignment: 0.9, createdAt: daysFrom(today, -30) }) },
      { partner: partner("high", { alignment: 1, createdAt: daysFrom(today, -30) }) },
      {
        partner: partner("sender", { alignment: 0.6 }),
        referrals: [referral("s1", "sender", "received", daysFrom(today, -40))]
      },
      {
        partner: partner("met", { alignment: 0.9, createdAt: daysFrom(today, -30) }),
        interactions: [interaction("m1", "met", "one-on-one", daysFrom(today, -5))]
      },
      { partner: partner("casual") },
      { partner: partner("gone", { alignment: 1, stage: "not-a-fit" }) }
    )
    const report = Portfolio.assess(book)
    expect(report.status).toBe("too-few")
    expect(report.active).toBe(2)
    expect(report.invest.map((i) => i.partnerId)).toEqual(["sender", "high", "met", "low"])
    expect(report.invest[0]).toMatchObject({
      quadrant: "opportunity",
      received: 1,
      stage: "identified",
      next: "give-first"
    })
    expect(report.message).toBe(
      "2 active partnerships, below the healthy 5 to 10: invest in your opportunities, starting with Partner sender, Partner high, Partner met."
    )
  })

  it("above the range, lists the casual relationships that cost the most time for the least flow", () => {
    const chatty = (id: string, interactions: number, referrals: number) => ({
      partner: partner(id, { alignment: 0.1 }),
      interactions: Array.from({ length: interactions }, (_, i) =>
        interaction(`${id}-x${i}`, id, "event", daysFrom(today, -5 - i))
      ),
      referrals: Array.from({ length: referrals }, (_, i) =>
        referral(`${id}-r${i}`, id, "received", daysFrom(today, -50 - i))
      )
    })
    const book = assemble(
      ...["a", "b", "c"].map((id) => activeBook(id)),
      chatty("talker", 12, 1),
      chatty("quiet", 1, 0),
      chatty("busy", 6, 0),
      chatty("giver", 3, 3), // generous, not casual: 3 received + the activity threshold 3 below
      { partner: partner("silent", { alignment: 0.1 }) }
    )
    const report = Portfolio.assess({ ...book, thresholds: { activity: 3 }, options: { min: 1, max: 2 } })
    expect(report.status).toBe("too-many")
    expect(report.active).toBe(3)
    expect(report.letGo.map((c) => [c.partnerId, c.interactions, c.referrals])).toEqual([
      ["talker", 12, 1],
      ["busy", 6, 0],
      ["quiet", 1, 0]
    ])
    expect(report.letGo[0]!.reason).toBe("Partner talker: casual; 12 interactions for 1 referral in 365 days")
    expect(report.invest).toEqual([])
  })

  it("throws InvalidInput for a range that is not one", () => {
    const run = (options: Portfolio.Options) => () => Portfolio.assess({ ...assemble(), options })
    expect(run({ min: 11, max: 10 })).toThrow(/options.min/)
    expect(run({ max: -1 })).toThrow(/options.max/)
    expect(run({ min: 1.5 })).toThrow(/options.min/)
  })
})

describe("Portfolio properties", () => {
  const rangeArb = fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }))
    .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }))

  it("the active count is Progression's, the status follows the range, and only the matching list is filled", () => {
    fc.assert(
      fc.property(bookArb(), rangeArb, (book, range) => {
        const report = Portfolio.assess({ ...book, options: range })
        const active = Progression.infer(book).filter((r) => r.stage === "active")
        expect(report.active).toBe(active.length)
        expect(report.activePartners.map((m) => m.partnerId)).toEqual(active.map((r) => r.partnerId))
        expect(report.status).toBe(
          active.length < range.min ? "too-few" : active.length > range.max ? "too-many" : "in-range"
        )
        if (report.status !== "too-few") expect(report.invest).toEqual([])
        if (report.status !== "too-many") expect(report.letGo).toEqual([])
      })
    )
  })

  it("invests only in high-alignment partners not yet active, lets go only of casual ones, never not-a-fit", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const placements = new Map(Matrix.build(book).map((p) => [p.partnerId as string, p]))
        const stages = new Map(Progression.infer(book).map((r) => [r.partnerId as string, r.stage]))
        const few = Portfolio.assess({ ...book, options: { min: 100, max: 100 } })
        for (const i of few.invest) {
          expect(["core", "opportunity"]).toContain(placements.get(i.partnerId)!.quadrant)
          expect(["active", "not-a-fit"]).not.toContain(stages.get(i.partnerId))
        }
        for (let k = 1; k < few.invest.length; k++) {
          expect(few.invest[k - 1]!.received).toBeGreaterThanOrEqual(few.invest[k]!.received)
        }
        const many = Portfolio.assess({ ...book, options: { min: 0, max: 0 } })
        for (const c of many.letGo) {
          expect(placements.get(c.partnerId)!.quadrant).toBe("casual")
          expect(stages.get(c.partnerId)).not.toBe("not-a-fit")
          expect(c.interactions).toBeGreaterThan(0)
        }
        for (let k = 1; k < many.letGo.length; k++) {
          const [a, b] = [many.letGo[k - 1]!, many.letGo[k]!]
          expect(a.interactions / (a.referrals + 1)).toBeGreaterThanOrEqual(
            b.interactions / (b.referrals + 1)
          )
        }
      })
    )
  })
})
