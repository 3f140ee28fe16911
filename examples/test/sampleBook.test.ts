/**
 * The sample book must keep giving every rule something to say: these tests pin the
 * properties the demo and the docs rely on, so that extending the book cannot quietly lose one.
 */
import { Balance, Client, Interaction, Matrix, Partner, Profile, Referral } from "@partnerbook/core"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { SampleBook } from "partnerbook"

const { demoAsOf } = SampleBook
const book = SampleBook.sampleBook(demoAsOf)

describe("sampleBook", () => {
  it("places partners in all four quadrants", () => {
    const placements = Matrix.build({ ...book, asOf: demoAsOf })
    const quadrants = new Set(placements.map((p) => p.quadrant))
    expect([...quadrants].sort()).toEqual([...Matrix.quadrants].sort())
    expect(placements.some((p) => p.alignmentSource === "unknown")).toBe(true)
    expect(placements.some((p) => p.alignmentSource === "ideal-client")).toBe(true)
    expect(placements.some((p) => p.alignmentSource === "manual")).toBe(true)
  })

  it("has a giving-more and a receiving-more balance, and a persistent one", () => {
    const reports = Balance.report({ ...book, asOf: demoAsOf })
    expect(reports.some((r) => r.state === "giving-more")).toBe(true)
    expect(reports.some((r) => r.state === "receiving-more")).toBe(true)
    expect(reports.some((r) => r.persistent)).toBe(true)
  })

  it("holds every interaction kind, and received referrals with and without thank-yous and closed loops", () => {
    const kinds = new Set(book.interactions.map((x) => x.kind))
    expect([...kinds].sort()).toEqual([...Interaction.Kind.literals].sort())
    const received = book.referrals.filter((r) => r.direction === "received")
    expect(received.some((r) => r.thankedAt !== undefined)).toBe(true)
    expect(received.some((r) => r.thankedAt === undefined)).toBe(true)
    const closed = received.filter(Referral.isClosed)
    expect(closed.some((r) => r.loopClosedAt !== undefined)).toBe(true)
    expect(closed.some((r) => r.loopClosedAt === undefined)).toBe(true)
    expect(received.some((r) => !Referral.isClosed(r))).toBe(true)
  })

  it("has a peer, a not-a-fit partner, informal referrers and clients who asked about professions", () => {
    expect(book.partners.some((p) => p.kind === "peer")).toBe(true)
    expect(book.partners.some((p) => p.stage === "not-a-fit")).toBe(true)
    expect(book.clients.some((c) => c.source._tag === "contact")).toBe(true)
    const asked = new Set(book.clients.flatMap((c) => c.askedAbout))
    expect(asked).toContain("financial-planner")
    expect(asked).toContain("therapist")
  })

  it("is dated entirely at or before asOf, in the default book, at revision 0", () => {
    const records = [book.profile, ...book.partners, ...book.referrals, ...book.interactions, ...book.clients]
    for (const r of records) {
      expect(r.book).toBe("default")
      expect(r.revision).toBe(0)
    }
    const dates = [
      ...book.partners.map((p) => p.createdAt),
      ...book.referrals.flatMap((r) => [r.date, r.statusChangedAt, r.thankedAt, r.loopClosedAt]),
      ...book.interactions.map((x) => x.date),
      ...book.clients.map((c) => c.acquiredAt)
    ].filter((d): d is Date => d !== undefined)
    for (const d of dates) expect(d.getTime()).toBeLessThanOrEqual(demoAsOf.getTime())
  })

  it("has unique ids and decodes from its own encoding", () => {
    for (const list of [book.partners, book.referrals, book.interactions, book.clients]) {
      expect(new Set(list.map((x) => x.id)).size).toBe(list.length)
    }
    const roundTrip = <A, I>(schema: Schema.Schema<A, I>, xs: ReadonlyArray<A>) =>
      expect(
        Schema.decodeUnknownSync(Schema.Array(schema))(
          JSON.parse(JSON.stringify(Schema.encodeSync(Schema.Array(schema))(xs)))
        )
      ).toEqual(xs)
    roundTrip(Profile.Profile, [book.profile])
    roundTrip(Partner.Partner, book.partners)
    roundTrip(Referral.Referral, book.referrals)
    roundTrip(Interaction.Interaction, book.interactions)
    roundTrip(Client.Client, book.clients)
  })

  it("keeps each referral's lifecycle in order", () => {
    for (const r of book.referrals) {
      for (const later of [r.statusChangedAt, r.thankedAt]) {
        if (later !== undefined) expect(later.getTime()).toBeGreaterThanOrEqual(r.date.getTime())
      }
      if (r.loopClosedAt !== undefined) {
        expect(Referral.isClosed(r)).toBe(true)
        expect(r.loopClosedAt.getTime()).toBeGreaterThanOrEqual(r.statusChangedAt!.getTime())
      }
      if (r.status !== "introduced") expect(r.statusChangedAt).toBeDefined()
    }
  })
})
