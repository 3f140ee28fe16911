import { Partnerbook, PartnerbookClient, Store, StoreError } from "@partnerbook/core"
import { Cause, Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"

/** The memory store, except that looking up a referral by id fails as if the store went away. */
const flaky = Layer.effect(
  Store.Store,
  Effect.map(Store.Store, (store) => ({
    ...store,
    referrals: {
      ...store.referrals,
      find: () => Effect.fail(new StoreError.StoreUnavailable({ reason: "connection lost" }))
    }
  }))
).pipe(Layer.provide(Store.layerMemory))

describe("a new record's id", () => {
  it("a store failure while picking a fresh id rejects with the store's typed error, not a crash", async () => {
    const client = await PartnerbookClient.open({ store: flaky })
    try {
      const book = client.book()
      const partner = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
      const error = await book.giveReferral({ partnerId: partner.id, client: "c-1" }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ _tag: "StoreUnavailable", reason: "connection lost" })
      expect(await book.listReferrals()).toEqual([])
    } finally {
      await client.close()
    }
  })

  it("in Effect, it is a typed failure in the error channel, never a defect", async () => {
    const exit = await Effect.gen(function* () {
      const service = yield* Partnerbook.Partnerbook
      const partner = yield* service.addPartner("default", { name: "Dana Smith", profession: "cpa" })
      return yield* Effect.exit(service.giveReferral("default", { partnerId: partner.id, client: "c-1" }))
    }).pipe(Effect.provide(Partnerbook.layer.pipe(Layer.provideMerge(flaky))), Effect.runPromise)
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) {
      expect(Cause.isDie(exit.cause)).toBe(false)
      expect(Cause.failureOption(exit.cause)).toMatchObject({ value: { _tag: "StoreUnavailable" } })
    }
  })
})
