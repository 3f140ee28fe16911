import { Matrix, Partnerbook, PartnerbookClient, Store } from "@partnerbook/core"
import { Effect, Layer } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"

const asOf = "2026-11-23"

describe("Partnerbook (Promise API over the memory store)", () => {
  let client: PartnerbookClient.PartnerbookClient
  beforeEach(async () => {
    client = await PartnerbookClient.open({ store: Store.layerMemory })
  })
  afterEach(() => client.close())

  const rejection = async (promise: Promise<unknown>): Promise<Error & { _tag: string }> => {
    try {
      await promise
    } catch (error) {
      expect(error).toBeInstanceOf(Error)
      return error as Error & { _tag: string }
    }
    throw new Error("expected a rejection")
  }

  it("gives partners short random ids with no personal data, keeps a given id, refuses a duplicate id", async () => {
    const book = client.book()
    const a = await book.addPartner({ name: "Dana Smith", profession: "cpa", createdAt: "2026-01-05" })
    const b = await book.addPartner({ name: "Dana  Smith!", profession: "cpa" })
    const c = await book.addPartner({ name: "Zoë Ærø", profession: "attorney", id: "dana-smith" })
    for (const p of [a, b]) {
      expect(p.id).toMatch(/^p-[0-9a-z]{8}$/)
      expect(p.id.toLowerCase()).not.toContain("dana")
    }
    expect(a.id).not.toBe(b.id)
    expect(c.id).toBe("dana-smith")
    expect(a.kind).toBe("complementary")
    expect(a.stage).toBe("identified")
    expect(a.createdAt.toISOString()).toBe("2026-01-05T00:00:00.000Z")
    const error = await rejection(book.addPartner({ id: "dana-smith", name: "Other", profession: "cpa" }))
    expect(error._tag).toBe("InvalidCommand")
    expect((await book.listPartners()).length).toBe(3)
  })

  it("names the field of invalid input and writes nothing", async () => {
    const book = client.book()
    const e1 = await rejection(book.addPartner({ name: "A", profession: "cpa", alignment: 2 }))
    expect(e1._tag).toBe("InvalidInput")
    expect(e1.message).toMatch(/^alignment: /)
    const e2 = await rejection(book.addPartner({ name: "  ", profession: "cpa" }))
    expect(e2.message).toMatch(/^name: /)
    const e3 = await rejection(book.addPartner({ name: "A", profession: "Certified Accountant" }))
    expect(e3.message).toMatch(/^profession: /)
    const p = await book.addPartner({ name: "A", profession: "cpa" })
    const e4 = await rejection(book.giveReferral({ partnerId: p.id, date: "2026-02-30" }))
    expect(e4.message).toMatch(/^date: /)
    const e5 = await rejection(book.matrix({ asOf: "yesterday" }))
    expect(e5.message).toMatch(/^asOf: /)
    const e6 = await rejection(client.book("").listPartners())
    expect(e6.message).toMatch(/^book: /)
    expect((await book.listReferrals()).length).toBe(0)
  })

  it("refuses a referral, interaction or client for a partner that does not exist", async () => {
    const book = client.book()
    for (const attempt of [
      book.giveReferral({ partnerId: "ghost" }),
      book.receiveReferral({ partnerId: "ghost" }),
      book.logInteraction({ partnerId: "ghost", kind: "check-in" }),
      book.addClient({ label: "x", source: { _tag: "partner", partnerId: "ghost" } })
    ]) {
      const error = await rejection(attempt)
      expect(error._tag).toBe("NotFound")
      expect(error.message).toContain("ghost")
    }
    expect(await client.books()).toEqual([])
  })

  it("moves referrals only forwards, thanks only received ones, closes the loop only after an outcome", async () => {
    const book = client.book()
    const p = await book.addPartner({ name: "Lee Park", profession: "mortgage-lender" })
    const given = await book.giveReferral({ partnerId: p.id, client: "c1", date: "2026-10-01" })
    const received = await book.receiveReferral({ partnerId: p.id, client: "c2", date: "2026-10-02" })
    expect(given.direction).toBe("given")
    expect(received.status).toBe("introduced")

    expect((await rejection(book.thankReferral(given.id, "2026-10-03")))._tag).toBe("InvalidCommand")
    const thanked = await book.thankReferral(received.id, "2026-10-03")
    expect(thanked.thankedAt?.toISOString().slice(0, 10)).toBe("2026-10-03")
    const again = await book.thankReferral(received.id, "2026-10-09")
    expect(again.thankedAt?.toISOString().slice(0, 10)).toBe("2026-10-03")

    expect((await rejection(book.closeLoop(received.id, "2026-10-04")))._tag).toBe("InvalidCommand")
    const contacted = await book.moveReferral(received.id, "contacted", { date: "2026-10-05" })
    expect(contacted.status).toBe("contacted")
    const engaged = await book.moveReferral(received.id, "engaged", { date: "2026-10-10", value: 2500 })
    expect(engaged).toMatchObject({ status: "engaged", value: 2500 })
    expect(engaged.statusChangedAt?.toISOString().slice(0, 10)).toBe("2026-10-10")
    const backwards = await rejection(book.moveReferral(received.id, "contacted"))
    expect(backwards._tag).toBe("InvalidCommand")
    expect(backwards.message).toContain("engaged")
    expect((await rejection(book.moveReferral(received.id, "not-engaged")))._tag).toBe("InvalidCommand")
    const closed = await book.closeLoop(received.id, "2026-10-11")
    expect(closed.loopClosedAt?.toISOString().slice(0, 10)).toBe("2026-10-11")
    expect((await rejection(book.closeLoop(given.id)))._tag).toBe("InvalidCommand")
    const stored = (await book.listReferrals()).find((r) => r.id === received.id)!
    expect(stored.revision).toBe(5)
  })

  it("keeps books apart and gives each its own matrix", async () => {
    const alice = client.book("alice")
    const bob = client.book("bob")
    const a = await alice.addPartner({ name: "Dana Smith", profession: "cpa", alignment: 0.9 })
    await bob.addPartner({ name: "Dana Smith", profession: "cpa", alignment: 0.1 })
    for (const date of ["2026-02-01", "2026-05-01", "2026-08-01", "2026-11-01"]) {
      await alice.receiveReferral({ partnerId: a.id, date })
    }
    const [ma] = await alice.matrix({ asOf })
    const [mb] = await bob.matrix({ asOf })
    expect(ma).toMatchObject({ quadrant: "core", activity: 4, received: 4 })
    expect(mb).toMatchObject({ quadrant: "casual", activity: 0 })
    expect(await client.books()).toEqual(["alice", "bob"])
  })

  it("updates a partner, clearing fields with null, and exports and imports a book", async () => {
    const book = client.book()
    const p = await book.addPartner({
      name: "Ana Ruiz",
      profession: "financial-advisor",
      alignment: 0.4,
      cadenceDays: 30
    })
    const updated = await book.updatePartner(p.id, {
      stage: "not-a-fit",
      alignment: null,
      tags: ["overflow"]
    })
    expect(updated.alignment).toBeUndefined()
    expect(updated).toMatchObject({ stage: "not-a-fit", cadenceDays: 30, tags: ["overflow"], revision: 2 })
    expect(await book.getProfile()).toBeUndefined()
    await book.setProfile({ name: "Me", profession: "estate-planning-attorney" })
    expect((await book.getProfile())?.profession).toBe("estate-planning-attorney")
    const doc = await book.exportBook()
    const copy = client.book("copy")
    const summary = await copy.importBook(JSON.parse(JSON.stringify(doc)))
    expect(summary).toMatchObject({ book: "copy", partners: 1, profile: 1 })
    expect((await copy.getPartner(p.id)).stage).toBe("not-a-fit")
    expect((await rejection(copy.importBook(JSON.parse(JSON.stringify(doc)))))._tag).toBe("BookNotEmpty")
  })
})

describe("Partnerbook rules through the service", () => {
  it("answers agenda, outreach, health, progression, portfolio, discovery and introductions for a book", async () => {
    const client = await PartnerbookClient.open()
    try {
      const book = client.book("rules")
      const cpa = await book.addPartner({
        name: "Dana Smith",
        profession: "cpa",
        alignment: 0.8,
        createdAt: "2026-01-01"
      })
      const lender = await book.addPartner({
        name: "Lee Park",
        profession: "mortgage-lender",
        createdAt: "2026-10-01"
      })
      await book.addPartner({
        name: "Old Contact",
        profession: "architect",
        stage: "not-a-fit",
        createdAt: "2026-01-01"
      })
      const received = await book.receiveReferral({ partnerId: cpa.id, client: "c1", date: "2026-11-10" })

      const agenda = await book.agenda({ asOf })
      const thankYou = agenda.filter((i) => i.kind === "thank-you")
      expect(thankYou.map((i) => i.referralId)).toEqual([received.id])
      expect(agenda.some((i) => i.name === "Old Contact")).toBe(false)
      for (let i = 1; i < agenda.length; i++)
        expect(agenda[i - 1]!.priority).toBeGreaterThanOrEqual(agenda[i]!.priority)
      await book.thankReferral(received.id, "2026-11-11")
      const after = await book.agenda({ asOf })
      expect(after.filter((i) => i.kind === "thank-you")).toEqual([])
      expect(after.length).toBe(agenda.length - 1)

      // Any logged interaction moves the check-in forward (the clock resets).
      const checkIn = (items: ReadonlyArray<{ kind: string; partnerId: string; dueAt: Date }>) =>
        items.find((i) => i.kind === "check-in" && i.partnerId === lender.id)?.dueAt.getTime() ??
        Number.POSITIVE_INFINITY
      const before = checkIn(await book.agenda({ asOf, options: { cadenceDays: { casual: 45 } } }))
      expect(before).toBe(Date.parse("2026-11-15"))
      await book.logInteraction({ partnerId: lender.id, kind: "note", date: "2026-11-20" })
      expect(checkIn(await book.agenda({ asOf, options: { cadenceDays: { casual: 45 } } }))).toBeGreaterThan(
        before
      )

      const rotation = await book.outreach({ weekOf: asOf, perWeek: 1 })
      expect(rotation.picks.length).toBe(1)
      expect(rotation.order.map((p) => p.name).sort()).toEqual(["Dana Smith", "Lee Park"])

      const health = await book.health({ asOf })
      expect(health.map((h) => h.name).sort()).toContain("Dana Smith")
      for (const h of health) {
        expect(h.score).toBeGreaterThanOrEqual(0)
        expect(h.score).toBeLessThanOrEqual(100)
        expect(h.components.length).toBeGreaterThan(0)
      }
      const progression = await book.progression({ asOf })
      expect(progression.find((p) => p.name === "Old Contact")?.next).toBeNull()
      const portfolio = await book.portfolio({ asOf })
      expect(portfolio.status).toBe("too-few")

      const missing = await book.discover({ asOf }).catch((e: { _tag: string }) => e._tag)
      expect(missing).toBe("InvalidCommand")
      await book.setProfile({ name: "Me", profession: "real-estate-agent" })
      await book.addClient({
        label: "k1",
        source: { _tag: "contact", name: "Pat Lee" },
        askedAbout: ["cpa", "therapist"],
        acquiredAt: "2026-10-01"
      })
      const found = await book.discover({ asOf })
      expect(found.pairings.map((p) => p.profession)).not.toContain("mortgage-lender")
      expect(found.askedAbout.find((a) => a.profession === "therapist")?.clients).toBe(1)
      expect(found.informalReferrers).toMatchObject([{ contact: "Pat Lee", clients: 1 }])

      const plan = await client.planIntroductions({
        rounds: 1,
        attendees: [
          { id: "a", name: "Ann", profession: "cpa", wants: [], wantsPeers: false },
          { id: "b", name: "Bo", profession: "attorney", wants: [], wantsPeers: false }
        ]
      })
      expect(plan.rounds[0]!.pairs.map((p) => [p.a, p.b].sort())).toEqual([["a", "b"]])
      const bad = await client
        .planIntroductions({
          rounds: 1,
          attendees: [{ id: "a", name: "Ann", profession: "CPA!", wants: [], wantsPeers: false }]
        })
        .catch((e: Error & { _tag: string }) => e)
      expect(bad).toMatchObject({ _tag: "InvalidInput" })
      expect((bad as Error).message).toMatch(/^attendees\.0\.profession: /)
    } finally {
      await client.close()
    }
  })
})

describe("Partnerbook (Effect API)", () => {
  it("computes the matrix from the store's window aggregate exactly as Matrix.build does", async () => {
    const program = Effect.gen(function* () {
      const pb = yield* Partnerbook.Partnerbook
      const names = ["A", "B", "C", "D"]
      for (const [i, name] of names.entries()) {
        const p = yield* pb.addPartner("b", {
          name,
          profession: "cpa",
          alignment: i / 3,
          createdAt: "2025-01-01"
        })
        for (let k = 0; k < i * 2; k++) {
          yield* (k % 2 === 0 ? pb.giveReferral : pb.receiveReferral)("b", {
            partnerId: p.id,
            date: `2026-0${1 + k}-15`
          })
        }
        // Outside the window: must not count.
        yield* pb.giveReferral("b", { partnerId: p.id, date: "2024-06-01" })
      }
      const viaStore = yield* pb.matrix("b", { asOf })
      const s = yield* pb.snapshot("b")
      const pure = Matrix.build({ partners: s.partners, referrals: s.referrals, asOf: new Date(asOf) })
      return { viaStore, pure }
    })
    const { viaStore, pure } = await Effect.runPromise(
      program.pipe(Effect.provide(Partnerbook.layer.pipe(Layer.provide(Store.layerMemory))))
    )
    const key = (p: Matrix.Placement) => [p.partnerId, p.quadrant, p.given, p.received, p.alignment]
    expect(viaStore.map(key)).toEqual([...pure].sort((a, b) => a.name.localeCompare(b.name)).map(key))
    expect(viaStore.map((p) => p.quadrant)).toEqual(["casual", "casual", "core", "core"])
  })
})
