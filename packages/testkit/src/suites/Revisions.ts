/**
 * The revisions capability suite: optimistic concurrency. A new record carries revision 0, a
 * stale write or remove is `RevisionConflict` and changes nothing, and through the Partnerbook
 * service the second of two editors holding the same `expectedRevision` is refused.
 *
 * @since 0.2.0
 */
import { Partner, Referral, StoreError } from "@partnerbook/core"
import { Effect, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import { A, type Capability, type CapabilitySuite, capabilitySuite } from "../internal/storeSuite.js"

/** The revisions capability: its title and its tests. */
export const capability: Capability = {
  title: "revisions",
  register: ({ numRuns, test, withService, withStore }) => {
    test("revision - a new record must carry revision 0", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 1 })[0]!
          const error = yield* Effect.flip(store.partners.put(new Partner.Partner({ ...p, revision: 3 })))
          expect(error).toBeInstanceOf(StoreError.RevisionConflict)
          expect(error).toMatchObject({ _tag: "RevisionConflict", expected: 3, actual: null })
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
        })
      )
    })

    test("revision - a stale write fails and changes nothing", async () => {
      await fc.assert(
        fc.asyncProperty(Arbitraries.referral(A), fc.integer({ min: 1, max: 4 }), (r, updates) =>
          withStore((store) =>
            Effect.gen(function* () {
              let current = yield* store.referrals.put(r)
              const stale = current
              for (let i = 0; i < updates; i++) {
                current = yield* store.referrals.put(
                  new Referral.Referral({ ...current, client: `update ${i}` })
                )
              }
              expect(current.revision).toBe(updates + 1)
              const error = yield* Effect.flip(
                store.referrals.put(new Referral.Referral({ ...stale, client: "stale" }))
              )
              expect(error).toMatchObject({
                _tag: "RevisionConflict",
                entity: "referral",
                expected: 1,
                actual: updates + 1
              })
              const back = yield* store.referrals.get(A, r.id)
              expect(back.client).toBe(`update ${updates - 1}`)
              expect(back.revision).toBe(updates + 1)
            })
          )
        ),
        { numRuns }
      )
    })

    test("revision - remove with a stale revision fails and keeps the record", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 2 })[0]!
          const v1 = yield* store.partners.put(p)
          const v2 = yield* store.partners.put(new Partner.Partner({ ...v1, notes: "changed" }))
          const error = yield* Effect.flip(store.partners.remove(A, p.id, v1.revision))
          expect(error).toMatchObject({ _tag: "RevisionConflict", expected: 1, actual: 2 })
          expect((yield* store.partners.get(A, p.id)).revision).toBe(2)
          yield* store.partners.remove(A, p.id, v2.revision)
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
        })
      )
    })

    test("service - expectedRevision: the second of two editors gets RevisionConflict, nothing written", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa" })
          // Two editors read revision 1; the first saves, the second would silently win without the check.
          const first = yield* service.updatePartner(
            A,
            p.id,
            { notes: "first" },
            { expectedRevision: p.revision }
          )
          const error = yield* Effect.flip(
            service.updatePartner(A, p.id, { notes: "second" }, { expectedRevision: p.revision })
          )
          expect(error).toMatchObject({
            _tag: "RevisionConflict",
            expected: p.revision,
            actual: first.revision
          })
          expect((yield* store.partners.get(A, p.id)).notes).toBe("first")
          const r = yield* service.receiveReferral(A, { partnerId: p.id, date: "2026-01-02" })
          const stale = r.revision
          yield* service.moveReferral(A, r.id, "contacted", { date: "2026-01-03", expectedRevision: stale })
          for (const attempt of [
            service.moveReferral(A, r.id, "engaged", { date: "2026-01-04", expectedRevision: stale }),
            service.thankReferral(A, r.id, { date: "2026-01-04", expectedRevision: stale }),
            service.closeLoop(A, r.id, { date: "2026-01-04", expectedRevision: stale }),
            service.deleteReferral(A, r.id, { expectedRevision: stale }),
            service.deletePartner(A, p.id, { cascade: true, expectedRevision: p.revision })
          ]) {
            expect(yield* Effect.flip(attempt)).toMatchObject({ _tag: "RevisionConflict" })
          }
          expect((yield* store.referrals.get(A, r.id)).status).toBe("contacted")
          // A bare date stays accepted.
          expect((yield* service.thankReferral(A, r.id, "2026-01-05")).thankedAt?.toISOString()).toBe(
            "2026-01-05T00:00:00.000Z"
          )
          const bad = yield* Effect.flip(
            service.updatePartner(A, p.id, { notes: "x" }, { expectedRevision: -1 })
          )
          expect(bad).toMatchObject({ _tag: "InvalidInput" })
          expect(String((bad as { message: string }).message)).toContain("expectedRevision")
        })
      )
    })
  }
}

/**
 * Registers the revision (optimistic concurrency) tests for an adapter: a stale put or remove
 * fails with `RevisionConflict` and writes nothing, directly and through the service's
 * `expectedRevision`.
 *
 * Runs alone, for example while an adapter is being written; every published store passes it
 * (a stale write must never silently win).
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { revisionsSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * revisionsSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const revisionsSuite: CapabilitySuite = capabilitySuite(capability)
