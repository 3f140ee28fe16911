import { type Matrix, Outreach } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, DAY, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

const ids = (picks: ReadonlyArray<Outreach.Pick>) => picks.map((p) => p.partnerId as string)

describe("Outreach.weekStart", () => {
  it("is the Monday 00:00 UTC of the ISO week", () => {
    // 2026-03-02 is a Monday; 2026-03-08 the Sunday of the same ISO week.
    for (const day of ["2026-03-02T00:00:00Z", "2026-03-04T12:00:00Z", "2026-03-08T23:59:59.999Z"]) {
      expect(Outreach.weekStart(new Date(day))).toEqual(new Date("2026-03-02T00:00:00.000Z"))
    }
    expect(Outreach.weekStart(new Date("2026-03-01T23:59:59Z"))).toEqual(new Date("2026-02-23T00:00:00.000Z"))
    expect(Outreach.weekStart(new Date("1969-12-31T10:00:00Z"))).toEqual(new Date("1969-12-29T00:00:00.000Z"))
  })

  it("is a Monday at or before the date, less than a week before it", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("9999-12-24"), noInvalidDate: true }),
        (d) => {
          const start = Outreach.weekStart(d)
          expect(start.getUTCDay()).toBe(1)
          expect(((start.getTime() % DAY) + DAY) % DAY).toBe(0)
          expect(d.getTime() - start.getTime()).toBeGreaterThanOrEqual(0)
          expect(d.getTime() - start.getTime()).toBeLessThan(7 * DAY)
        }
      )
    )
  })
})

describe("Outreach.plan", () => {
  const contacted = (id: string, daysAgo: number) =>
    interaction(`x-${id}`, id, "check-in", daysFrom(today, -daysAgo))

  it("picks the least recently touched partners first, two by default", () => {
    const partners = ["a", "b", "c", "d"].map((id) => partner(id))
    const picks = Outreach.plan({
      partners,
      referrals: [referral("r1", "c", "received", daysFrom(today, -200))],
      // The latest contact (a, 5 days ago) was last week: this week starts a new pass at the top.
      interactions: [contacted("a", 5), contacted("b", 100), contacted("d", 50)],
      weekOf: today
    })
    expect(ids(picks)).toEqual(["c", "b"])
    expect(picks[0]!.lastContactAt).toEqual(daysFrom(today, -200))
    expect(picks[0]!.reason).toMatch(/^Last contact with Partner c on \d{4}-\d\d-\d\d/)
  })

  it("weights core and opportunity partners before generous and casual ones", () => {
    const partners = [partner("casual"), partner("opportunity", { alignment: 0.9 })]
    // At the start of the pass (Monday), the opportunity partner was last touched 3.5 days
    // before, the casual one 5.5 days before.
    const interactions = [contacted("casual", 8), contacted("opportunity", 6)]
    const plan = (weights?: Partial<Record<Matrix.Quadrant, number>>) =>
      ids(
        Outreach.plan({
          partners,
          referrals: [],
          interactions,
          weekOf: today,
          perWeek: 1,
          ...(weights === undefined ? {} : { weights })
        })
      )
    // 3.5 days x2 outweighs 5.5 days x1 ...
    expect(plan()).toEqual(["opportunity"])
    // ... but not with equal weights.
    expect(plan({ opportunity: 1 })).toEqual(["casual"])
  })

  it("a partner never touched counts from when it was added, and has no last contact", () => {
    const picks = Outreach.plan({
      partners: [
        partner("old", { createdAt: daysFrom(today, -300) }),
        partner("new", { createdAt: daysFrom(today, -3) })
      ],
      referrals: [],
      interactions: [contacted("new", 2)],
      weekOf: today,
      perWeek: 1
    })
    expect(picks).toMatchObject([{ partnerId: "old", lastContactAt: null }])
    expect(picks[0]!.reason).toMatch(/^No contact logged with Partner old since they were added on/)
  })

  it("never picks a partner marked not-a-fit, however stale", () => {
    const picks = Outreach.plan({
      partners: [partner("gone", { stage: "not-a-fit", createdAt: daysFrom(today, -3000) }), partner("a")],
      referrals: [],
      interactions: [contacted("a", 1)],
      weekOf: today
    })
    expect(ids(picks)).toEqual(["a"])
  })

  it("touches logged during the week do not change that week's plan", () => {
    const partners = ["a", "b", "c"].map((id) => partner(id))
    const base = [contacted("a", 40), contacted("b", 30), contacted("c", 5)]
    const monday = Outreach.weekStart(today)
    const plan = (interactions: typeof base) =>
      ids(Outreach.plan({ partners, referrals: [], interactions, weekOf: today, perWeek: 1 }))
    expect(plan(base)).toEqual(["a"])
    expect(plan([...base, interaction("late", "a", "check-in", monday)])).toEqual(["a"])
  })

  it("quiet weeks move the rotation on; a new contact starts a new pass at the stalest partner", () => {
    const partners = ["a", "b", "c", "d", "e"].map((id) => partner(id))
    const interactions = [
      contacted("a", 50),
      contacted("b", 40),
      contacted("c", 30),
      contacted("d", 20),
      contacted("e", 5)
    ]
    const week = (n: number, xs = interactions) =>
      Outreach.rotation({
        partners,
        referrals: [],
        interactions: xs,
        weekOf: daysFrom(today, 7 * n),
        perWeek: 2
      })
    expect(week(0)).toMatchObject({ weeks: 3, week: 0, startedAt: Outreach.weekStart(today) })
    expect([0, 1, 2, 3].map((n) => ids(week(n).picks))).toEqual([["a", "b"], ["c", "d"], ["e"], ["a", "b"]])
    // You reach out to a and b in week 0: week 1 starts a new pass, where they come last.
    const followed = [
      ...interactions,
      interaction("y1", "a", "outreach", daysFrom(today, 1)),
      interaction("y2", "b", "outreach", daysFrom(today, 1))
    ]
    const order = ids(week(1, followed).order)
    expect(order.slice(0, 3)).toEqual(["c", "d", "e"])
    // a and b were touched at the same moment: a hash of the week and the id decides between them.
    expect(order.slice(3).sort()).toEqual(["a", "b"])
    expect(ids(week(1, followed).picks)).toEqual(["c", "d"])
  })

  it("throws InvalidInput for a bad perWeek, weight or date", () => {
    const run = (input: Partial<Outreach.Input>) => () =>
      Outreach.plan({ partners: [], referrals: [], interactions: [], weekOf: today, ...input })
    expect(run({ perWeek: 0 })).toThrow(/perWeek/)
    expect(run({ perWeek: 1.5 })).toThrow(/perWeek/)
    expect(run({ weights: { core: -1 } })).toThrow(/weights.core/)
    expect(run({ weekOf: new Date(Number.NaN) })).toThrow(/weekOf/)
  })
})

/** A book and a first week that starts after every touch and every partner's creation. */
const quietArb = fc.record({
  book: bookArb({ maxPartners: 15 }),
  weeksLater: fc.integer({ min: 0, max: 120 }),
  hour: fc.integer({ min: 0, max: 7 * 24 - 1 }),
  perWeek: fc.integer({ min: 1, max: 4 }),
  weights: fc.option(
    fc.record({
      core: fc.integer({ min: 0, max: 4 }),
      opportunity: fc.integer({ min: 0, max: 4 }),
      generous: fc.integer({ min: 0, max: 4 }),
      casual: fc.integer({ min: 0, max: 4 })
    }),
    { nil: undefined }
  )
})

const inputOf = ({ book, hour, perWeek, weeksLater, weights }: Quiet) => ({
  partners: book.partners,
  referrals: book.referrals,
  interactions: book.interactions,
  // bookArb dates touches up to 20 days, and creations up to 60 days, after asOf.
  weekOf: new Date(
    Outreach.weekStart(daysFrom(book.asOf, 68)).getTime() + weeksLater * 7 * DAY + hour * 3_600_000
  ),
  perWeek,
  ...(weights === undefined ? {} : { weights })
})
type Quiet = typeof quietArb extends fc.Arbitrary<infer A> ? A : never

describe("Outreach properties", () => {
  it("never picks not-a-fit, picks at most perWeek, and orders every eligible partner once", () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -400, max: 400 }),
        (book, perWeek, d) => {
          const r = Outreach.rotation({ ...book, weekOf: daysFrom(book.asOf, d), perWeek })
          const eligible = book.partners.filter((p) => p.stage !== "not-a-fit").map((p) => p.id as string)
          expect(r.picks.length).toBeLessThanOrEqual(perWeek)
          expect(r.picks.every((p) => eligible.includes(p.partnerId))).toBe(true)
          expect(ids(r.order).sort()).toEqual([...eligible].sort())
          expect(r.weeks).toBe(Math.ceil(eligible.length / perWeek))
          for (let i = 1; i < r.order.length; i++) {
            expect(r.order[i - 1]!.staleness).toBeGreaterThanOrEqual(r.order[i]!.staleness)
          }
        }
      )
    )
  })

  it("is deterministic: the same book and week give the same plan, whatever the moment and the input order", () => {
    fc.assert(
      fc.property(bookArb(), fc.integer({ min: -400, max: 400 }), fc.nat(7 * 24 - 1), (book, d, hour) => {
        const monday = Outreach.weekStart(daysFrom(book.asOf, d))
        const plan = Outreach.plan({ ...book, weekOf: monday })
        expect(Outreach.plan({ ...book, weekOf: new Date(monday.getTime() + hour * 3_600_000) })).toEqual(
          plan
        )
        const shuffled = {
          partners: [...book.partners].reverse(),
          referrals: [...book.referrals].reverse(),
          interactions: [...book.interactions].reverse()
        }
        expect(Outreach.plan({ ...shuffled, weekOf: monday })).toEqual(plan)
      })
    )
  })

  it("with no new touches, any ceil(eligible / perWeek) consecutive weeks reach every eligible partner exactly once", () => {
    fc.assert(
      fc.property(quietArb, (quiet) => {
        const input = inputOf(quiet)
        const eligible = quiet.book.partners.filter((p) => p.stage !== "not-a-fit").map((p) => p.id as string)
        const weeks = Math.ceil(eligible.length / quiet.perWeek)
        const reached: Array<string> = []
        for (let w = 0; w < weeks; w++) {
          reached.push(...ids(Outreach.plan({ ...input, weekOf: daysFrom(input.weekOf, 7 * w) })))
        }
        expect(reached.sort()).toEqual([...eligible].sort())
      })
    )
  })

  it("with equal weights, contacting each week's picks reaches every eligible partner within ceil(eligible / perWeek) weeks", () => {
    fc.assert(
      fc.property(quietArb, (quiet) => {
        const input = { ...inputOf(quiet), weights: { core: 1, opportunity: 1, generous: 1, casual: 1 } }
        const eligible = quiet.book.partners.filter((p) => p.stage !== "not-a-fit").map((p) => p.id as string)
        const weeks = Math.ceil(eligible.length / quiet.perWeek)
        const reached = new Set<string>()
        let interactions = input.interactions
        for (let w = 0; w < weeks; w++) {
          const weekOf = daysFrom(input.weekOf, 7 * w)
          const picks = Outreach.plan({ ...input, interactions, weekOf })
          // Everybody not reached yet outranks everybody already reached.
          const fresh = eligible.filter((id) => !reached.has(id)).length
          expect(ids(picks).filter((id) => !reached.has(id))).toHaveLength(Math.min(fresh, picks.length))
          for (const p of picks) {
            reached.add(p.partnerId)
            interactions = [
              ...interactions,
              interaction(`w${w}-${p.partnerId}`, p.partnerId, "outreach", weekOf)
            ]
          }
        }
        expect([...reached].sort()).toEqual([...eligible].sort())
      })
    )
  })
})
