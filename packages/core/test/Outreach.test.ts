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
    const partners = [partner("casual"), partner("opportunity", { alignment: 0.9 }), partner("fresh")]
    // The order is set on Monday, the week after the latest touch (fresh, 5 days ago). Then
    // the opportunity partner was last touched 27.5 days before, the casual one 37.5 days
    // before: neither within the round (three partners, one a week: 21 days).
    const interactions = [contacted("casual", 40), contacted("opportunity", 30), contacted("fresh", 5)]
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
    // 27.5 days x2 outweighs 37.5 days x1 ...
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

  it("after quiet weeks, the least recently touched partners are still the picks", () => {
    // Six partners last touched 42, 35, 28, 21, 14 and 7 days ago; two weeks go by with nothing logged.
    const partners = ["a", "b", "c", "d", "e", "f"].map((id) => partner(id))
    const interactions = [42, 35, 28, 21, 14, 7].map((ago, i) => contacted(partners[i]!.id, ago))
    const week = (n: number, xs = interactions) =>
      Outreach.rotation({
        partners,
        referrals: [],
        interactions: xs,
        weekOf: daysFrom(today, 7 * n),
        perWeek: 2
      })
    expect([0, 1, 2, 5].map((n) => ids(week(n).picks))).toEqual([
      ["a", "b"],
      ["a", "b"],
      ["a", "b"],
      ["a", "b"]
    ])
    expect(week(2)).toMatchObject({ weeks: 3, week: 2 })
    expect(week(2).picks[0]!.reason).toMatch(/nothing logged for 2 weeks, so still at the top$/)
    // You reach out to a (not b) in week 2: b stays at the top, a goes to the back of the round.
    const followed = [...interactions, interaction("y1", "a", "outreach", daysFrom(today, 14))]
    expect(ids(week(3, followed).order)).toEqual(["b", "c", "d", "e", "f", "a"])
    expect(week(3, followed).picks.map((p) => [p.partnerId, p.recent])).toEqual([
      ["b", false],
      ["c", false]
    ])
  })

  it("partners reached in this round wait until everyone else was reached, whatever their weight", () => {
    // Four partners, one a week: a round is four weeks (28 days before Monday, when the order is set).
    const partners = [partner("casual"), partner("opp", { alignment: 0.9 }), partner("b"), partner("c")]
    const rotation = Outreach.rotation({
      partners,
      referrals: [],
      interactions: [contacted("casual", 32), contacted("opp", 20), contacted("b", 4), contacted("c", 3)],
      weekOf: today,
      perWeek: 1
    })
    // The opportunity partner (17.5 days x2 = 35) is staler by weight than the casual one
    // (29.5 days x1), but was reached in this round: the casual one comes first.
    expect(rotation.order.map((p) => [p.partnerId, p.recent])).toEqual([
      ["casual", false],
      ["opp", true],
      ["b", true],
      ["c", true]
    ])
    expect(rotation.order[1]!.staleness).toBeGreaterThan(rotation.order[0]!.staleness)
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
          expect(r.picks).toEqual(r.order.slice(0, perWeek))
          for (let i = 1; i < r.order.length; i++) {
            const [a, b] = [r.order[i - 1]!, r.order[i]!]
            // Partners not reached in this round first, stalest first.
            expect(Number(a.recent)).toBeLessThanOrEqual(Number(b.recent))
            if (!a.recent && !b.recent) expect(a.staleness).toBeGreaterThanOrEqual(b.staleness)
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

  it("a pick not acted on stays at the top: with nothing logged, every later week has the same picks", () => {
    fc.assert(
      fc.property(quietArb, fc.integer({ min: 1, max: 60 }), (quiet, later) => {
        const input = inputOf(quiet)
        const picks = ids(Outreach.plan(input))
        expect(ids(Outreach.plan({ ...input, weekOf: daysFrom(input.weekOf, 7 * later) }))).toEqual(picks)
      })
    )
  })

  it("with equal weights, a pick not acted on stays at the top when the other picks are reached", () => {
    fc.assert(
      fc.property(quietArb, fc.nat(), (quiet, which) => {
        const input = { ...inputOf(quiet), weights: { core: 1, opportunity: 1, generous: 1, casual: 1 } }
        const picks = ids(Outreach.plan(input))
        fc.pre(picks.length >= 2)
        const skipped = picks[which % picks.length]!
        const interactions = [
          ...input.interactions,
          ...picks
            .filter((id) => id !== skipped)
            .map((id) =>
              interaction(`done-${id}`, id, "outreach", daysFrom(Outreach.weekStart(input.weekOf), 1))
            )
        ]
        const next = Outreach.plan({ ...input, interactions, weekOf: daysFrom(input.weekOf, 7) })
        expect(next[0]!.partnerId).toBe(skipped)
      })
    )
  })

  it("logging each week's picks reaches every eligible partner within ceil(eligible / perWeek) weeks, whatever the weights", () => {
    fc.assert(
      fc.property(quietArb, (quiet) => {
        const input = inputOf(quiet)
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
