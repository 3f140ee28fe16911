import { Agenda, Health, type Interaction, Partner, Progression, type Referral } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

describe("Progression: one partner through the seed's four steps", () => {
  // An estate planning attorney you met at an event: high alignment, so an opportunity.
  const start = new Date("2026-01-05T09:00:00.000Z")
  const day = (n: number) => daysFrom(start, n)
  const dana = partner("dana", { name: "Dana", alignment: 0.8, createdAt: start })

  const at = (
    n: number,
    referrals: ReadonlyArray<Referral.Referral>,
    interactions: ReadonlyArray<Interaction.Interaction>
  ) => {
    const input = { partners: [dana], referrals, interactions, asOf: day(n) }
    return {
      progression: Progression.infer(input)[0]!,
      agenda: Agenda.build(input).map((i) => i.kind),
      health: Health.report(input)[0]!
    }
  }

  const gave = referral("g1", "dana", "given", day(5))
  const rapport = [
    interaction("x1", "dana", "event", day(10), true),
    interaction("x2", "dana", "check-in", day(20), true)
  ]
  const coffee = interaction("x3", "dana", "one-on-one", day(25), true)
  const shared = interaction("x4", "dana", "ideal-client-shared", day(26), true)
  const followUps = [
    interaction("x5", "dana", "shared-content", day(50)),
    interaction("x6", "dana", "check-in", day(80))
  ]

  it("identified: give first", () => {
    const { agenda, progression } = at(1, [], [])
    expect(progression).toMatchObject({ stage: "identified", next: "give-first", ready: true })
    expect(progression.advice).toMatch(/^Give first/)
    expect(agenda).toEqual(["give-first"])
  })

  it("step 1, gave first: build rapport before the one-on-one", () => {
    const { agenda, progression } = at(6, [gave], [])
    expect(progression).toMatchObject({ stage: "gave-first", next: "one-on-one", ready: false })
    expect(progression.advice).toContain("0 of 2 positive interactions")
    expect(progression.steps[0]).toEqual({ step: "give-first", done: true, at: day(5) })
    // The referral was a touch and give-first is done for 90 days: nothing is due.
    expect(agenda).toEqual([])
  })

  it("two positive interactions later: the one-on-one is due", () => {
    const { agenda, progression } = at(21, [gave], rapport)
    expect(progression).toMatchObject({ stage: "gave-first", next: "one-on-one", ready: true })
    expect(progression.advice).toMatch(/^Invite Dana for coffee or lunch/)
    expect(agenda).toEqual(["one-on-one"])
  })

  it("step 2, met one-on-one: share your ideal client description", () => {
    const { agenda, progression } = at(26, [gave], [...rapport, coffee])
    expect(progression).toMatchObject({ stage: "met-one-on-one", next: "share-ideal-client" })
    expect(agenda).toEqual(["share-ideal-client"])
  })

  it("step 3, ideal clients shared: follow up consistently", () => {
    const { agenda, progression } = at(27, [gave], [...rapport, coffee, shared])
    expect(progression).toMatchObject({ stage: "ideal-clients-shared", next: "follow-up" })
    expect(progression.advice).toMatch(/^Follow up with Dana consistently: at least every 45 days/)
    expect(agenda).toEqual([])
  })

  it("step 4, followed up consistently: active", () => {
    const { agenda, health, progression } = at(81, [gave], [...rapport, coffee, shared, ...followUps])
    expect(progression).toMatchObject({ stage: "active", next: "follow-up" })
    expect(progression.reasons).toEqual([
      "followed up 2 times since sharing ideal clients, never more than 45 days apart"
    ])
    expect(progression.steps.every((s) => s.done)).toBe(true)
    expect(agenda).toEqual([])
    // Well tended (recency, reciprocity, follow-through full) but little flow yet: 1 of 4
    // referrals for high activity, no engaged client: just green.
    expect(health).toMatchObject({ score: 70, light: "green" })
  })

  it("the partner refers a client back: a thank-you falls due, referrals flow both ways", () => {
    const received = referral("r1", "dana", "received", day(85))
    const { agenda, progression } = at(86, [gave, received], [...rapport, coffee, shared, ...followUps])
    expect(progression.stage).toBe("active")
    expect(progression.reasons[0]).toBe("referrals flowing both ways: 1 given, 1 received in 365 days")
    expect(agenda).toEqual(["thank-you"])
  })

  it("neglected for twice the cadence: dormant, reconnect", () => {
    const received = referral("r1", "dana", "received", day(85), { thankedAt: day(86) })
    const { agenda, health, progression } = at(
      200,
      [gave, received],
      [...rapport, coffee, shared, ...followUps]
    )
    expect(progression).toMatchObject({ stage: "dormant", next: "reconnect" })
    expect(agenda).toContain("dormant")
    expect(health.light).toBe("red")
  })
})

describe("Progression.infer", () => {
  const input = (p: Partner.Partner) => ({ partners: [p], referrals: [], interactions: [], asOf: today })

  it("keeps not-a-fit as set by the user, with no next step and no reminders", () => {
    const report = Progression.infer({
      ...input(partner("a", { stage: "not-a-fit" })),
      referrals: [
        referral("g", "a", "given", daysFrom(today, -5)),
        referral("r", "a", "received", daysFrom(today, -4))
      ]
    })[0]!
    expect(report).toMatchObject({
      stage: "not-a-fit",
      recordedStage: "not-a-fit",
      next: null,
      knowLikeTrustAdvice: []
    })
  })

  it("overrides any other recorded stage with what history says", () => {
    const report = Progression.infer(
      input(partner("a", { stage: "active", createdAt: daysFrom(today, -10) }))
    )[0]!
    expect(report).toMatchObject({ stage: "identified", recordedStage: "active" })
  })

  it("shows the know/like/trust assessment beside the next step, with advice where one is low", () => {
    const klt = Partner.KnowLikeTrust.make({ know: 1, like: 4, trust: 2 })
    const report = Progression.infer(
      input(partner("a", { knowLikeTrust: klt, createdAt: daysFrom(today, -10) }))
    )[0]!
    expect(report.knowLikeTrust).toEqual({ know: 1, like: 4, trust: 2 })
    expect(report.knowLikeTrustAdvice.map((a) => a.split(" ")[0])).toEqual(["Know", "Trust"])
    const unrated = Progression.infer(input(partner("b", { createdAt: daysFrom(today, -10) })))[0]!
    expect(unrated.knowLikeTrust).toBeNull()
    expect(unrated.knowLikeTrustAdvice[0]).toMatch(/^Rate how well you know, like and trust/)
    const disliked = Progression.infer(
      input(partner("c", { knowLikeTrust: Partner.KnowLikeTrust.make({ know: 5, like: 1, trust: 5 }) }))
    )[0]!
    expect(disliked.knowLikeTrustAdvice).toHaveLength(1)
    expect(disliked.knowLikeTrustAdvice[0]).toContain("not-a-fit")
  })

  it("follow-up stops counting as consistent once a gap exceeds the cadence", () => {
    const p = partner("a", { cadenceDays: 30 })
    const xs = [
      interaction("s", "a", "ideal-client-shared", daysFrom(today, -100)),
      interaction("f1", "a", "check-in", daysFrom(today, -80)),
      interaction("f2", "a", "check-in", daysFrom(today, -40)) // 40 days after f1
    ]
    const report = Progression.infer({ partners: [p], referrals: [], interactions: xs, asOf: today })[0]!
    expect(report).toMatchObject({ stage: "ideal-clients-shared", next: "give-first" })
  })

  it("throws InvalidInput naming the field", () => {
    const run = (options: Progression.Options) => () => Progression.infer({ ...input(partner("a")), options })
    expect(run({ followUps: -1 })).toThrow(/options.followUps/)
    expect(run({ dormantFactor: 0 })).toThrow(/options.dormantFactor/)
    expect(() => Progression.infer({ ...input(partner("a")), asOf: new Date(Number.NaN) })).toThrow(/asOf/)
  })
})

describe("Progression properties", () => {
  it("not-a-fit if and only if the user set it; then no next step", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const reports = Progression.infer(book)
        book.partners.forEach((p, i) => {
          const r = reports[i]!
          expect(r.partnerId).toBe(p.id)
          expect(r.stage === "not-a-fit").toBe(p.stage === "not-a-fit")
          expect(r.next === null).toBe(p.stage === "not-a-fit")
        })
      })
    )
  })

  it("dormant exactly when the agenda lists the partner as dormant", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const dormant = new Set(
          Agenda.build(book)
            .filter((i) => i.kind === "dormant")
            .map((i) => i.partnerId as string)
        )
        for (const r of Progression.infer(book)) {
          expect(r.stage === "dormant").toBe(dormant.has(r.partnerId))
          expect(r.next === "reconnect").toBe(dormant.has(r.partnerId))
        }
      })
    )
  })

  it("the steps done match the history, and the next step is the first not done", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const past = (d: Date) => d.getTime() <= book.asOf.getTime()
        for (const r of Progression.infer(book)) {
          const mine = {
            referrals: book.referrals.filter((x) => x.partnerId === r.partnerId && past(x.date)),
            interactions: book.interactions.filter((x) => x.partnerId === r.partnerId && past(x.date))
          }
          const done = Object.fromEntries(r.steps.map((s) => [s.step, s.done]))
          expect(done["give-first"]).toBe(mine.referrals.some((x) => x.direction === "given"))
          expect(done["one-on-one"]).toBe(mine.interactions.some((x) => x.kind === "one-on-one"))
          expect(done["share-ideal-client"]).toBe(
            mine.interactions.some((x) => x.kind === "ideal-client-shared")
          )
          if (r.next !== null && r.next !== "reconnect") {
            expect(r.next).toBe(r.steps.find((s) => !s.done)?.step ?? "follow-up")
          }
          expect(r.advice.length).toBeGreaterThan(0)
        }
      })
    )
  })
})

describe("Progression: consistent follow-up is judged over the trailing window", () => {
  it("an old gap does not undo a year of steady follow-up", () => {
    const asOf = new Date("2026-11-23T00:00:00.000Z")
    const ago = (days: number) => daysFrom(asOf, -days)
    const carla = partner("carla", { name: "Carla", alignment: 0.8, cadenceDays: 90, createdAt: ago(1000) })
    const interactions = [
      interaction("s", "carla", "ideal-client-shared", ago(880), true),
      // A 540-day silence, long before the window...
      interaction("t1", "carla", "check-in", ago(340), true),
      // ...then a touch every two months.
      ...[280, 220, 160, 100, 40].map((d) => interaction(`t-${d}`, "carla", "check-in", ago(d), true))
    ]
    const [report] = Progression.infer({ partners: [carla], referrals: [], interactions, asOf })
    expect(report!.steps.find((s) => s.step === "follow-up")?.done).toBe(true)
    expect(report!.stage).toBe("active")
    // The same silence inside the window still counts against it.
    const recentGap = interactions.filter((x) => !["t-220", "t-160", "t-100"].includes(x.id))
    const [gappy] = Progression.infer({ partners: [carla], referrals: [], interactions: recentGap, asOf })
    expect(gappy!.steps.find((s) => s.step === "follow-up")?.done).toBe(false)
  })
})
