import { Agenda, Compliance, PartnerbookClient, Profession, Store } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { bookArb, daysFrom, interaction, partner, referral, today } from "./fixtures/relationships.js"

const P = (id: string) => Profession.ProfessionId.make(id)
const regulated = (id: string) => Profession.feeRegulation(Profession.defaultTaxonomy, P(id)) !== undefined

describe("Profession.feeRegulation", () => {
  it("marks attorneys of every kind, financial advisors and planners, real estate agents and mortgage lenders", () => {
    for (const id of [
      "attorney",
      "estate-planning-attorney",
      "family-law-attorney",
      "business-attorney",
      "financial-advisor",
      "financial-planner",
      "real-estate-agent",
      "mortgage-lender"
    ]) {
      expect([id, regulated(id)]).toEqual([id, true])
    }
    for (const id of ["cpa", "event-planner", "therapist", "architect", "dog-groomer"]) {
      expect([id, regulated(id)]).toEqual([id, false])
    }
    expect(Profession.feeRegulation(Profession.defaultTaxonomy, P("mortgage-lender"))).toMatch(/RESPA/)
  })

  it("a user's own profession can be marked, and its specialties inherit it", () => {
    const taxonomy = Profession.extend(Profession.defaultTaxonomy, {
      professions: [
        Profession.Profession.make({
          id: P("insurance-agent"),
          label: "Insurance agent",
          feeRegulation: "state anti-rebating laws"
        }),
        Profession.Profession.make({
          id: P("life-insurance-agent"),
          label: "Life insurance agent",
          parent: P("insurance-agent")
        })
      ]
    })
    expect(Profession.feeRegulation(taxonomy, P("life-insurance-agent"))).toBe("state anti-rebating laws")
  })
})

describe("Compliance.review", () => {
  const cpa = partner("cpa", { name: "Dana Smith" })
  const lender = partner("lender", { name: "Lee Park", profession: P("mortgage-lender") })

  it("lists a fee with a regulated partner, with a one-line reason; a fee between unregulated sides is not listed", () => {
    const findings = Compliance.review({
      profile: { profession: P("event-planner") },
      partners: [cpa, lender],
      referrals: [
        referral("r1", "lender", "given", daysFrom(today, -10), { fee: 250 }),
        referral("r2", "cpa", "given", daysFrom(today, -5), { fee: 100 }),
        referral("r3", "lender", "received", daysFrom(today, -3))
      ]
    })
    expect(findings).toMatchObject([
      {
        referralId: "r1",
        partnerId: "lender",
        fee: 250,
        professions: ["mortgage-lender"],
        direction: "given"
      }
    ])
    expect(findings[0]!.reason).toMatch(
      /^A fee of 250 on the client \("client r1"\) you referred to Lee Park on \d{4}-\d\d-\d\d; Lee Park is a mortgage lender: RESPA/
    )
    expect(findings[0]!.reason).not.toContain("\n")
  })

  it("your own profession counts: an attorney's fee from a CPA is listed", () => {
    const findings = Compliance.review({
      profile: { profession: P("estate-planning-attorney") },
      partners: [cpa],
      referrals: [referral("r1", "cpa", "received", daysFrom(today, -10), { fee: 500 })]
    })
    expect(findings.map((f) => [f.referralId, f.professions])).toEqual([["r1", ["estate-planning-attorney"]]])
    expect(findings[0]!.reason).toMatch(
      /Dana Smith referred to you .*you are an estate planning attorney: lawyers' conduct rules/
    )
  })

  it("lists exactly the referrals with a fee where either side is regulated", () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.constantFrom("attorney", "cpa", "mortgage-lender", "event-planner"),
        (book, mine) => {
          const findings = Compliance.review({ ...book, profile: { profession: P(mine) } })
          const byId = new Map(book.partners.map((p) => [p.id as string, p]))
          const expected = book.referrals.filter((r) => {
            const p = byId.get(r.partnerId)
            return (
              p !== undefined &&
              r.date <= book.asOf &&
              (r.fee ?? 0) > 0 &&
              (regulated(mine) || regulated(p.profession))
            )
          })
          expect(findings.map((f) => f.referralId).sort()).toEqual(expected.map((r) => r.id as string).sort())
          for (const f of findings) expect(f.professions.every((id) => regulated(id))).toBe(true)
        }
      )
    )
  })
})

describe("fee-review on the agenda", () => {
  it("a recent regulated fee is an agenda item; an old one is left to compliance()", () => {
    const lender = partner("lender", { profession: P("mortgage-lender") })
    const items = Agenda.build({
      partners: [lender],
      referrals: [
        referral("new", "lender", "given", daysFrom(today, -20), { fee: 300 }),
        referral("old", "lender", "given", daysFrom(today, -200), { fee: 300 })
      ],
      interactions: [interaction("x", "lender", "check-in", daysFrom(today, -1))],
      asOf: today,
      options: { horizonDays: 0 }
    })
    expect(items.filter((i) => i.kind === "fee-review").map((i) => [i.referralId, i.state])).toEqual([
      ["new", "due"]
    ])
  })
})

describe("book.compliance() on the Promise client", () => {
  it("lists the fees to review, and rejects a bad asOf with a tagged error naming the field", async () => {
    const client = await PartnerbookClient.open({ store: Store.layerMemory })
    try {
      const book = client.book()
      await book.setProfile({ name: "Me", profession: "cpa" })
      const agent = await book.addPartner({ name: "Ana Ruiz", profession: "real-estate-agent" })
      const r = await book.giveReferral({
        partnerId: agent.id,
        client: "buyer-1",
        date: "2026-03-01",
        fee: 400
      })
      const findings = await book.compliance({ asOf: "2026-03-10" })
      expect(findings).toMatchObject([
        { referralId: r.id, partnerId: agent.id, fee: 400, professions: ["real-estate-agent"] }
      ])
      expect(findings[0]!.reason).toMatch(/RESPA/)
      const error = await book.compliance({ asOf: "2026-02-30" }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ _tag: "InvalidInput" })
      expect(String((error as Error).message)).toMatch(/asOf/)
    } finally {
      await client.close()
    }
  })
})
