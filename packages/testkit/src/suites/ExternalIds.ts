/**
 * The external ids capability suite: an `externalId` is unique per book and entity,
 * `findByExternalId` finds its record, and through the Partnerbook service a retried create
 * with the same `externalId` returns the record unchanged (a differing one is `InvalidCommand`).
 *
 * @since 0.2.0
 */
import { Partner, Referral, StoreError } from "@partnerbook/core"
import { Effect, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import * as Arbitraries from "../Arbitraries.js"
import {
  A,
  B,
  encoders,
  type Capability,
  type CapabilitySuite,
  capabilitySuite
} from "../internal/storeSuite.js"

/** The external ids capability: its title and its tests. */
export const capability: Capability = {
  title: "external ids",
  register: ({ test, withService, withStore }) => {
    test("external id - unique per book and kind; findByExternalId finds the record", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 31 })
          const first = yield* store.partners.put(new Partner.Partner({ ...p!, externalId: "crm-1" }))
          const second = new Partner.Partner({
            ...q!,
            id: Partner.PartnerId.make("other-id"),
            externalId: "crm-1"
          })
          const error = yield* Effect.flip(store.partners.put(second))
          expect(error).toBeInstanceOf(StoreError.InvalidData)
          expect((error as StoreError.InvalidData).path).toBe("externalId")
          expect(Option.isNone(yield* store.partners.find(A, second.id))).toBe(true)
          // The same external id in another book, or on another kind, is another record's own.
          yield* store.partners.put(new Partner.Partner({ ...second, book: B }))
          const r = fc.sample(Arbitraries.referral(A), { numRuns: 1, seed: 32 })[0]!
          yield* store.referrals.put(new Referral.Referral({ ...r, externalId: "crm-1" }))
          const found = yield* store.findByExternalId("partner", A, "crm-1")
          expect(Option.map(found, (x) => encoders.partner(x))).toEqual(Option.some(encoders.partner(first)))
          expect(Option.isSome(yield* store.findByExternalId("referral", A, "crm-1"))).toBe(true)
          expect(Option.isNone(yield* store.findByExternalId("interaction", A, "crm-1"))).toBe(true)
          // Updating the holder keeps its id; once it lets go, another record may take it.
          const updated = yield* store.partners.put(new Partner.Partner({ ...first, notes: "kept" }))
          expect(updated.externalId).toBe("crm-1")
          const { externalId: _, ...without } = updated
          yield* store.partners.put(new Partner.Partner(without))
          yield* store.partners.put(second)
          const moved = yield* store.findByExternalId("partner", A, "crm-1")
          expect(Option.map(moved, (x) => x.id)).toEqual(Option.some(second.id))
        })
      )
    })

    test("service - a retried create with the same externalId returns the record unchanged", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, {
            name: "Dana Smith",
            profession: "cpa",
            externalId: "crm-contact-991"
          })
          const again = yield* service.addPartner(A, {
            name: "Dana Smith",
            profession: "cpa",
            externalId: "crm-contact-991"
          })
          expect(again.id).toBe(p.id)
          expect(again.revision).toBe(p.revision)
          const differs = yield* Effect.flip(
            service.addPartner(A, { name: "Dana Smyth", profession: "cpa", externalId: "crm-contact-991" })
          )
          expect(differs).toMatchObject({ _tag: "InvalidCommand" })
          expect(String((differs as { message: string }).message)).toMatch(/^externalId/)
          const input = { partnerId: p.id, date: "2026-03-01", externalId: "crm-event-7" }
          const r = yield* service.receiveReferral(A, input)
          expect((yield* service.receiveReferral(A, input)).id).toBe(r.id)
          expect(yield* Effect.flip(service.giveReferral(A, input))).toMatchObject({ _tag: "InvalidCommand" })
          const x = yield* service.logInteraction(A, {
            partnerId: p.id,
            kind: "note",
            externalId: "crm-note-1",
            date: "2026-03-02"
          })
          expect(
            (yield* service.logInteraction(A, {
              partnerId: p.id,
              kind: "note",
              externalId: "crm-note-1",
              date: "2026-03-02"
            })).id
          ).toBe(x.id)
          const c = yield* service.addClient(A, {
            label: "x",
            externalId: "crm-client-1",
            acquiredAt: "2026-03-03"
          })
          expect(
            (yield* service.addClient(A, {
              label: "x",
              externalId: "crm-client-1",
              acquiredAt: "2026-03-03"
            })).id
          ).toBe(c.id)
          expect((yield* store.referrals.list(A)).length).toBe(1)
          expect((yield* store.interactions.list(A)).length).toBe(1)
          expect((yield* store.clients.list(A)).length).toBe(1)
          for (const [entity, id, record] of [
            ["partner", "crm-contact-991", p],
            ["referral", "crm-event-7", r],
            ["interaction", "crm-note-1", x],
            ["client", "crm-client-1", c]
          ] as const) {
            const found = yield* service.findByExternalId(A, entity, id)
            expect(Option.map(found, (f) => f.id)).toEqual(Option.some(record.id))
          }
          expect(Option.isNone(yield* service.findByExternalId(A, "partner", "nobody"))).toBe(true)
          expect(yield* Effect.flip(service.findByExternalId(A, "profile" as never, "x"))).toMatchObject({
            _tag: "InvalidInput"
          })
          expect(
            yield* Effect.flip(service.addPartner(A, { name: "Z", profession: "cpa", externalId: "" }))
          ).toMatchObject({ _tag: "InvalidInput" })
        })
      )
    })
  }
}

/**
 * Registers the external id tests for an adapter: uniqueness per book and entity,
 * `findByExternalId`, and idempotent creates through the service.
 *
 * Runs alone: a store without `findByExternalId` runs every suite but this one and
 * `modelSuite` (whose commands look external ids up), and skips `serviceSuite`'s merge test
 * by name (its duplicate carries an external id).
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { externalIdsSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * externalIdsSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const externalIdsSuite: CapabilitySuite = capabilitySuite(capability)
