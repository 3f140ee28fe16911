import { Outreach, PartnerbookClient, Store } from "@partnerbook/core"
import { DateTime, FastCheck as fc, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"

const zones = [
  "UTC",
  "America/New_York",
  "Europe/Paris",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Kiritimati"
]

/** The local calendar parts of an instant in a zone. */
const local = (t: Date, zone: string) =>
  DateTime.toParts(DateTime.unsafeMakeZoned(t, { timeZone: Option.getOrThrow(DateTime.zoneMakeNamed(zone)) }))

describe("Outreach.weekStart in a time zone", () => {
  it("is Monday 00:00 there, at or before the date, less than a week before it", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2060-01-01T00:00:00Z"),
          noInvalidDate: true
        }),
        fc.constantFrom(...zones),
        (date, zone) => {
          const start = Outreach.weekStart(date, zone)
          const parts = local(start, zone)
          expect(parts.weekDay).toBe(1)
          expect([parts.hours, parts.minutes, parts.seconds, parts.millis]).toEqual([0, 0, 0, 0])
          expect(start.getTime()).toBeLessThanOrEqual(date.getTime())
          expect(date.getTime() - start.getTime()).toBeLessThan(7 * 86_400_000 + 3_600_000)
          // Every moment of that week has the same start.
          expect(Outreach.weekStart(new Date(start.getTime() + 3 * 86_400_000), zone)).toEqual(start)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("an unknown zone is InvalidInput naming timeZone", () => {
    expect(() => Outreach.weekStart(new Date(), "Mars/Olympus")).toThrow(/timeZone/)
  })
})

describe("a book's time zone (Promise API)", () => {
  let client: PartnerbookClient.PartnerbookClient
  beforeEach(async () => {
    client = await PartnerbookClient.open({ store: Store.layerMemory })
  })
  afterEach(() => client.close())

  it("date-only inputs mean midnight in the book's zone; instants stay as given; UTC by default", async () => {
    const book = client.book("ny")
    const p0 = await book.addPartner({ name: "A", profession: "cpa", createdAt: "2026-03-10" })
    expect(p0.createdAt.toISOString()).toBe("2026-03-10T00:00:00.000Z")
    const profile = await book.setProfile({
      name: "Me",
      profession: "attorney",
      timeZone: "America/New_York"
    })
    expect(profile.timeZone).toBe("America/New_York")
    // Kept when setProfile is called again without it.
    expect((await book.setProfile({ name: "Me", profession: "attorney" })).timeZone).toBe("America/New_York")
    const p = await book.addPartner({ name: "B", profession: "cpa", createdAt: "2026-03-10" })
    expect(p.createdAt.toISOString()).toBe("2026-03-10T04:00:00.000Z") // EDT from 2026-03-08
    const r = await book.receiveReferral({ partnerId: p.id, date: "2026-01-15" })
    expect(r.date.toISOString()).toBe("2026-01-15T05:00:00.000Z") // EST
    const x = await book.logInteraction({ partnerId: p.id, kind: "note", date: "2026-01-15T12:00:00Z" })
    expect(x.date.toISOString()).toBe("2026-01-15T12:00:00.000Z")
    const thanked = await book.thankReferral(r.id, "2026-01-16")
    expect(thanked.thankedAt?.toISOString()).toBe("2026-01-16T05:00:00.000Z")
    // Query dates too: "after 2026-01-15" excludes the referral made at that very midnight in New York.
    expect(await book.listReferrals({ after: "2026-01-15" })).toEqual([])
    expect((await book.listReferrals({ until: "2026-01-15", partnerId: p.id })).map((y) => y.id)).toEqual([
      r.id
    ])
  })

  it("an invalid zone is InvalidInput naming timeZone, and nothing is written", async () => {
    const book = client.book()
    const error = await book
      .setProfile({ name: "Me", profession: "cpa", timeZone: "Mars/Olympus" })
      .catch((e) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error._tag).toBe("InvalidInput")
    expect(String(error.message)).toMatch(/^timeZone/)
    expect(await book.getProfile()).toBeUndefined()
  })

  it("outreach weeks start on Monday 00:00 in the book's zone", async () => {
    const book = client.book("tokyo")
    await book.setProfile({ name: "Me", profession: "attorney", timeZone: "Asia/Tokyo" })
    await book.addPartner({ name: "B", profession: "cpa", createdAt: "2026-01-01" })
    const plan = await book.outreach({ weekOf: "2026-03-11" })
    expect(plan.weekStart.toISOString()).toBe("2026-03-08T15:00:00.000Z") // Monday 9 March, 00:00 in Tokyo
  })

  it("query arguments take plain strings and Dates; a bad one is InvalidInput naming the field", async () => {
    const book = client.book()
    const p = await book.addPartner({ name: "B", profession: "cpa" })
    await book.giveReferral({ partnerId: p.id, date: "2026-02-01" })
    expect((await book.listReferrals({ partnerId: p.id, after: new Date("2026-01-01") })).length).toBe(1)
    expect((await book.listInteractions({ partnerId: p.id, until: "2026-12-31" })).length).toBe(0)
    for (const [query, field] of [
      [{ after: "yesterday" }, "query.after"],
      [{ until: "2026-13-01" }, "query.until"],
      [{ partnerId: "" }, "query.partnerId"]
    ] as const) {
      const error = await book.listReferrals(query).catch((e) => e)
      expect(error._tag).toBe("InvalidInput")
      expect(String(error.message)).toMatch(new RegExp(`^${field.replace(".", "\\.")}`))
    }
  })
})
