import { Partner, PartnerbookClient, Store } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"

describe("Partner.byName", () => {
  it("sorts by name then id by code units, whatever the machine's locale", () => {
    const ps = [
      { id: "2", name: "Zoe" },
      { id: "1", name: "Ärla" },
      { id: "4", name: "Anna" },
      { id: "3", name: "Anna" }
    ]
    // "Ä" (U+00C4) sorts after "Z" on every machine, unlike localeCompare in en-US.
    expect([...ps].sort(Partner.byName).map((p) => p.id)).toEqual(["3", "4", "2", "1"])
  })

  it("is a total order: the sorted list does not depend on the input order", () => {
    const entry = fc.record({ id: fc.string({ maxLength: 3 }), name: fc.string({ maxLength: 3 }) })
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (p) => p.id, maxLength: 12 }), (ps) => {
        const sorted = [...ps].sort(Partner.byName)
        expect([...ps].reverse().sort(Partner.byName)).toEqual(sorted)
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!]
          expect(a.name < b.name || (a.name === b.name && a.id < b.id)).toBe(true)
        }
      })
    )
  })
})

describe("every partner list comes in the same order", () => {
  let client: PartnerbookClient.PartnerbookClient
  beforeEach(async () => {
    client = await PartnerbookClient.open({ store: Store.layerMemory })
  })
  afterEach(() => client.close())

  it("listPartners, matrix and balance list partners by name then id, by code units", async () => {
    const book = client.book()
    for (const [id, name] of [
      ["z", "Zoë"],
      ["a2", "Ärla"],
      ["a1", "Ärla"],
      ["b", "anna"],
      ["c", "Anna"]
    ] as const) {
      await book.addPartner({ id, name, profession: "cpa", createdAt: "2026-01-05" })
    }
    const expected = ["c", "z", "b", "a1", "a2"]
    expect((await book.listPartners()).map((p) => p.id)).toEqual(expected)
    expect((await book.matrix({ asOf: "2026-02-01" })).map((p) => p.partnerId)).toEqual(expected)
    expect((await book.balance({ asOf: "2026-02-01" })).map((p) => p.partnerId)).toEqual(expected)
  })
})
