import { PartnerbookClient, Store } from "@partnerbook/core"
import { FastCheck as fc } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"

const rejection = async (promise: Promise<unknown>): Promise<Error & { _tag: string }> => {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return error as Error & { _tag: string }
  }
  throw new Error("expected a rejection")
}

describe("what a user of the Promise API reads", () => {
  let client: PartnerbookClient.PartnerbookClient
  beforeEach(async () => {
    client = await PartnerbookClient.open({ store: Store.layerMemory })
  })
  afterEach(() => client.close())

  it("a date that is not one says what a date looks like, naming the field", async () => {
    const book = client.book("alice")
    const partner = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}/.test(s)),
          fc.integer(),
          fc.constant(null),
          fc.boolean()
        ),
        async (date) => {
          const error = await rejection(book.receiveReferral({ partnerId: partner.id, date: date as string }))
          expect(error._tag).toBe("InvalidInput")
          expect(error.message).toBe(`date: expected a date like 2026-11-23, got ${JSON.stringify(date)}`)
          expect(error.message).not.toMatch(/DateFromSelf/)
        }
      ),
      { numRuns: 50 }
    )
  })

  it("an ISO-shaped date that does not exist keeps the precise reason", async () => {
    const book = client.book("alice")
    const partner = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
    const error = await rejection(book.receiveReferral({ partnerId: partner.id, date: "2026-02-30" }))
    expect(error._tag).toBe("InvalidInput")
    expect(error.message).toMatch(/^date: /)
    expect(error.message).not.toMatch(/expected a date like/)
  })

  it("a value outside a fixed list names every allowed value", async () => {
    const book = client.book("alice")
    const partner = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
    const referral = await book.receiveReferral({ partnerId: partner.id })
    const statuses = ["introduced", "contacted", "engaged", "not-engaged"]
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((s) => !statuses.includes(s)),
        async (status) => {
          const error = await rejection(book.moveReferral(referral.id, status as "engaged"))
          expect(error._tag).toBe("InvalidInput")
          expect(error.message).toBe(
            `status: expected one of introduced, contacted, engaged, not-engaged, got ${JSON.stringify(status)}`
          )
        }
      ),
      { numRuns: 50 }
    )
    const kind = await rejection(book.addPartner({ name: "Lee", profession: "cpa", kind: "boss" as "peer" }))
    expect(kind.message).toBe('kind: expected one of complementary, peer, got "boss"')
  })

  it("importBook takes what exportBook returns, as well as its parsed JSON", async () => {
    const alice = client.book("alice")
    const partner = await alice.addPartner({ name: "Dana Smith", profession: "cpa" })
    await alice.receiveReferral({ partnerId: partner.id, client: "client-17", date: "2026-11-02" })
    const document = await alice.exportBook()
    await client.book("bob").importBook(document)
    await client.book("carol").importBook(JSON.parse(JSON.stringify(document)))
    for (const id of ["bob", "carol"]) {
      // The same records, moved to the other book.
      const copy = JSON.stringify({ ...(await client.book(id).exportBook()), exportedAt: null })
      expect(copy.replaceAll(`"book":"${id}"`, '"book":"alice"')).toBe(
        JSON.stringify({ ...document, exportedAt: null })
      )
    }
  })

  it("after close(), every call rejects with a tagged Error, never a bare string", async () => {
    const book = client.book("alice")
    await book.addPartner({ name: "Dana Smith", profession: "cpa" })
    await client.close()
    for (const call of [() => book.listPartners(), () => book.matrix(), () => client.books()]) {
      const error = await rejection(call())
      expect(error._tag).toBe("StoreUnavailable")
      expect(error.message).toMatch(/closed/)
    }
  })
})
