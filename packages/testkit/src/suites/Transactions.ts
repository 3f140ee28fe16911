/**
 * The transactions capability suite: atomicity. A failing transaction leaves nothing behind
 * (new records, updates and removes are all undone), and nested transactions commit together
 * with the outer one, their writes visible inside.
 *
 * @since 0.2.0
 */
import { Partner } from "@partnerbook/core"
import { Effect, Exit, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import {
  A,
  encoders,
  failureOf,
  type Capability,
  type CapabilitySuite,
  capabilitySuite
} from "../internal/storeSuite.js"

/** The transactions capability: its title and its tests. */
export const capability: Capability = {
  title: "transactions",
  register: ({ numRuns, test, withStore }) => {
    test("transaction - a failing transaction leaves nothing behind", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.partner(A, 8), { selector: (p) => p.id, minLength: 1, maxLength: 5 }),
          Arbitraries.partner(A, 8),
          (partners, existing) =>
            withStore((store) =>
              Effect.gen(function* () {
                const before = yield* store.partners.put(
                  new Partner.Partner({
                    ...Arbitraries.withExternalId(existing, "kept", false),
                    id: Partner.PartnerId.make("kept")
                  })
                )
                const exit = yield* Effect.exit(
                  store.transaction(
                    Effect.gen(function* () {
                      for (const p of partners) yield* store.partners.put(p)
                      yield* store.partners.put(new Partner.Partner({ ...before, notes: "changed inside" }))
                      yield* store.partners.remove(A, before.id)
                      return yield* Effect.fail("boom" as const)
                    })
                  )
                )
                expect(failureOf(exit)).toBe("boom")
                const after = yield* store.partners.list(A)
                expect(after.map((p) => encoders.partner(p))).toEqual([encoders.partner(before)])
              })
            )
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })

    test("transaction - nested transactions commit together", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 7 })
          const id1 = Partner.PartnerId.make("one")
          const id2 = Partner.PartnerId.make("two")
          yield* store.transaction(
            Effect.gen(function* () {
              yield* store.partners.put(new Partner.Partner({ ...p!, id: id1 }))
              yield* store.transaction(store.partners.put(new Partner.Partner({ ...q!, id: id2 })))
              // Reads inside see the writes.
              expect((yield* store.partners.get(A, id2)).revision).toBe(1)
            })
          )
          expect((yield* store.partners.list(A)).map((x) => x.id).sort()).toEqual(["one", "two"])
          const exit = yield* Effect.exit(
            store.transaction(
              Effect.gen(function* () {
                yield* store.transaction(
                  store.partners.put(
                    new Partner.Partner({
                      ...Arbitraries.withExternalId(p!, "three", false),
                      id: Partner.PartnerId.make("three")
                    })
                  )
                )
                return yield* Effect.fail("outer fails")
              })
            )
          )
          expect(Exit.isFailure(exit)).toBe(true)
          expect(Option.isNone(yield* store.partners.find(A, Partner.PartnerId.make("three")))).toBe(true)
        })
      )
    })
  }
}

/**
 * Registers the transaction (atomicity) tests for an adapter: a failing transaction leaves
 * nothing behind; nested transactions commit or fail with the outer one.
 *
 * Runs alone. An adapter without nested transactions (no savepoints yet) skips that test by
 * name, with the reason; the service's commands all run in transactions.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { transactionsSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * transactionsSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const transactionsSuite: CapabilitySuite = capabilitySuite(capability)
