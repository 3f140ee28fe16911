/**
 * The change feed capability suite: every write appends the book's next sequence and a record
 * keeps only its latest change; a failed transaction appends nothing; each book has its own
 * sequence; an import appends one put per record after what the book had.
 *
 * @since 0.2.0
 */
import { Partner } from "@partnerbook/core"
import { Effect, Exit, FastCheck as fc } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import {
  A,
  B,
  sortById,
  type Capability,
  type CapabilitySuite,
  capabilitySuite
} from "../internal/storeSuite.js"

/** The change feed capability: its title and its tests. */
export const capability: Capability = {
  title: "change feed",
  register: ({ numRuns, test, withStore }) => {
    test("changes - every write appends the next sequence; a record keeps only its latest change", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          expect(yield* store.changes(A)).toEqual({ changes: [], last: 0 })
          const [p, r] = [
            fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 21 })[0]!,
            fc.sample(Arbitraries.referral(A), { numRuns: 1, seed: 22 })[0]!
          ]
          const p1 = yield* store.partners.put(p)
          const r1 = yield* store.referrals.put(r)
          const p2 = yield* store.partners.put(new Partner.Partner({ ...p1, notes: "second" }))
          yield* store.referrals.remove(A, r1.id, r1.revision)
          const profile = yield* store.profile.put(
            fc.sample(Arbitraries.profile(A), { numRuns: 1, seed: 23 })[0]!
          )
          const page = yield* store.changes(A)
          expect(page).toEqual({
            changes: [
              { sequence: 3, entity: "partner", id: p.id, op: "put", revision: p2.revision },
              { sequence: 4, entity: "referral", id: r.id, op: "delete" },
              { sequence: 5, entity: "profile", id: A, op: "put", revision: profile.revision }
            ],
            last: 5
          })
          expect(yield* store.changes(A, { after: 3 })).toEqual({ changes: page.changes.slice(1), last: 5 })
          expect(yield* store.changes(A, { after: 0, limit: 2 })).toEqual({
            changes: page.changes.slice(0, 2),
            last: 5
          })
          expect(yield* store.changes(A, { after: 5 })).toEqual({ changes: [], last: 5 })
        })
      )
    })

    test("changes - a failed transaction appends nothing; books have their own sequences", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 24 })
          yield* store.partners.put(p!)
          const failed = yield* Effect.exit(
            store.transaction(
              Effect.zipRight(
                store.partners.put(
                  new Partner.Partner({
                    ...Arbitraries.withExternalId(q!, "q-new", false),
                    id: Partner.PartnerId.make("q-new")
                  })
                ),
                Effect.fail("no")
              )
            )
          )
          expect(Exit.isFailure(failed)).toBe(true)
          expect((yield* store.changes(A)).last).toBe(1)
          yield* store.partners.put(new Partner.Partner({ ...p!, book: B }))
          yield* store.partners.put(
            new Partner.Partner({
              ...Arbitraries.withExternalId(q!, "q-new", false),
              book: B,
              id: Partner.PartnerId.make("q-new")
            })
          )
          expect((yield* store.changes(B)).changes.map((c) => c.sequence)).toEqual([1, 2])
          expect((yield* store.changes(A)).changes.map((c) => [c.sequence, c.id])).toEqual([[1, p!.id]])
        })
      )
    })

    test("changes - an import appends one put per record, after what the book had", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(Arbitraries.partner(A, 50), { selector: (p) => p.id, minLength: 1, maxLength: 5 }),
          (partners) =>
            withStore((store) =>
              Effect.gen(function* () {
                const stored = yield* Effect.forEach(partners, (p) => store.partners.put(p))
                const document = yield* store.exportBook(A)
                const erased = yield* store.erase(A)
                expect(erased.partners).toBe(partners.length)
                const before = (yield* store.changes(A)).last
                expect(before).toBe(2 * partners.length)
                yield* store.importBook(document)
                const page = yield* store.changes(A, { after: before })
                expect(page.last).toBe(before + partners.length)
                expect(page.changes.map((c) => [c.entity, c.id, c.op, c.revision])).toEqual(
                  sortById(stored).map((p) => ["partner", p.id, "put", p.revision])
                )
                expect(page.changes.map((c) => c.sequence)).toEqual(partners.map((_, i) => before + i + 1))
              })
            )
        ),
        { numRuns: Math.max(3, Math.floor(numRuns / 3)) }
      )
    })
  }
}

/**
 * Registers the change feed tests for an adapter (`Store.changes`): sequences per book,
 * strictly increasing and never reused, written in the same transaction as the records.
 *
 * Runs alone: a store without a change feed leaves out this suite and `modelSuite`, and skips
 * by name the records suite's erase test and the service suite's delete test, which read the
 * feed too.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { changeFeedSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * changeFeedSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const changeFeedSuite: CapabilitySuite = capabilitySuite(capability)
