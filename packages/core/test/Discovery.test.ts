import {
  Book,
  Client,
  Discovery,
  Interaction,
  InvalidInput,
  Partner,
  PartnerbookClient,
  Profession,
  Profile,
  Store
} from "@partnerbook/core"
import { Arbitrary, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"

const book = Book.defaultBookId
const P = (id: string) => Profession.ProfessionId.make(id)
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`)
const asOf = day("2026-06-30")

const partner = (
  id: string,
  name: string,
  profession: string,
  stage: Partner.Stage = "active",
  kind: Partner.Kind = "complementary"
): Partner.Partner =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name,
    profession: P(profession),
    kind,
    stage,
    tags: [],
    notes: "",
    createdAt: day("2025-01-01"),
    revision: 0
  })

const client = (
  id: string,
  acquiredAt: Date,
  source: Client.Source,
  askedAbout: ReadonlyArray<string> = []
): Client.Client =>
  Client.Client.make({
    id: Client.ClientId.make(id),
    book,
    label: `client ${id}`,
    acquiredAt,
    source,
    askedAbout: askedAbout.map(P),
    revision: 0
  })

const contact = (name: string): Client.Source => ({ _tag: "contact", name })
const other: Client.Source = { _tag: "other", description: "web search" }

const profile = (profession: string) =>
  Profile.Profile.make({ book, name: "Owner", profession: P(profession), revision: 0 })

describe("Discovery.discover: who else serves my ideal client", () => {
  it("lists the pairings of a family law attorney that no active partner covers, with reasons", () => {
    const result = Discovery.discover({
      profile: profile("family-law-attorney"),
      partners: [
        partner("p1", "Carla Diaz", "cpa"),
        // a dormant or not-a-fit partner does not cover the need: keep looking
        partner("p2", "Theo Park", "therapist", "dormant"),
        partner("p3", "Rita Shaw", "real-estate-agent", "not-a-fit")
      ],
      clients: [],
      asOf
    })
    expect(result.pairings.map((x) => x.profession)).toEqual([
      "financial-planner",
      "real-estate-agent",
      "therapist"
    ])
    expect(result.pairings.find((x) => x.profession === "therapist")).toEqual({
      profession: "therapist",
      label: "Therapist",
      reason: "Family law clients often need support through the process."
    })
  })

  it("counts a specialist partner as covering the general profession, not the reverse", () => {
    const attorneyCovered = Discovery.discover({
      profile: profile("cpa"),
      partners: [partner("p1", "Ed Mills", "estate-planning-attorney", "identified")],
      clients: [],
      asOf
    })
    expect(attorneyCovered.pairings.map((x) => x.profession)).not.toContain("attorney")

    const planner = Discovery.discover({
      profile: profile("estate-planning-attorney"),
      partners: [partner("p1", "Fay Lo", "financial-advisor")],
      clients: [],
      asOf
    })
    // a financial advisor covers `financial-advisor`; the CPA gap remains
    expect(planner.pairings.map((x) => x.profession)).toEqual(["cpa"])
  })

  it("uses the pairings a user adds to the taxonomy", () => {
    const taxonomy = Profession.extend(Profession.defaultTaxonomy, {
      professions: [
        Profession.Profession.make({ id: P("dog-groomer"), label: "Dog groomer" }),
        Profession.Profession.make({ id: P("veterinarian"), label: "Veterinarian" })
      ],
      pairings: [
        Profession.Pairing.make({
          from: P("veterinarian"),
          to: P("dog-groomer"),
          mutual: true,
          reason: "Pet owners need both."
        })
      ]
    })
    const result = Discovery.discover({
      profile: profile("dog-groomer"),
      partners: [],
      clients: [],
      asOf,
      taxonomy
    })
    expect(result.pairings).toEqual([
      { profession: "veterinarian", label: "Veterinarian", reason: "Pet owners need both." }
    ])
  })
})

describe("Discovery.discover: who do my clients ask me about", () => {
  it("counts distinct clients per profession, flags the uncovered ones, most asked first", () => {
    const result = Discovery.discover({
      profile: profile("financial-advisor"),
      partners: [partner("p1", "Ed Mills", "estate-planning-attorney")],
      clients: [
        client("c1", day("2026-01-10"), other, ["cpa", "cpa", "estate-planning-attorney"]),
        client("c2", day("2026-02-10"), other, ["cpa"]),
        client("c3", day("2026-03-10"), other, ["therapist"]),
        client("c4", day("2026-04-10"), other, ["mortgage-lender"]),
        // after asOf: not known yet
        client("c5", day("2026-07-10"), other, ["mortgage-lender", "therapist"])
      ],
      asOf
    })
    expect(result.askedAbout).toEqual([
      { profession: "cpa", label: "CPA", clients: 2, covered: false, coveredBy: [] },
      {
        profession: "estate-planning-attorney",
        label: "Estate planning attorney",
        clients: 1,
        covered: true,
        coveredBy: ["p1"]
      },
      { profession: "mortgage-lender", label: "Mortgage lender", clients: 1, covered: false, coveredBy: [] },
      { profession: "therapist", label: "Therapist", clients: 1, covered: false, coveredBy: [] }
    ])
  })
})

describe("Discovery.discover: who is already sending me clients", () => {
  it("ranks the informal sources of the last 20 clients who are not partners yet", () => {
    const clients: Array<Client.Client> = []
    // 22 clients over 22 weeks; the two oldest fall outside the last 20
    const names = [
      "Old Source",
      "Old Source",
      "Maria Lopez",
      "maria  LOPEZ",
      "Maria Lopez",
      "Carla Diaz", // a partner already, written differently below
      "Sam Reed",
      "Sam Reed",
      "Sam Reed"
    ]
    for (let i = 0; i < 22; i++) {
      const name = names[i]
      clients.push(
        client(
          `c${String(i).padStart(2, "0")}`,
          new Date(day("2026-01-01").getTime() + i * 7 * 86_400_000),
          name === undefined ? other : contact(name)
        )
      )
    }
    const result = Discovery.discover({
      profile: profile("cpa"),
      partners: [partner("p1", "CARLA  diaz", "attorney", "not-a-fit")],
      clients,
      asOf
    })
    expect(result.recentClientsConsidered).toBe(20)
    // Maria and Sam both sent three; Sam's latest client is more recent
    expect(result.informalReferrers.map((r) => [r.contact, r.clients])).toEqual([
      ["Sam Reed", 3],
      ["Maria Lopez", 3]
    ])
    expect(result.informalReferrers[1]?.clientIds).toEqual(["c04", "c03", "c02"])
    expect(result.informalReferrers[0]?.lastClientAt).toEqual(clients[8]?.acquiredAt)
  })

  it("looks at the most recent clients as of asOf, and the window is configurable", () => {
    const clients = [
      client("a", day("2026-05-01"), contact("Ana")),
      client("b", day("2026-05-02"), contact("Ben")),
      client("c", day("2026-05-03"), contact("Ben")),
      client("d", day("2026-08-01"), contact("Cy")) // after asOf
    ]
    const result = Discovery.discover({
      profile: profile("cpa"),
      partners: [],
      clients,
      asOf,
      recentClients: 2
    })
    expect(result.informalReferrers.map((r) => [r.contact, r.clients])).toEqual([["Ben", 2]])
  })

  it("rejects an invalid asOf or window", () => {
    const input = { profile: profile("cpa"), partners: [], clients: [] }
    const attempt = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return e
      }
      return undefined
    }
    const bad = attempt(() => Discovery.discover({ ...input, asOf: new Date(Number.NaN) }))
    expect(bad).toBeInstanceOf(InvalidInput.InvalidInput)
    expect(bad).toMatchObject({ _tag: "InvalidInput", field: "asOf" })
    const zero = attempt(() => Discovery.discover({ ...input, asOf, recentClients: 0 }))
    expect(zero).toMatchObject({ _tag: "InvalidInput", field: "recentClients" })
    expect(String((zero as Error).message)).toContain("recentClients")
  })
})

// Generated books: small pools so that professions, names and dates collide.
const professionPool = [
  "attorney",
  "estate-planning-attorney",
  "family-law-attorney",
  "business-attorney",
  "cpa",
  "financial-advisor",
  "financial-planner",
  "therapist",
  "real-estate-agent",
  "mortgage-lender",
  "insurance-agent",
  "event-planner"
].map(P)
const namePool = ["Ana Ruiz", "ana  ruiz", "Ben Ode", "BEN ODE", "Cy Park", "Dee Fox", "Eli Moss"]

const partnerArb = fc
  .tuple(
    Arbitrary.make(Partner.Partner),
    fc.constantFrom(...professionPool),
    fc.constantFrom(...namePool),
    fc.integer({ min: 0, max: 99 })
  )
  .map(([p, profession, name, n]) =>
    Partner.Partner.make({ ...p, id: Partner.PartnerId.make(`p${n}`), profession, name })
  )

const sourceArb: fc.Arbitrary<Client.Source> = fc.oneof(
  fc.constantFrom(...namePool).map(contact),
  fc.constant(other),
  fc.constant<Client.Source>({ _tag: "partner", partnerId: Partner.PartnerId.make("p1") })
)

const clientArb = fc
  .tuple(
    Arbitrary.make(Client.Client),
    fc.integer({ min: 0, max: 60 }),
    sourceArb,
    fc.array(fc.constantFrom(...professionPool), { maxLength: 3 }),
    fc.integer({ min: 0, max: 999 })
  )
  .map(([c, days, source, askedAbout, n]) =>
    Client.Client.make({
      ...c,
      id: Client.ClientId.make(`c${n}`),
      // a few days apart, some on the same day, some after asOf
      acquiredAt: new Date(asOf.getTime() - (days - 5) * 86_400_000),
      source,
      askedAbout
    })
  )

const bookArb = fc.record({
  profession: fc.constantFrom(...professionPool),
  partners: fc.array(partnerArb, { maxLength: 12 }),
  clients: fc.uniqueArray(clientArb, { maxLength: 40, selector: (c) => c.id }),
  recentClients: fc.integer({ min: 1, max: 25 })
})

describe("Discovery.discover: properties", () => {
  it("never proposes a profession that an active partner covers, and misses none that none covers", () => {
    fc.assert(
      fc.property(bookArb, (b) => {
        const result = Discovery.discover({
          profile: profile(b.profession),
          partners: b.partners,
          clients: b.clients,
          asOf
        })
        const taxonomy = Profession.defaultTaxonomy
        const active = b.partners.filter((p) => p.stage !== "dormant" && p.stage !== "not-a-fit")
        const hasActive = (x: Profession.ProfessionId) =>
          active.some((p) => Profession.covers(taxonomy, p.profession, x))
        for (const gap of result.pairings) expect(hasActive(gap.profession)).toBe(false)
        const proposed = new Set(result.pairings.map((x) => x.profession))
        for (const match of Profession.pairsOf(taxonomy, P(b.profession))) {
          expect(proposed.has(match.profession)).toBe(!hasActive(match.profession))
        }
        for (const asked of result.askedAbout) expect(asked.covered).toBe(hasActive(asked.profession))
      })
    )
  })

  it("ranks informal referrers by count, ties broken the same way whatever the input order", () => {
    fc.assert(
      fc.property(bookArb, fc.func(fc.integer()), (b, order) => {
        const input = {
          profile: profile(b.profession),
          partners: b.partners,
          clients: b.clients,
          asOf,
          recentClients: b.recentClients
        }
        const result = Discovery.discover(input)
        const ranked = result.informalReferrers
        for (let i = 1; i < ranked.length; i++) {
          const [x, y] = [ranked[i - 1]!, ranked[i]!]
          expect(x.clients).toBeGreaterThanOrEqual(y.clients)
          expect(Discovery.compareReferrers(x, y)).toBeLessThan(0)
        }
        // each count is the number of recent clients from that contact, who is not a partner
        const recent = Discovery.recentClients(b.clients, asOf, b.recentClients)
        const partnerNames = new Set(b.partners.map((p) => Discovery.nameKey(p.name)))
        for (const r of ranked) {
          expect(partnerNames.has(Discovery.nameKey(r.contact))).toBe(false)
          const sent = recent.filter(
            (c) =>
              c.source._tag === "contact" && Discovery.nameKey(c.source.name) === Discovery.nameKey(r.contact)
          )
          expect(r.clients).toBe(sent.length)
          expect(r.clientIds).toEqual(sent.map((c) => c.id))
        }
        // a shuffled book gives exactly the same answer
        const key = (x: { id: string }) => order(x.id)
        const shuffle = <A extends { id: string }>(xs: ReadonlyArray<A>) =>
          [...xs].sort((a, c) => key(a) - key(c) || (a.id < c.id ? -1 : a.id > c.id ? 1 : 0))
        const again = Discovery.discover({
          ...input,
          partners: shuffle(b.partners),
          clients: shuffle(b.clients)
        })
        expect(again.informalReferrers).toEqual(ranked)
        expect(again.askedAbout.map((x) => [x.profession, x.clients])).toEqual(
          result.askedAbout.map((x) => [x.profession, x.clients])
        )
      })
    )
  })

  it("ignores every client acquired after asOf", () => {
    fc.assert(
      fc.property(bookArb, (b) => {
        const input = {
          profile: profile(b.profession),
          partners: b.partners,
          asOf,
          recentClients: b.recentClients
        }
        const known = b.clients.filter((c) => c.acquiredAt.getTime() <= asOf.getTime())
        expect(Discovery.discover({ ...input, clients: b.clients })).toEqual(
          Discovery.discover({ ...input, clients: known })
        )
      })
    )
  })
})

describe("Discovery goes by the stage inferred from history", () => {
  const me = { profession: P("attorney") }
  // A CPA added in 2023, recorded as active, never contacted since.
  const stale = Partner.Partner.make({
    ...partner("cpa", "Casey Park", "cpa", "active"),
    createdAt: day("2023-03-01")
  })

  it("a dormant, never-contacted CPA no longer covers cpa: discovery suggests one again", () => {
    const withHistory = Discovery.discover({
      profile: me,
      partners: [stale],
      clients: [],
      asOf,
      referrals: [],
      interactions: []
    })
    expect(withHistory.pairings.map((p) => p.profession)).toContain("cpa")
    // Without the history, the recorded stage is all there is to go by.
    const recorded = Discovery.discover({ profile: me, partners: [stale], clients: [], asOf })
    expect(recorded.pairings.map((p) => p.profession)).not.toContain("cpa")
  })

  it("a CPA recently in touch still covers cpa", () => {
    const touched = Interaction.Interaction.make({
      id: Interaction.InteractionId.make("x1"),
      book,
      partnerId: stale.id,
      kind: "check-in",
      date: day("2026-06-01"),
      revision: 0
    })
    const result = Discovery.discover({
      profile: me,
      partners: [stale],
      clients: [client("c1", day("2026-05-01"), { _tag: "other" }, ["cpa"])],
      asOf,
      referrals: [],
      interactions: [touched]
    })
    expect(result.pairings.map((p) => p.profession)).not.toContain("cpa")
    expect(result.askedAbout).toMatchObject([{ profession: "cpa", covered: true, coveredBy: ["cpa"] }])
  })

  it("the service passes the book's history: book.discover() suggests a CPA when the only one is dormant", async () => {
    const client_ = await PartnerbookClient.open({ store: Store.layerMemory })
    try {
      const b = client_.book()
      await b.setProfile({ name: "Me", profession: "attorney" })
      await b.addPartner({ name: "Casey Park", profession: "cpa", createdAt: "2023-03-01", stage: "active" })
      const found = await b.discover({ asOf: "2026-06-30" })
      expect(found.pairings.map((p) => p.profession)).toContain("cpa")
    } finally {
      await client_.close()
    }
  })
})
