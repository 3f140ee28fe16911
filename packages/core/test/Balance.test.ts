import { Arbitrary, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { Balance, Book, Interaction, Partner, Referral } from "../src/index.js"

const DAY = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const daysAgo = (days: number): Date => new Date(asOf.getTime() - days * DAY)

const partner = (id: string) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book: Book.defaultBookId,
    name: `Partner ${id}`,
    profession: "cpa" as Partner.Partner["profession"],
    kind: "complementary",
    stage: "active",
    tags: [],
    notes: "",
    createdAt: new Date("2024-01-01"),
    revision: 0
  })

let seq = 0
const talk = (partnerId: string, date: Date) =>
  Interaction.Interaction.make({
    id: Interaction.InteractionId.make(`t${seq++}`),
    book: Book.defaultBookId,
    partnerId: Partner.PartnerId.make(partnerId),
    kind: "honest-conversation",
    date,
    revision: 0
  })
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

const shared = (partnerId: string, date: Date) =>
  Interaction.Interaction.make({
    id: Interaction.InteractionId.make(`i${seq++}`),
    book: Book.defaultBookId,
    partnerId: Partner.PartnerId.make(partnerId),
    kind: "ideal-client-shared",
    date,
    positive: true,
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

const mirror: Record<Balance.State, Balance.State> = {
  balanced: "balanced",
  "giving-more": "receiving-more",
  "receiving-more": "giving-more"
}

const countsArb = fc.record({ given: fc.nat({ max: 1000 }), received: fc.nat({ max: 1000 }) })
// Halves are exact in binary floating point, so k * x > r * k * y never rounds differently.
const rulesArb = fc.record(
  {
    minTotal: fc.integer({ min: 0, max: 20 }),
    maxRatio: fc.integer({ min: 2, max: 20 }).map((x) => x / 2)
  },
  { requiredKeys: [] }
)

describe("Balance.assess (API.md examples)", () => {
  it("5 given and 2 received is giving-more", () => {
    expect(Balance.assess({ given: 5, received: 2 }).state).toBe("giving-more")
  })

  it("returns the counts and net = given - received", () => {
    expect(Balance.assess({ given: 5, received: 2 })).toEqual({
      state: "giving-more",
      given: 5,
      received: 2,
      net: 3
    })
    expect(Balance.assess({ given: 1, received: 7 })).toEqual({
      state: "receiving-more",
      given: 1,
      received: 7,
      net: -6
    })
  })

  it("exactly maxRatio times is still balanced", () => {
    expect(Balance.assess({ given: 4, received: 2 }).state).toBe("balanced")
    expect(Balance.assess({ given: 2, received: 4 }).state).toBe("balanced")
    expect(Balance.assess({ given: 9, received: 3 }, { maxRatio: 3 }).state).toBe("balanced")
    expect(Balance.assess({ given: 10, received: 3 }, { maxRatio: 3 }).state).toBe("giving-more")
  })

  it("fewer than minTotal referrals in all is balanced: too little to judge", () => {
    expect(Balance.assess({ given: 3, received: 0 }).state).toBe("balanced")
    expect(Balance.assess({ given: 0, received: 3 }).state).toBe("balanced")
    expect(Balance.assess({ given: 4, received: 0 }).state).toBe("giving-more")
    expect(Balance.assess({ given: 0, received: 4 }).state).toBe("receiving-more")
    expect(Balance.assess({ given: 0, received: 0 }).state).toBe("balanced")
    expect(Balance.assess({ given: 5, received: 0 }, { minTotal: 6 }).state).toBe("balanced")
    expect(Balance.assess({ given: 1, received: 0 }, { minTotal: 1 }).state).toBe("giving-more")
  })

  it("throws InvalidInput naming the field for a non-integer count", () => {
    expectInvalidInput(() => Balance.assess({ given: 1.5, received: 2 }), "given")
    expectInvalidInput(() => Balance.assess({ given: 1, received: 0.1 }), "received")
  })

  it("throws InvalidInput naming the field for a negative count", () => {
    expectInvalidInput(() => Balance.assess({ given: -1, received: 2 }), "given")
    expectInvalidInput(() => Balance.assess({ given: 1, received: -3 }), "received")
  })

  it("throws InvalidInput naming the field for NaN and infinite counts", () => {
    expectInvalidInput(() => Balance.assess({ given: Number.NaN, received: 2 }), "given")
    expectInvalidInput(() => Balance.assess({ given: 2, received: Number.POSITIVE_INFINITY }), "received")
  })

  it("throws InvalidInput for invalid rules", () => {
    expectInvalidInput(() => Balance.assess({ given: 1, received: 1 }, { maxRatio: 0.5 }), "rules.maxRatio")
    expectInvalidInput(() => Balance.assess({ given: 1, received: 1 }, { minTotal: -1 }), "rules.minTotal")
  })
})

describe("Balance.assess (properties)", () => {
  it("swapping given and received mirrors the verdict and negates net", () => {
    fc.assert(
      fc.property(countsArb, rulesArb, ({ given, received }, rules) => {
        const a = Balance.assess({ given, received }, rules)
        const b = Balance.assess({ given: received, received: given }, rules)
        expect(b.state).toBe(mirror[a.state])
        expect(b.net + a.net).toBe(0)
      })
    )
  })

  it("scaling both counts by k >= 1 keeps the verdict once the total is judged", () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 1, max: 50 }), rulesArb, ({ given, received }, k, rules) => {
        const minTotal = rules.minTotal ?? Balance.defaultRules.minTotal
        fc.pre(given + received >= minTotal)
        expect(Balance.assess({ given: k * given, received: k * received }, rules).state).toBe(
          Balance.assess({ given, received }, rules).state
        )
      })
    )
  })

  it("below minTotal the verdict is always balanced", () => {
    fc.assert(
      fc.property(fc.nat({ max: 3 }), fc.nat({ max: 3 }), (given, received) => {
        fc.pre(given + received < 4)
        expect(Balance.assess({ given, received }).state).toBe("balanced")
      })
    )
  })

  it("agrees with the rule as written in API.md", () => {
    fc.assert(
      fc.property(countsArb, rulesArb, ({ given, received }, rules) => {
        const minTotal = rules.minTotal ?? 4
        const maxRatio = rules.maxRatio ?? 2
        const expected =
          given + received < minTotal
            ? "balanced"
            : given > maxRatio * received
              ? "giving-more"
              : received > maxRatio * given
                ? "receiving-more"
                : "balanced"
        expect(Balance.assess({ given, received }, rules).state).toBe(expected)
      })
    )
  })
})

describe("Balance.report", () => {
  const a = partner("a")

  it("is persistent when the same imbalance holds at asOf, 91 and 182 days before (365-day windows)", () => {
    // Windows: (asOf-365, asOf] sees 6, (asOf-456, asOf-91] sees 5, (asOf-547, asOf-182] sees 4.
    const referrals = [10, 100, 200, 250, 300, 350].map((d) => referral("a", "given", daysAgo(d)))
    const [r] = Balance.report({ partners: [a], referrals, asOf })
    expect(r).toMatchObject({
      partnerId: "a",
      name: "Partner a",
      state: "giving-more",
      given: 6,
      received: 0
    })
    expect(r!.net).toBe(6)
    expect(r!.persistent).toBe(true)
    expect(r!.history.map((h) => h.asOf)).toEqual([asOf, daysAgo(91), daysAgo(182)])
    expect(r!.history.map((h) => h.state)).toEqual(["giving-more", "giving-more", "giving-more"])
    expect(r!.advice).toBe("share-ideal-client")
    expect(r!.message).toContain("and have for a while")
  })

  it("is not persistent when the imbalance is recent", () => {
    const referrals = [10, 20, 30, 40].map((d) => referral("a", "given", daysAgo(d)))
    const [r] = Balance.report({ partners: [a], referrals, asOf })
    expect(r!.state).toBe("giving-more")
    expect(r!.persistent).toBe(false)
    expect(r!.history.map((h) => h.state)).toEqual(["giving-more", "balanced", "balanced"])
    expect(r!.advice).toBe("share-ideal-client")
  })

  it("is not persistent when an earlier checkpoint saw the opposite imbalance", () => {
    const referrals = [
      ...[400, 420, 440, 460, 480].map((d) => referral("a", "received", daysAgo(d))),
      ...[5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60].map((d) => referral("a", "given", daysAgo(d)))
    ]
    const [r] = Balance.report({ partners: [a], referrals, asOf })
    expect(r!.history.map((h) => h.state)).toEqual(["giving-more", "balanced", "receiving-more"])
    expect(r!.persistent).toBe(false)
  })

  it("a balanced partner is never persistent and gets no advice", () => {
    const referrals = [10, 100, 200, 300].flatMap((d) => [
      referral("a", "given", daysAgo(d)),
      referral("a", "received", daysAgo(d))
    ])
    const [r] = Balance.report({ partners: [a], referrals, asOf })
    expect(r).toMatchObject({ state: "balanced", persistent: false, advice: "none" })
  })

  it("receiving more calls for reciprocating", () => {
    const referrals = [10, 100, 200, 250, 300, 350].map((d) => referral("a", "received", daysAgo(d)))
    const [r] = Balance.report({ partners: [a], referrals, asOf })
    expect(r).toMatchObject({ state: "receiving-more", persistent: true, advice: "reciprocate", net: -6 })
    expect(r!.message).toContain("look for clients to send their way")
  })

  describe("escalating advice when you give more", () => {
    const referrals = [10, 100, 200, 250, 300, 350].map((d) => referral("a", "given", daysAgo(d)))

    it("first: share your ideal client description", () => {
      const [r] = Balance.report({ partners: [a], referrals, asOf, interactions: [] })
      expect(r!.advice).toBe("share-ideal-client")
      expect(r!.message).toContain("ideal client description")
    })

    it("still sharing when the description went out only since the last checkpoint", () => {
      const [r] = Balance.report({ partners: [a], referrals, asOf, interactions: [shared("a", daysAgo(30))] })
      expect(r!.advice).toBe("share-ideal-client")
    })

    it("then: an honest conversation once it persisted after sharing", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [shared("a", daysAgo(150))]
      })
      expect(r!.advice).toBe("honest-conversation")
      expect(r!.message).toContain("honest conversation")
    })

    it("time alone never escalates to investing elsewhere: without a logged conversation, the advice is to have one", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [shared("a", daysAgo(200))]
      })
      expect(r!.advice).toBe("honest-conversation")
      expect(r!.message).not.toMatch(/talked|after your honest conversation/)
    })

    it("a conversation logged recently: give it time, and say when you talked", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [shared("a", daysAgo(200)), talk("a", daysAgo(30))]
      })
      expect(r!.advice).toBe("honest-conversation")
      expect(r!.message).toContain(`you talked about it on ${daysAgo(30).toISOString().slice(0, 10)}`)
    })

    it("finally: invest your energy elsewhere once the imbalance held a checkpoint after the logged conversation", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [shared("a", daysAgo(200)), talk("a", daysAgo(120))]
      })
      expect(r!.advice).toBe("invest-elsewhere")
      expect(r!.message).toContain(
        `after your honest conversation on ${daysAgo(120).toISOString().slice(0, 10)}: invest your energy in other partnerships`
      )
    })

    it("a conversation with another partner, or logged after asOf, does not count", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [
          shared("a", daysAgo(200)),
          talk("b", daysAgo(150)),
          talk("a", new Date(asOf.getTime() + DAY))
        ]
      })
      expect(r!.advice).toBe("honest-conversation")
    })

    it("a sharing logged after asOf, or with another partner, does not count", () => {
      const [r] = Balance.report({
        partners: [a],
        referrals,
        asOf,
        interactions: [shared("a", new Date(asOf.getTime() + DAY)), shared("b", daysAgo(200))]
      })
      expect(r!.advice).toBe("share-ideal-client")
    })

    it("a recent imbalance gets the first step, whatever was shared", () => {
      const recent = [10, 20, 30, 40].map((d) => referral("a", "given", daysAgo(d)))
      const [r] = Balance.report({
        partners: [a],
        referrals: recent,
        asOf,
        interactions: [shared("a", daysAgo(300))]
      })
      expect(r!.advice).toBe("share-ideal-client")
    })
  })

  it("rejects invalid input with InvalidInput", () => {
    expectInvalidInput(() => Balance.report({ partners: [], referrals: [], asOf: new Date("nope") }), "asOf")
    expectInvalidInput(
      () => Balance.report({ partners: [], referrals: [], asOf, windowDays: -1 }),
      "windowDays"
    )
    expectInvalidInput(
      () => Balance.report({ partners: [], referrals: [], asOf, checkpoints: [-5] }),
      "checkpoints[0]"
    )
  })

  describe("properties", () => {
    const ids = ["a", "b", "c", "d"]
    const partnersArb = fc
      .uniqueArray(fc.tuple(fc.constantFrom(...ids), Arbitrary.make(Partner.Partner)), {
        selector: ([id]) => id,
        maxLength: ids.length
      })
      .map((xs) => xs.map(([id, p]) => Partner.Partner.make({ ...p, id: Partner.PartnerId.make(id) })))
    const referralAt = (minDays: number, maxDays: number) =>
      fc
        .tuple(
          Arbitrary.make(Referral.Referral),
          fc.constantFrom(...ids),
          fc.integer({ min: minDays * DAY, max: maxDays * DAY })
        )
        .map(([r, id, offset]) =>
          Referral.Referral.make({
            ...r,
            partnerId: Partner.PartnerId.make(id),
            date: new Date(asOf.getTime() + offset)
          })
        )

    it("agrees with assess on the counts in the window", () => {
      fc.assert(
        fc.property(partnersArb, fc.array(referralAt(-600, 30), { maxLength: 80 }), (partners, referrals) => {
          for (const r of Balance.report({ partners, referrals, asOf })) {
            const inWindow = referrals.filter(
              (x) => x.partnerId === r.partnerId && x.date > daysAgo(365) && x.date <= asOf
            )
            const given = inWindow.filter((x) => x.direction === "given").length
            const received = inWindow.length - given
            expect({ state: r.state, given: r.given, received: r.received, net: r.net }).toEqual(
              Balance.assess({ given, received })
            )
            expect(r.persistent).toBe(r.state !== "balanced" && r.history.every((h) => h.state === r.state))
          }
        })
      )
    })

    it("referrals after asOf or before every checkpoint's window change nothing", () => {
      fc.assert(
        fc.property(
          partnersArb,
          fc.array(referralAt(-600, 30), { maxLength: 60 }),
          fc.array(
            fc.oneof(
              referralAt(0, 400).map((r) =>
                Referral.Referral.make({ ...r, date: new Date(r.date.getTime() + 1) })
              ),
              referralAt(-3000, -547)
            ),
            {
              maxLength: 30
            }
          ),
          (partners, referrals, outside) => {
            expect(Balance.report({ partners, referrals: [...outside, ...referrals], asOf })).toEqual(
              Balance.report({ partners, referrals, asOf })
            )
          }
        )
      )
    })

    it("invest-elsewhere only after a logged honest conversation, and no message claims one that was not logged", () => {
      const interactionAt = fc
        .tuple(
          fc.constantFrom("a", "b", "c"),
          fc.constantFrom("ideal-client-shared", "honest-conversation", "check-in"),
          fc.integer({ min: -400, max: 30 })
        )
        .map(([id, kind, days]) =>
          Interaction.Interaction.make({
            id: Interaction.InteractionId.make(`x${seq++}`),
            book: Book.defaultBookId,
            partnerId: Partner.PartnerId.make(id),
            kind: kind as Interaction.Kind,
            date: daysAgo(-days),
            revision: 0
          })
        )
      fc.assert(
        fc.property(
          partnersArb,
          fc.array(referralAt(-600, 0), { maxLength: 60 }),
          fc.array(interactionAt, { maxLength: 8 }),
          (partners, referrals, interactions) => {
            for (const r of Balance.report({ partners, referrals, interactions, asOf })) {
              const talks = interactions.filter(
                (x) => x.partnerId === r.partnerId && x.kind === "honest-conversation" && x.date <= asOf
              )
              if (r.advice === "invest-elsewhere") expect(talks.length).toBeGreaterThan(0)
              if (talks.length === 0) expect(r.message).not.toMatch(/talked|your honest conversation/)
            }
          }
        )
      )
    })

    it("swapping every referral's direction mirrors every verdict", () => {
      fc.assert(
        fc.property(partnersArb, fc.array(referralAt(-600, 0), { maxLength: 80 }), (partners, referrals) => {
          const swapped = referrals.map((r) =>
            Referral.Referral.make({ ...r, direction: r.direction === "given" ? "received" : "given" })
          )
          const before = Balance.report({ partners, referrals, asOf })
          const after = Balance.report({ partners, referrals: swapped, asOf })
          before.forEach((b, i) => {
            expect(after[i]!.state).toBe(mirror[b.state])
            expect(after[i]!.persistent).toBe(b.persistent)
            expect(after[i]!.net + b.net).toBe(0)
          })
        })
      )
    })
  })
})
