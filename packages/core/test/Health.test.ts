import { Health, Interaction, Referral } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

const one = (input: Omit<Health.Input, "asOf"> & { asOf?: Date }) => {
  const reports = Health.report({ asOf: today, ...input })
  expect(reports).toHaveLength(1)
  return reports[0]!
}

const value = (report: Health.Report, name: Health.ComponentName) =>
  report.components.find((c) => c.name === name)!

/** Four referrals both ways over the last months, all engaged, thanked and closed on time. */
const thriving = (id: string) => [
  ...[20, 60].map((d, i) =>
    referral(`${id}g${i}`, id, "given", daysFrom(today, -d), {
      status: "engaged",
      statusChangedAt: daysFrom(today, -d + 5)
    })
  ),
  ...[30, 90].map((d, i) =>
    referral(`${id}r${i}`, id, "received", daysFrom(today, -d), {
      status: "engaged",
      statusChangedAt: daysFrom(today, -d + 5),
      thankedAt: daysFrom(today, -d + 1),
      loopClosedAt: daysFrom(today, -d + 6)
    })
  )
]

describe("Health.report", () => {
  it("shows every component with its value, weight and detail", () => {
    const report = one({ partners: [partner("a")], referrals: [], interactions: [] })
    expect(report.components.map((c) => c.name)).toEqual([
      "recency",
      "reciprocity",
      "follow-through",
      "activity",
      "trust"
    ])
    expect(report.components.map((c) => c.weight)).toEqual([0.3, 0.15, 0.2, 0.2, 0.15])
    for (const c of report.components) expect(c.detail.length).toBeGreaterThan(0)
  })

  it("a partner with referrals flowing both ways, followed through and engaged, is green at 100", () => {
    const report = one({
      partners: [partner("a", { alignment: 0.9 })],
      referrals: thriving("a"),
      interactions: []
    })
    expect(report).toMatchObject({ score: 100, light: "green", quadrant: "core" })
    expect(report.summary).toContain("every component healthy")
  })

  it("a new partner with nothing exchanged yet is yellow (65): no activity, no trust yet", () => {
    const report = one({
      partners: [partner("a", { createdAt: daysFrom(today, -3) })],
      referrals: [],
      interactions: []
    })
    expect(report).toMatchObject({ score: 65, light: "yellow" })
    expect(value(report, "activity").value).toBe(0)
    expect(value(report, "trust").value).toBe(0)
    expect(report.summary).toContain("activity 0")
  })

  it("a dormant partner is red even when everything else is perfect", () => {
    // Core cadence 90: the last referral, 190 days ago, is more than twice the cadence back.
    const old = thriving("a").map((r) =>
      Referral.Referral.make({
        ...r,
        date: daysFrom(r.date, -170),
        ...(r.statusChangedAt === undefined ? {} : { statusChangedAt: daysFrom(r.statusChangedAt, -170) }),
        ...(r.thankedAt === undefined ? {} : { thankedAt: daysFrom(r.thankedAt, -170) }),
        ...(r.loopClosedAt === undefined ? {} : { loopClosedAt: daysFrom(r.loopClosedAt, -170) })
      })
    )
    const report = one({ partners: [partner("a", { alignment: 0.9 })], referrals: old, interactions: [] })
    expect(value(report, "recency").value).toBe(0)
    expect(report.score).toBe(70)
    expect(report.light).toBe("red")
    expect(report.summary).toContain("dormant")
  })

  it("recency falls linearly from one cadence to two", () => {
    const at = (days: number) =>
      value(
        one({
          partners: [partner("a", { cadenceDays: 30 })],
          referrals: [],
          interactions: [interaction("x", "a", "event", daysFrom(today, -days))]
        }),
        "recency"
      ).value
    expect([0, 30, 45, 60, 90].map(at)).toEqual([1, 1, 0.5, 0, 0])
  })

  it("reciprocity is the Balance verdict: one-sided flow counts half", () => {
    const given = [1, 2, 3, 4, 5].map((n) => referral(`g${n}`, "a", "given", daysFrom(today, -n)))
    const report = one({ partners: [partner("a")], referrals: given, interactions: [] })
    expect(value(report, "reciprocity")).toMatchObject({
      value: 0.5,
      detail: "giving-more: 5 given, 0 received in the 365 days up to the latest referral (2026-03-03)"
    })
    const balanced = one({
      partners: [partner("a")],
      referrals: [
        ...given.slice(0, 3),
        ...[8, 9].map((d) => referral(`r${d}`, "a", "received", daysFrom(today, -d), { thankedAt: today }))
      ],
      interactions: []
    })
    expect(value(balanced, "reciprocity").value).toBe(1)
  })

  it("follow-through: on time counts 1, late 0.5, overdue 0, not yet due nothing", () => {
    const received = (id: string, days: number, thankedAfter?: number) =>
      referral(id, "a", "received", daysFrom(today, -days), {
        ...(thankedAfter === undefined ? {} : { thankedAt: daysFrom(today, -days + thankedAfter) })
      })
    const run = (...referrals: Array<Referral.Referral>) =>
      value(one({ partners: [partner("a")], referrals, interactions: [] }), "follow-through").value
    expect(run()).toBe(1)
    expect(run(received("r1", 10, 1))).toBe(1)
    expect(run(received("r1", 10, 5))).toBe(0.5)
    expect(run(received("r1", 10))).toBe(0)
    expect(run(received("r1", 1))).toBe(1) // not due yet: nothing owed
    expect(run(received("r1", 10, 1), received("r2", 10))).toBe(0.5)
    // An outcome reported late: thank-you on time (1) + loop closed late (0.5).
    const closedLate = referral("r3", "a", "received", daysFrom(today, -60), {
      status: "not-engaged",
      statusChangedAt: daysFrom(today, -50),
      thankedAt: daysFrom(today, -59),
      loopClosedAt: daysFrom(today, -20)
    })
    expect(run(closedLate)).toBe(0.75)
  })

  it("an unthanked received referral counts against follow-through until thanked, however old", () => {
    // One unthanked referral: moving it from 364 to 365 (or 900) days ago never raises the score.
    const at = (days: number) =>
      one({
        partners: [partner("a")],
        referrals: [referral("r", "a", "received", daysFrom(today, -days))],
        interactions: [interaction("x", "a", "check-in", daysFrom(today, -1))]
      })
    const scores = [364, 365, 366, 900].map((d) => at(d).score)
    // It leaves the activity window at 365 days (activity falls), but still counts as owed.
    expect(scores).toEqual([...scores].sort((x, y) => y - x))
    expect(scores[1]).toBeLessThan(scores[0]!)
    for (const d of [364, 365, 900]) expect(value(at(d), "follow-through").value).toBe(0)
    expect(value(at(365), "follow-through").detail).toMatch(/^thank-yous 0 on time, 0 late, 1 overdue/)
    // Thanked, late: it counts half while within the window of the latest referral received.
    const thanked = one({
      partners: [partner("a")],
      referrals: [
        referral("r", "a", "received", daysFrom(today, -365), { thankedAt: daysFrom(today, -300) })
      ],
      interactions: []
    })
    expect(value(thanked, "follow-through").value).toBe(0.5)
  })

  it("an imbalance does not fade while nothing is exchanged", () => {
    const given = [1, 2, 3, 4].map((n) => referral(`g${n}`, "a", "given", daysFrom(today, -300 - n)))
    const at = (asOf: Date) =>
      value(one({ partners: [partner("a")], referrals: given, interactions: [], asOf }), "reciprocity").value
    // Four given, none received: still giving-more a year later, when they left the window.
    expect([at(today), at(daysFrom(today, 200))]).toEqual([0.5, 0.5])
  })

  it("trust counts engaged referrals both ways, two each way being full trust", () => {
    const engaged = (id: string, direction: Referral.Direction) =>
      referral(id, "a", direction, daysFrom(today, -30), {
        status: "engaged",
        statusChangedAt: daysFrom(today, -20),
        thankedAt: daysFrom(today, -30),
        loopClosedAt: daysFrom(today, -20)
      })
    const run = (...referrals: Array<Referral.Referral>) =>
      value(one({ partners: [partner("a")], referrals, interactions: [] }), "trust").value
    expect(run(engaged("g1", "given"))).toBe(0.25)
    expect(run(engaged("g1", "given"), engaged("g2", "given"), engaged("g3", "given"))).toBe(0.5)
    expect(run(engaged("g1", "given"), engaged("r1", "received"))).toBe(0.5)
    expect(
      run(
        engaged("g1", "given"),
        engaged("g2", "given"),
        engaged("r1", "received"),
        Referral.Referral.make({ ...engaged("r2", "received"), status: "not-engaged" })
      )
    ).toBe(0.75)
  })

  it("throws InvalidInput naming the field", () => {
    const run = (options: Health.Options) => () =>
      Health.report({ partners: [partner("a")], referrals: [], interactions: [], asOf: today, options })
    expect(run({ weights: { recency: -1 } })).toThrow(/options.weights.recency/)
    expect(
      run({ weights: { recency: 0, reciprocity: 0, "follow-through": 0, activity: 0, trust: 0 } })
    ).toThrow(/options.weights/)
    expect(run({ lights: { green: 30, red: 50 } })).toThrow(/options.lights/)
    expect(run({ balance: { maxRatio: 0.5 } })).toThrow(/rules.maxRatio/)
    expect(() =>
      Health.report({ partners: [], referrals: [], interactions: [], asOf: new Date("x") })
    ).toThrow(/asOf/)
  })
})

const rank: Record<Health.Light, number> = { red: 0, yellow: 1, green: 2 }

describe("Health properties", () => {
  it("scores lie in 0..100, values in 0..1, and the light follows the documented thresholds", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        for (const r of Health.report(book)) {
          expect(r.score).toBeGreaterThanOrEqual(0)
          expect(r.score).toBeLessThanOrEqual(100)
          for (const c of r.components) {
            expect(c.value).toBeGreaterThanOrEqual(0)
            expect(c.value).toBeLessThanOrEqual(1)
          }
          const dormant = r.components[0]!.value === 0
          expect(r.light).toBe(r.score < 40 || dormant ? "red" : r.score >= 70 ? "green" : "yellow")
        }
      })
    )
  })

  it("health never goes up when the last touch moves further into the past, all else equal", () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.nat(),
        fc.constantFrom(...Interaction.Kind.literals),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (book, who, kind, a, b) => {
          const p = book.partners[who % book.partners.length]!
          const touchedAt = (days: number) =>
            Health.report({
              ...book,
              interactions: [
                ...book.interactions,
                interaction("moved", p.id, kind, daysFrom(book.asOf, -days))
              ]
            }).find((r) => r.partnerId === p.id)!
          const recent = touchedAt(Math.min(a, b))
          const older = touchedAt(Math.max(a, b))
          expect(older.score).toBeLessThanOrEqual(recent.score)
          expect(rank[older.light]).toBeLessThanOrEqual(rank[recent.light])
          // Only recency can differ.
          expect(older.components.slice(1)).toEqual(recent.components.slice(1))
        }
      )
    )
  })

  it("health never rises as time passes with nothing logged", () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 1500 }),
        (book, a, b) => {
          // The latest thing logged in the book: a record's date, an outcome, a thank-you, a
          // closed loop or a partner's creation. Nothing is logged after it.
          const dates = [
            ...book.partners.map((p) => p.createdAt),
            ...book.interactions.map((x) => x.date),
            ...book.referrals.flatMap((r) =>
              [r.date, r.statusChangedAt, r.thankedAt, r.loopClosedAt].filter((d) => d !== undefined)
            )
          ]
          const quiet = new Date(Math.max(...dates.map((d) => d.getTime())))
          const before = Health.report({ ...book, asOf: daysFrom(quiet, a) })
          const after = Health.report({ ...book, asOf: daysFrom(quiet, a + b) })
          before.forEach((r, i) => {
            expect(after[i]!.score).toBeLessThanOrEqual(r.score)
            expect(rank[after[i]!.light]).toBeLessThanOrEqual(rank[r.light])
            r.components.forEach((c, j) => {
              expect(after[i]!.components[j]!.value).toBeLessThanOrEqual(c.value)
            })
          })
        }
      ),
      { numRuns: 300 }
    )
  })

  it("logging an interaction on asOf never lowers health, and makes recency full", () => {
    fc.assert(
      fc.property(bookArb(), fc.nat(), (book, who) => {
        const p = book.partners[who % book.partners.length]!
        const before = Health.report(book).find((r) => r.partnerId === p.id)!
        const after = Health.report({
          ...book,
          interactions: [...book.interactions, interaction("now", p.id, "check-in", book.asOf)]
        }).find((r) => r.partnerId === p.id)!
        expect(after.score).toBeGreaterThanOrEqual(before.score)
        expect(after.components[0]!.value).toBe(1)
      })
    )
  })

  it("thanking a received referral never lowers health", () => {
    fc.assert(
      fc.property(bookArb(), fc.nat(), (book, pick) => {
        const unthanked = book.referrals.filter(
          (r) => r.direction === "received" && r.date <= book.asOf && r.thankedAt === undefined
        )
        fc.pre(unthanked.length > 0)
        const r = unthanked[pick % unthanked.length]!
        const score = (referrals: ReadonlyArray<Referral.Referral>) =>
          Health.report({ ...book, referrals }).find((x) => x.partnerId === r.partnerId)?.score
        const thanked = book.referrals.map((x) =>
          x.id === r.id ? Referral.Referral.make({ ...x, thankedAt: book.asOf }) : x
        )
        const before = score(book.referrals)
        if (before === undefined) return // the referral's partner is not in the book
        expect(score(thanked)!).toBeGreaterThanOrEqual(before)
      })
    )
  })
})
