// Where a use case defaults a date to "today", today is Effect's Clock: with a TestClock the
// defaults follow the clock, and moving the clock moves the book's agenda, with no real waiting.
// Only the public service is used (the Partnerbook tag, its layer, the memory store).
import { describe, expect, it } from "@effect/vitest"
import { Partnerbook, Store } from "@partnerbook/core"
import { Clock, Duration, Effect, FastCheck as fc, Layer, TestClock } from "effect"

const DAY = 86_400_000
const book = "clock"

/** Runs `f` with the Partnerbook service over a fresh memory store. */
const withService = <A, E>(f: (pb: Partnerbook.Partnerbook) => Effect.Effect<A, E>) =>
  Effect.flatMap(Partnerbook.Partnerbook, f).pipe(
    Effect.provide(Partnerbook.layer.pipe(Layer.provide(Store.layerMemory)))
  )

const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/** Clock instants (to the millisecond, not only midnights) across several years. */
const instant = fc
  .date({
    min: new Date("2000-01-01T00:00:00.000Z"),
    max: new Date("2090-12-31T23:59:59.999Z"),
    noInvalidDate: true
  })
  .map((d) => d.getTime())

describe("clock defaults (TestClock)", () => {
  it.effect.prop(
    "a command without a date stamps the clock's current time",
    [instant, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: DAY - 1 })],
    ([start, days, ms]) =>
      withService((pb) =>
        Effect.gen(function* () {
          yield* TestClock.setTime(start)
          const t0 = yield* now
          expect(t0.getTime()).toBe(start)
          const p = yield* pb.addPartner(book, { name: "Dana Smith", profession: "cpa" })
          expect(p.createdAt).toEqual(t0)
          const given = yield* pb.giveReferral(book, { partnerId: p.id })
          const received = yield* pb.receiveReferral(book, { partnerId: p.id })
          const x = yield* pb.logInteraction(book, { partnerId: p.id, kind: "check-in" })
          const c = yield* pb.addClient(book, { label: "c" })
          expect([given.date, received.date, x.date, c.acquiredAt]).toEqual([t0, t0, t0, t0])

          // Later commands stamp the later time: the service reads the clock each time.
          yield* TestClock.adjust(Duration.millis(days * DAY + ms))
          const t1 = yield* now
          expect(t1.getTime()).toBe(start + days * DAY + ms)
          expect((yield* pb.moveReferral(book, received.id, "engaged")).statusChangedAt).toEqual(t1)
          expect((yield* pb.thankReferral(book, received.id)).thankedAt).toEqual(t1)
          expect((yield* pb.closeLoop(book, received.id)).loopClosedAt).toEqual(t1)
          expect((yield* pb.moveReferral(book, given.id, "contacted")).statusChangedAt).toEqual(t1)
          const later = yield* pb.logInteraction(book, { partnerId: p.id, kind: "note" })
          expect(later.date).toEqual(t1)
        })
      ),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect.prop(
    "every read without asOf (or weekOf) equals the same read as of the clock's time",
    [fc.integer({ min: -30, max: 800 }), fc.integer({ min: 0, max: DAY - 1 })],
    ([days, ms]) =>
      withService((pb) =>
        Effect.gen(function* () {
          // A small book with dated history, then the clock somewhere around and after it.
          yield* pb.setProfile(book, { name: "Me", profession: "attorney" })
          const cpa = yield* pb.addPartner(book, {
            name: "Dana Smith",
            profession: "cpa",
            alignment: 0.8,
            createdAt: "2026-01-05"
          })
          const planner = yield* pb.addPartner(book, {
            name: "Lee Park",
            profession: "financial-planner",
            cadenceDays: 30,
            createdAt: "2026-01-05"
          })
          const r = yield* pb.receiveReferral(book, { partnerId: cpa.id, date: "2026-02-01", fee: 100 })
          yield* pb.moveReferral(book, r.id, "engaged", { date: "2026-02-10", value: 5000 })
          yield* pb.giveReferral(book, { partnerId: planner.id, date: "2026-02-03" })
          yield* pb.logInteraction(book, {
            partnerId: cpa.id,
            kind: "one-on-one",
            date: "2026-02-15",
            positive: true
          })
          yield* pb.logInteraction(book, {
            partnerId: planner.id,
            kind: "check-in",
            date: "2026-03-01",
            positive: true
          })
          yield* pb.addClient(book, {
            label: "c1",
            source: { _tag: "partner", partnerId: cpa.id },
            askedAbout: ["cpa"],
            acquiredAt: "2026-02-12"
          })

          yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00.000Z") + days * DAY + ms)
          const asOf = yield* now
          expect(yield* pb.matrix(book)).toEqual(yield* pb.matrix(book, { asOf }))
          expect(yield* pb.balance(book)).toEqual(yield* pb.balance(book, { asOf }))
          expect(yield* pb.agenda(book)).toEqual(yield* pb.agenda(book, { asOf }))
          expect(yield* pb.health(book)).toEqual(yield* pb.health(book, { asOf }))
          expect(yield* pb.progression(book)).toEqual(yield* pb.progression(book, { asOf }))
          expect(yield* pb.portfolio(book)).toEqual(yield* pb.portfolio(book, { asOf }))
          expect(yield* pb.discover(book)).toEqual(yield* pb.discover(book, { asOf }))
          expect(yield* pb.compliance(book)).toEqual(yield* pb.compliance(book, { asOf }))
          expect(yield* pb.outreach(book)).toEqual(yield* pb.outreach(book, { weekOf: asOf }))
        })
      ),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect(
    "the agenda moves with the clock: upcoming becomes due, check-ins fall overdue, then dormant",
    () =>
      withService((pb) =>
        Effect.gen(function* () {
          const t0 = Date.parse("2026-03-10T09:30:00.000Z")
          yield* TestClock.setTime(t0)
          const p = yield* pb.addPartner(book, { name: "Dana Smith", profession: "cpa", cadenceDays: 30 })
          const r = yield* pb.receiveReferral(book, { partnerId: p.id })
          const at = (kind: string) =>
            Effect.map(pb.agenda(book), (items) =>
              items
                .filter((i) => i.kind === kind)
                .map((i) => ({ state: i.state, overdueDays: i.overdueDays, dueAt: i.dueAt.getTime() }))
            )

          // Today: the thank-you falls due in two days (inside the week's look-ahead); no check-in yet.
          expect(yield* at("thank-you")).toEqual([
            { state: "upcoming", overdueDays: -2, dueAt: t0 + 2 * DAY }
          ])
          expect(yield* at("check-in")).toEqual([])
          // The same as asking for that day explicitly.
          expect(yield* pb.agenda(book)).toEqual(yield* pb.agenda(book, { asOf: new Date(t0) }))

          yield* TestClock.adjust("2 days")
          expect(yield* at("thank-you")).toEqual([{ state: "due", overdueDays: 0, dueAt: t0 + 2 * DAY }])
          yield* TestClock.adjust("3 days")
          expect(yield* at("thank-you")).toEqual([{ state: "due", overdueDays: 3, dueAt: t0 + 2 * DAY }])
          yield* pb.thankReferral(book, r.id)
          expect(yield* at("thank-you")).toEqual([])

          // The check-in is due 30 days after the last touch (the referral, at t0): it appears
          // within the week before, then is due, then overdue by the days that passed.
          yield* TestClock.setTime(t0 + 22 * DAY)
          expect(yield* at("check-in")).toEqual([])
          yield* TestClock.adjust("1 day")
          expect(yield* at("check-in")).toEqual([
            { state: "upcoming", overdueDays: -7, dueAt: t0 + 30 * DAY }
          ])
          yield* TestClock.adjust("7 days")
          expect(yield* at("check-in")).toEqual([{ state: "due", overdueDays: 0, dueAt: t0 + 30 * DAY }])
          yield* TestClock.adjust("10 days")
          expect(yield* at("check-in")).toEqual([{ state: "due", overdueDays: 10, dueAt: t0 + 30 * DAY }])
          // Twice the cadence without a touch: dormant.
          expect(yield* at("dormant")).toEqual([])
          yield* TestClock.setTime(t0 + 60 * DAY)
          expect((yield* at("dormant")).map((i) => i.state)).toEqual(["due"])

          // Logging a touch with no date touches today: the check-in moves a cadence ahead.
          yield* pb.logInteraction(book, { partnerId: p.id, kind: "check-in" })
          expect(yield* at("check-in")).toEqual([])
          expect(yield* at("dormant")).toEqual([])
          yield* TestClock.adjust("30 days")
          expect(yield* at("check-in")).toEqual([{ state: "due", overdueDays: 0, dueAt: t0 + 90 * DAY }])
        })
      )
  )

  it.effect("health follows the clock: recency falls as days pass with nothing logged", () =>
    withService((pb) =>
      Effect.gen(function* () {
        const t0 = Date.parse("2026-03-10T00:00:00.000Z")
        yield* TestClock.setTime(t0)
        const p = yield* pb.addPartner(book, { name: "Dana Smith", profession: "cpa", cadenceDays: 30 })
        yield* pb.logInteraction(book, { partnerId: p.id, kind: "one-on-one", positive: true })
        const read = Effect.map(pb.health(book), ([report]) => ({
          score: report!.score,
          recency: report!.components.find((c) => c.name === "recency")!.value
        }))
        const seen: Array<{ score: number; recency: number }> = []
        for (const _ of [0, 1, 2, 3]) {
          seen.push(yield* read)
          yield* TestClock.adjust("30 days")
        }
        for (let i = 1; i < seen.length; i++) {
          expect(seen[i]!.score).toBeLessThanOrEqual(seen[i - 1]!.score)
          expect(seen[i]!.recency).toBeLessThanOrEqual(seen[i - 1]!.recency)
        }
        // Two cadences (60 days) without a touch: dormant, recency 0.
        expect(seen[0]!.recency).toBeGreaterThan(0)
        expect(seen[2]!.recency).toBe(0)
        expect(seen[3]!.score).toBeLessThan(seen[0]!.score)
      })
    )
  )
})
