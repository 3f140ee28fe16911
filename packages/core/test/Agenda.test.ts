import { Agenda, Interaction, Matrix, Referral } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, DAY, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

const empty = { referrals: [], interactions: [] }

/** The single check-in or dormant item of a partner, if any. */
const clockOf = (items: ReadonlyArray<Agenda.Item>, id: string) =>
  items.filter((i) => i.partnerId === id && (i.kind === "check-in" || i.kind === "dormant"))

/** Options under which every partner has exactly one check-in item and never a dormant one. */
const everyCheckIn: Agenda.Options = { horizonDays: 1_000_000, dormantFactor: 1_000_000 }

describe("Agenda.build", () => {
  describe("defaults from the contract", () => {
    it("check-in: due cadence days after the last touch; a casual partner's cadence is 180 days", () => {
      const p = partner("a")
      const touched = daysFrom(today, -200)
      const items = Agenda.build({
        partners: [p],
        referrals: [],
        interactions: [interaction("x1", "a", "event", touched)],
        asOf: today,
        options: { horizonDays: 0 }
      })
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({ kind: "check-in", partnerId: "a", overdueDays: 20 })
      expect(items[0]!.dueAt).toEqual(daysFrom(touched, 180))
      expect(items[0]!.priority).toBeCloseTo(20 / 180)
    })

    it("check-in cadence by quadrant: core 90, opportunity 45, generous 120, casual 180", () => {
      expect(Agenda.defaultCadenceDays).toEqual({ core: 90, opportunity: 45, generous: 120, casual: 180 })
      const touched = daysFrom(today, -10)
      const high = partner("hi", { alignment: 0.9 })
      const opportunity = Agenda.build({
        partners: [high],
        referrals: [],
        interactions: [interaction("x", "hi", "note", touched)],
        asOf: today,
        options: { horizonDays: 1000 }
      })
      expect(clockOf(opportunity, "hi")[0]!.dueAt).toEqual(daysFrom(touched, 45))
      const fourReferrals = [1, 2, 3, 4].map((n) =>
        referral(`r${n}`, "hi", "given", daysFrom(today, -10 - n))
      )
      const core = Agenda.build({
        partners: [high],
        referrals: fourReferrals,
        interactions: [interaction("x", "hi", "note", touched)],
        asOf: today,
        options: { horizonDays: 1000 }
      })
      expect(clockOf(core, "hi")[0]!.dueAt).toEqual(daysFrom(touched, 90))
      const generous = Agenda.build({
        partners: [partner("lo")],
        referrals: fourReferrals.map((r) => Referral.Referral.make({ ...r, partnerId: partner("lo").id })),
        interactions: [interaction("x", "lo", "note", touched)],
        asOf: today,
        options: { horizonDays: 1000 }
      })
      expect(clockOf(generous, "lo")[0]!.dueAt).toEqual(daysFrom(touched, 120))
    })

    it("a partner's own cadence wins over the quadrant's, and options change the quadrant default", () => {
      const touched = daysFrom(today, -40)
      const x = [interaction("x1", "a", "check-in", touched)]
      const own = Agenda.build({
        partners: [partner("a", { cadenceDays: 30 })],
        referrals: [],
        interactions: x,
        asOf: today
      })
      expect(own.map((i) => [i.kind, i.overdueDays])).toEqual([["check-in", 10]])
      const configured = Agenda.build({
        partners: [partner("a")],
        referrals: [],
        interactions: x,
        asOf: today,
        options: { cadenceDays: { casual: 35 } }
      })
      expect(configured.map((i) => [i.kind, i.overdueDays])).toEqual([["check-in", 5]])
    })

    it("with no touch ever, the clock starts when the partner was added", () => {
      const items = Agenda.build({
        partners: [partner("a", { createdAt: daysFrom(today, -190) })],
        ...empty,
        asOf: today
      })
      expect(items.map((i) => [i.kind, i.overdueDays])).toEqual([["check-in", 10]])
      expect(items[0]!.reason).toContain("never touched")
    })

    it("dormant: no touch for twice the cadence replaces the check-in", () => {
      const items = Agenda.build({
        partners: [partner("a", { cadenceDays: 30 })],
        referrals: [],
        interactions: [interaction("x1", "a", "event", daysFrom(today, -61))],
        asOf: today
      })
      expect(items.map((i) => [i.kind, i.overdueDays])).toEqual([["dormant", 1]])
      // It keeps the rank of the check-in it replaces: 31 days late on a 30-day cadence.
      expect(items[0]!.priority).toBeCloseTo(31 / 30)
    })

    it("thank-you: a received referral with no thank-you, due 2 days after it was received", () => {
      const received = daysFrom(today, -5)
      const r = referral("r1", "a", "received", received)
      const items = Agenda.build({
        partners: [partner("a")],
        referrals: [r],
        interactions: [],
        asOf: today,
        options: { horizonDays: 0 }
      })
      expect(items.map((i) => [i.kind, i.referralId, i.overdueDays])).toEqual([["thank-you", "r1", 3]])
      expect(items[0]!.dueAt).toEqual(daysFrom(received, 2))
      const thanked = Referral.Referral.make({ ...r, thankedAt: daysFrom(received, 1) })
      expect(
        Agenda.build({
          partners: [partner("a")],
          referrals: [thanked],
          interactions: [],
          asOf: today,
          options: { horizonDays: 0 }
        })
      ).toEqual([])
    })

    it("no thank-you is owed for a referral you gave", () => {
      const items = Agenda.build({
        partners: [partner("a")],
        referrals: [referral("r1", "a", "given", daysFrom(today, -5))],
        interactions: [],
        asOf: today
      })
      expect(items).toEqual([])
    })

    it("close-loop: the outcome is known and the referrer was not told, due 7 days after the status changed", () => {
      const changed = daysFrom(today, -10)
      const r = referral("r1", "a", "received", daysFrom(today, -40), {
        status: "engaged",
        statusChangedAt: changed,
        thankedAt: daysFrom(today, -39)
      })
      const items = Agenda.build({ partners: [partner("a")], referrals: [r], interactions: [], asOf: today })
      expect(items.map((i) => [i.kind, i.referralId, i.overdueDays])).toEqual([["close-loop", "r1", 3]])
      expect(items[0]!.dueAt).toEqual(daysFrom(changed, 7))
      const told = Referral.Referral.make({ ...r, loopClosedAt: daysFrom(today, -1) })
      expect(
        Agenda.build({ partners: [partner("a")], referrals: [told], interactions: [], asOf: today })
      ).toEqual([])
    })

    it("status-follow-up: a received referral still open 30 days after it was received", () => {
      const r = (status: Referral.Status) =>
        referral("r1", "a", "received", daysFrom(today, -31), { status, thankedAt: daysFrom(today, -30) })
      for (const status of ["introduced", "contacted"] as const) {
        const items = Agenda.build({
          partners: [partner("a")],
          referrals: [r(status)],
          interactions: [],
          asOf: today,
          options: { horizonDays: 0 }
        })
        expect(items.map((i) => [i.kind, i.referralId, i.overdueDays])).toEqual([
          ["status-follow-up", "r1", 1]
        ])
      }
    })

    it("give-first: an opportunity partner given no referral in the last 90 days", () => {
      const p = partner("a", { alignment: 0.8 })
      const x = [interaction("x1", "a", "note", daysFrom(today, -1))]
      const gave = (days: number) => [referral("g", "a", "given", daysFrom(today, -days))]
      const run = (referrals: ReadonlyArray<Referral.Referral>) =>
        Agenda.build({
          partners: [p],
          referrals,
          interactions: x,
          asOf: today,
          options: { horizonDays: 0 }
        }).map((i) => [i.kind, i.overdueDays])
      expect(run(gave(95))).toEqual([["give-first", 5]])
      expect(run(gave(80))).toEqual([])
      // Never gave: due from the day the partner was added.
      expect(run([])).toEqual([["give-first", 400]])
      // Not an opportunity: no give-first.
      expect(
        Agenda.build({
          partners: [partner("b")],
          referrals: [],
          interactions: [],
          asOf: daysFrom(today, -300)
        })
      ).toEqual([])
    })

    it("one-on-one after two positive interactions, share-ideal-client after the one-on-one", () => {
      const p = partner("a", { cadenceDays: 365 })
      const positives = [
        interaction("x1", "a", "event", daysFrom(today, -20), true),
        interaction("x2", "a", "event", daysFrom(today, -10), true)
      ]
      const kindsOf = (interactions: ReadonlyArray<ReturnType<typeof interaction>>) =>
        Agenda.build({ partners: [p], referrals: [], interactions, asOf: today }).map((i) => i.kind)
      expect(kindsOf(positives.slice(0, 1))).toEqual([])
      expect(
        kindsOf([...positives.slice(0, 1), interaction("n", "a", "event", daysFrom(today, -5), false)])
      ).toEqual([])
      const suggested = Agenda.build({ partners: [p], referrals: [], interactions: positives, asOf: today })
      expect(suggested.map((i) => [i.kind, i.overdueDays])).toEqual([["one-on-one", 10]])
      const met = [...positives, interaction("m", "a", "one-on-one", daysFrom(today, -3))]
      expect(kindsOf(met)).toEqual(["share-ideal-client"])
      expect(kindsOf([...met, interaction("s", "a", "ideal-client-shared", daysFrom(today, -3))])).toEqual([])
    })

    it("a partner at stage not-a-fit gets no items", () => {
      const items = Agenda.build({
        partners: [partner("a", { stage: "not-a-fit", alignment: 1, createdAt: daysFrom(today, -1000) })],
        referrals: [referral("r1", "a", "received", daysFrom(today, -100))],
        interactions: [],
        asOf: today
      })
      expect(items).toEqual([])
    })

    it("lists what falls due in the next 7 days, with a negative overdueDays", () => {
      const p = partner("a", { cadenceDays: 30 })
      const touched = (days: number) => [interaction("x1", "a", "event", daysFrom(today, -days))]
      const run = (days: number, options?: Agenda.Options) =>
        Agenda.build({
          partners: [p],
          referrals: [],
          interactions: touched(days),
          asOf: today,
          ...(options === undefined ? {} : { options })
        }).map((i) => i.overdueDays)
      expect(run(25)).toEqual([-5])
      expect(run(23)).toEqual([-7])
      expect(run(22)).toEqual([])
      expect(run(25, { horizonDays: 0 })).toEqual([])
      expect(run(31, { horizonDays: 0 })).toEqual([1])
    })
  })
})

describe("Agenda ranking", () => {
  it("ten days late on a 30-day cadence outranks ten days late on a 180-day one", () => {
    const items = Agenda.build({
      partners: [partner("slow", { cadenceDays: 180 }), partner("fast", { cadenceDays: 30 })],
      referrals: [],
      interactions: [
        interaction("x1", "slow", "event", daysFrom(today, -190)),
        interaction("x2", "fast", "event", daysFrom(today, -40))
      ],
      asOf: today
    })
    expect(items.map((i) => [i.partnerId, i.overdueDays])).toEqual([
      ["fast", 10],
      ["slow", 10]
    ])
    expect(items[0]!.priority).toBeGreaterThan(items[1]!.priority)
  })

  it("an overdue thank-you outranks a check-in overdue by the same number of days", () => {
    const items = Agenda.build({
      partners: [partner("a"), partner("b", { cadenceDays: 30 })],
      referrals: [referral("r1", "a", "received", daysFrom(today, -6))],
      interactions: [interaction("x1", "b", "event", daysFrom(today, -34))],
      asOf: today,
      options: { horizonDays: 0 }
    })
    expect(items.map((i) => [i.kind, i.partnerId, i.overdueDays])).toEqual([
      ["thank-you", "a", 4],
      ["check-in", "b", 4]
    ])
  })
})

const withoutFuture = <A extends { readonly date: Date }>(xs: ReadonlyArray<A>, asOf: Date) =>
  xs.filter((x) => x.date.getTime() <= asOf.getTime())

describe("Agenda properties", () => {
  it("partners marked not-a-fit never appear; every other partner has exactly one check-in or dormant item", () => {
    fc.assert(
      fc.property(bookArb(), ({ asOf, interactions, partners, referrals }) => {
        const items = Agenda.build({ partners, referrals, interactions, asOf, options: everyCheckIn })
        for (const p of partners) {
          const mine = items.filter((i) => i.partnerId === p.id)
          if (p.stage === "not-a-fit") expect(mine).toEqual([])
          else expect(clockOf(items, p.id)).toHaveLength(1)
        }
        const dormantToo = Agenda.build({ partners, referrals, interactions, asOf })
        const notAFit = new Set(partners.filter((p) => p.stage === "not-a-fit").map((p) => p.id as string))
        expect(dormantToo.filter((i) => notAFit.has(i.partnerId))).toEqual([])
      })
    )
  })

  it("items are sorted by priority, highest first, missed items last, and all fall within the horizon", () => {
    fc.assert(
      fc.property(bookArb(), fc.integer({ min: 0, max: 60 }), (book, horizonDays) => {
        const items = Agenda.build({ ...book, options: { horizonDays } })
        const firstMissed = items.findIndex((i) => i.kind === "missed")
        const actionable = firstMissed === -1 ? items : items.slice(0, firstMissed)
        expect(items.slice(actionable.length).every((i) => i.kind === "missed")).toBe(true)
        for (let i = 1; i < items.length; i++) {
          if (i < actionable.length) expect(items[i - 1]!.priority).toBeGreaterThanOrEqual(items[i]!.priority)
          expect(Agenda.compare(items[i - 1]!, items[i]!)).toBeLessThan(0)
        }
        for (const item of items) {
          expect(item.dueAt.getTime()).toBeLessThanOrEqual(book.asOf.getTime() + horizonDays * DAY)
          expect(item.overdueDays).toBe(Math.floor((book.asOf.getTime() - item.dueAt.getTime()) / DAY))
          expect(item.state).toBe(item.dueAt.getTime() <= book.asOf.getTime() ? "due" : "upcoming")
          if (item.kind === "missed") expect(item.priority).toBe(0)
          else expect(Math.sign(item.priority)).toBe(Math.sign(book.asOf.getTime() - item.dueAt.getTime()))
          expect(item.reason.length).toBeGreaterThan(0)
          expect(item.reason).not.toContain("\n")
        }
      })
    )
  })

  it("does not depend on the order of its input", () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const reversed = {
          asOf: book.asOf,
          partners: [...book.partners].reverse(),
          referrals: [...book.referrals].reverse(),
          interactions: [...book.interactions].reverse()
        }
        expect(Agenda.build(reversed)).toEqual(Agenda.build(book))
      })
    )
  })

  it("referrals and interactions dated after asOf change nothing", () => {
    fc.assert(
      fc.property(bookArb(), ({ asOf, interactions, partners, referrals }) => {
        const past = Agenda.build({
          partners,
          asOf,
          referrals: withoutFuture(referrals, asOf),
          interactions: withoutFuture(interactions, asOf)
        })
        expect(Agenda.build({ partners, asOf, referrals, interactions })).toEqual(past)
      })
    )
  })

  const touchArb = fc.record({
    book: bookArb({ stages: false }),
    who: fc.nat(),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    touch: fc.oneof(
      fc.record({
        tag: fc.constant("interaction" as const),
        kind: fc.constantFrom(...Interaction.Kind.literals)
      }),
      fc.record({
        tag: fc.constant("referral" as const),
        direction: fc.constantFrom("given" as const, "received" as const)
      })
    )
  })

  const addTouch = (
    book: Agenda.Input,
    id: string,
    date: Date,
    touch: { tag: "interaction"; kind: Interaction.Kind } | { tag: "referral"; direction: Referral.Direction }
  ) =>
    touch.tag === "interaction"
      ? { ...book, interactions: [...book.interactions, interaction("new", id, touch.kind, date)] }
      : { ...book, referrals: [...book.referrals, referral("new", id, touch.direction, date)] }

  it("ANY logged interaction or referral resets the clock: the check-in falls due one cadence after it", () => {
    fc.assert(
      fc.property(touchArb, ({ at, book, touch, who }) => {
        const p = book.partners[who % book.partners.length]!
        const last = Agenda.lastTouch(p, book.referrals, book.interactions, book.asOf) ?? p.createdAt
        fc.pre(last.getTime() < book.asOf.getTime())
        const date = new Date(
          last.getTime() + Math.max(1, Math.round(at * (book.asOf.getTime() - last.getTime())))
        )
        const before = clockOf(Agenda.build({ ...book, options: everyCheckIn }), p.id)[0]!
        const after = addTouch(book, p.id, date, touch)
        const item = clockOf(Agenda.build({ ...after, options: everyCheckIn }), p.id)[0]!
        const quadrant = Matrix.build({ ...after }).find((x) => x.partnerId === p.id)!.quadrant
        const cadence = Agenda.cadenceOf(p, quadrant)
        expect(item.kind).toBe("check-in")
        expect(item.dueAt).toEqual(daysFrom(date, cadence))
        // The due date moves later unless a referral lifted the partner into a quadrant with a
        // shorter cadence (casual 180 -> generous 120); interactions never change the quadrant.
        const beforeQuadrant = Matrix.build(book).find((x) => x.partnerId === p.id)!.quadrant
        if (Agenda.cadenceOf(p, beforeQuadrant) <= cadence) {
          expect(item.dueAt.getTime()).toBeGreaterThan(before.dueAt.getTime())
        }
        if (touch.tag === "interaction") expect(quadrant).toBe(beforeQuadrant)
        if (touch.tag === "interaction" || p.cadenceDays !== undefined) {
          expect(item.dueAt.getTime()).toBeGreaterThan(before.dueAt.getTime())
        }
      })
    )
  })

  it("a touch logged on asOf leaves no check-in or dormant item for that partner", () => {
    fc.assert(
      fc.property(touchArb, ({ book, touch, who }) => {
        const p = book.partners[who % book.partners.length]!
        const items = Agenda.build({ ...addTouch(book, p.id, book.asOf, touch), options: { horizonDays: 0 } })
        expect(clockOf(items, p.id)).toEqual([])
      })
    )
  })

  it("thanking a received referral removes its thank-you item and nothing else", () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.nat(),
        fc.integer({ min: 0, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (generated, pick, ago, at) => {
          // Make sure at least one referral is owed a thank-you: a new one from a partner who is not not-a-fit.
          const eligible = generated.partners.filter((p) => p.stage !== "not-a-fit")
          fc.pre(eligible.length > 0)
          const book = {
            ...generated,
            referrals: [
              ...generated.referrals,
              referral(
                "owed",
                eligible[pick % eligible.length]!.id,
                "received",
                daysFrom(generated.asOf, -ago)
              )
            ]
          }
          const known = new Set(eligible.map((p) => p.id as string))
          const owed = book.referrals.filter(
            (r) =>
              r.direction === "received" &&
              known.has(r.partnerId) &&
              r.date.getTime() <= book.asOf.getTime() &&
              (r.thankedAt === undefined || r.thankedAt.getTime() > book.asOf.getTime())
          )
          const r = owed[pick % owed.length]!
          const thankedAt = new Date(
            r.date.getTime() + Math.round(at * (book.asOf.getTime() - r.date.getTime()))
          )
          // Nothing is long past here, so each thank-you owed is an item of its own.
          const options = { missedAfterDays: 1_000_000 }
          const before = Agenda.build({ ...book, options })
          const after = Agenda.build({
            ...book,
            options,
            referrals: book.referrals.map((x) =>
              x.id === r.id ? Referral.Referral.make({ ...x, thankedAt }) : x
            )
          })
          const isTheThankYou = (i: Agenda.Item) => i.kind === "thank-you" && i.referralId === r.id
          expect(before.filter(isTheThankYou)).toHaveLength(1)
          expect(after).toEqual(before.filter((i) => !isTheThankYou(i)))
        }
      )
    )
  })
})

describe("Agenda: state and missed items", () => {
  it("every item says whether it is due or only upcoming within the look-ahead", () => {
    const items = Agenda.build({
      partners: [partner("a")],
      referrals: [
        referral("late", "a", "received", daysFrom(today, -5)),
        referral("soon", "a", "received", daysFrom(today, 0))
      ],
      interactions: [interaction("x", "a", "event", daysFrom(today, -1))],
      asOf: today
    })
    const thankYous = items.filter((i) => i.kind === "thank-you")
    expect(thankYous.map((i) => [i.referralId, i.state, i.overdueDays])).toEqual([
      ["late", "due", 3],
      ["soon", "upcoming", -2]
    ])
  })

  it("old unthanked referrals collapse into one missed item per partner, below yesterday's thank-you", () => {
    // Three unthanked referrals from 900 to 1,500 days ago, and one received three days ago.
    const old = [900, 1200, 1500].map((ago) => referral(`old${ago}`, "a", "received", daysFrom(today, -ago)))
    const items = Agenda.build({
      partners: [partner("a", { createdAt: daysFrom(today, -2000) }), partner("b")],
      referrals: [...old, referral("fresh", "b", "received", daysFrom(today, -3))],
      interactions: [
        interaction("xa", "a", "event", daysFrom(today, -1)),
        interaction("xb", "b", "event", daysFrom(today, -1))
      ],
      asOf: today,
      options: { horizonDays: 0 }
    })
    expect(items.map((i) => [i.kind, i.partnerId])).toEqual([
      ["thank-you", "b"],
      ["missed", "a"]
    ])
    const missed = items.find((i) => i.kind === "missed")!
    expect(missed.referralIds).toEqual(["old1500", "old1200", "old900"])
    expect(missed.dueAt).toEqual(daysFrom(today, -1500 + 2))
    expect(missed.state).toBe("due")
    expect(missed.priority).toBe(0)
    expect(missed.reason).toMatch(/3 thank-yous, 3 follow-ups/)
    expect(missed.reason).toMatch(/the oldest received \d{4}-\d\d-\d\d/)
  })

  it("the horizon is configurable, and only long-past thank-you, close-loop and follow-up items collapse", () => {
    const r = referral("r", "a", "received", daysFrom(today, -40), {
      status: "engaged",
      statusChangedAt: daysFrom(today, -35)
    })
    const build = (missedAfterDays?: number) =>
      Agenda.build({
        partners: [partner("a")],
        referrals: [r],
        interactions: [interaction("x", "a", "event", daysFrom(today, -1))],
        asOf: today,
        options: { horizonDays: 0, ...(missedAfterDays === undefined ? {} : { missedAfterDays }) }
      }).map((i) => i.kind)
    expect(build()).toEqual(["thank-you", "close-loop"])
    // The referral (40 days) and its outcome (35 days) are both past a 30-day horizon.
    expect(build(30)).toEqual(["missed"])
    // Past 38 days, the referral is long past but its outcome is not: only the thank-you is missed.
    expect(build(38)).toEqual(["close-loop", "missed"])
    expect(() => build(0)).toThrow(/options.missedAfterDays/)
  })

  it("a missed item never outranks an actionable one, and each partner has at most one", () => {
    fc.assert(
      fc.property(bookArb(), fc.integer({ min: 1, max: 200 }), (book, missedAfterDays) => {
        const items = Agenda.build({ ...book, options: { missedAfterDays } })
        const missed = items.filter((i) => i.kind === "missed")
        expect(new Set(missed.map((i) => i.partnerId)).size).toBe(missed.length)
        expect(items.slice(items.length - missed.length)).toEqual(missed)
        // Nothing about a referral is lost: each owed item is either listed or collapsed.
        const collapsed = new Set(missed.flatMap((i) => i.referralIds ?? []))
        const all = Agenda.build({ ...book, options: { missedAfterDays: 1_000_000 } })
        for (const i of all) {
          if (i.referralId === undefined || i.kind === "fee-review") continue
          const listed = items.some((j) => j.kind === i.kind && j.referralId === i.referralId)
          expect(listed || collapsed.has(i.referralId)).toBe(true)
        }
      })
    )
  })
})

describe("Agenda.build input checks", () => {
  it("throws InvalidInput naming the field", () => {
    const run = (asOf: Date, options?: Agenda.Options) => () =>
      Agenda.build({
        partners: [partner("a")],
        ...empty,
        asOf,
        ...(options === undefined ? {} : { options })
      })
    expect(run(new Date(Number.NaN))).toThrow(/asOf/)
    expect(run(today, { horizonDays: -1 })).toThrow(/options.horizonDays/)
    expect(run(today, { cadenceDays: { core: 0 } })).toThrow(/options.cadenceDays.core/)
    expect(run(today, { dormantFactor: 0.5 })).toThrow(/options.dormantFactor/)
    const error = (() => {
      try {
        run(today, { thankYouDays: Number.NaN })()
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ _tag: "InvalidInput", field: "options.thankYouDays" })
  })
})
