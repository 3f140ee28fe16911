/**
 * The service capability suite: the Partnerbook service's CRM commands over the store.
 * `deletePartner` refuses a partner with history unless `cascade`, which removes it all in one
 * transaction; `mergePartners` moves history, fills empty fields and unites tags;
 * `searchPartners` pages through every match once, accent-insensitive, in a stable order.
 *
 * @since 0.2.0
 */
import { Effect, FastCheck as fc, Option } from "effect"
import { expect } from "vitest"
import { A, type Capability, type CapabilitySuite, capabilitySuite } from "../internal/storeSuite.js"

/** The service capability: its title and its tests. */
export const capability: Capability = {
  title: "service",
  register: ({ numRuns, test, withService }) => {
    test("service - deletePartner refuses with history; cascade removes it all in one transaction", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const p = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa" })
          const q = yield* service.addPartner(A, { name: "Lee Park", profession: "attorney" })
          yield* service.giveReferral(A, { partnerId: p.id, date: "2026-01-02" })
          yield* service.receiveReferral(A, { partnerId: p.id, date: "2026-01-03" })
          const other = yield* service.receiveReferral(A, { partnerId: q.id, date: "2026-01-03" })
          yield* service.logInteraction(A, { partnerId: p.id, kind: "one-on-one", date: "2026-01-04" })
          const c = yield* service.addClient(A, {
            label: "c",
            source: { _tag: "partner", partnerId: p.id },
            acquiredAt: "2026-01-05"
          })
          const before = yield* store.exportBook(A)
          const refused = yield* Effect.flip(service.deletePartner(A, p.id))
          expect(refused).toMatchObject({ _tag: "InvalidCommand" })
          expect(String((refused as { message: string }).message)).toContain("cascade")
          expect(yield* store.exportBook(A)).toEqual(before)
          const done = yield* service.deletePartner(A, p.id, { cascade: true })
          expect(done).toEqual({ partners: 1, referrals: 2, interactions: 1, clients: 1 })
          expect(Option.isNone(yield* store.partners.find(A, p.id))).toBe(true)
          expect((yield* store.referrals.list(A)).map((r) => r.id)).toEqual([other.id])
          expect(yield* store.interactions.list(A)).toEqual([])
          expect((yield* store.clients.get(A, c.id)).source).toEqual({ _tag: "other" })
          // Without history a partner goes at once; the single deletes work and are recorded.
          expect(yield* service.deletePartner(A, q.id, { cascade: true })).toMatchObject({
            partners: 1,
            referrals: 1
          })
          yield* service.deleteClient(A, c.id)
          expect(yield* Effect.flip(service.deleteClient(A, c.id))).toMatchObject({ _tag: "NotFound" })
          const ops = (yield* store.changes(A)).changes.filter((x) => x.op === "delete").map((x) => x.entity)
          expect(ops.sort()).toEqual([
            "client",
            "interaction",
            "partner",
            "partner",
            "referral",
            "referral",
            "referral"
          ])
        })
      )
    })

    test("service - mergePartners moves history, fills empty fields, unites tags", async () => {
      await withService((service, store) =>
        Effect.gen(function* () {
          const keep = yield* service.addPartner(A, { name: "Dana Smith", profession: "cpa", tags: ["tax"] })
          const dup = yield* service.addPartner(A, {
            name: "Dana Smith (2)",
            profession: "attorney",
            organization: "Smith & Co",
            tags: ["tax", "south"],
            notes: "from the CRM",
            externalId: "crm-dup"
          })
          const r = yield* service.giveReferral(A, { partnerId: dup.id, date: "2026-01-02" })
          const x = yield* service.logInteraction(A, {
            partnerId: dup.id,
            kind: "check-in",
            date: "2026-01-03"
          })
          const c = yield* service.addClient(A, {
            label: "c",
            source: { _tag: "partner", partnerId: dup.id },
            acquiredAt: "2026-01-05"
          })
          const merged = yield* service.mergePartners(A, keep.id, dup.id)
          expect(merged).toMatchObject({
            id: keep.id,
            name: "Dana Smith",
            profession: "cpa",
            organization: "Smith & Co",
            notes: "from the CRM",
            externalId: "crm-dup",
            revision: keep.revision + 1
          })
          expect([...merged.tags].sort()).toEqual(["south", "tax"])
          expect(Option.isNone(yield* store.partners.find(A, dup.id))).toBe(true)
          expect((yield* store.referrals.get(A, r.id)).partnerId).toBe(keep.id)
          expect((yield* store.interactions.get(A, x.id)).partnerId).toBe(keep.id)
          expect((yield* store.clients.get(A, c.id)).source).toEqual({ _tag: "partner", partnerId: keep.id })
          expect(yield* Effect.flip(service.mergePartners(A, keep.id, keep.id))).toMatchObject({
            _tag: "InvalidCommand"
          })
          expect(yield* Effect.flip(service.mergePartners(A, keep.id, dup.id))).toMatchObject({
            _tag: "NotFound"
          })
        })
      )
    })

    test("service - searchPartners pages through every match once, accent-insensitive, in a stable order", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              name: fc.constantFrom(
                "José Núñez",
                "jose nunez",
                "JOSÉ",
                "Ana",
                "Zoë",
                "ana maria",
                "Émile",
                "emile"
              ),
              stage: fc.constantFrom<"identified" | "active" | "not-a-fit">(
                "identified",
                "active",
                "not-a-fit"
              ),
              tag: fc.constantFrom("a", "b")
            }),
            { maxLength: 12 }
          ),
          fc.integer({ min: 1, max: 5 }),
          fc.constantFrom(undefined, "jose", "NUNEZ", "emile", "ana", "zoe"),
          fc.constantFrom(undefined, "active" as const),
          fc.constantFrom(undefined, "a"),
          (rows, limit, text, stage, tag) =>
            withService((service) =>
              Effect.gen(function* () {
                const added = yield* Effect.forEach(rows, (row) =>
                  service.addPartner(A, {
                    name: row.name,
                    profession: "cpa",
                    stage: row.stage,
                    tags: [row.tag]
                  })
                )
                const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
                const expected = added
                  .filter(
                    (p) =>
                      (text === undefined || fold(p.name).includes(fold(text))) &&
                      (stage === undefined || p.stage === stage) &&
                      (tag === undefined || p.tags.includes(tag))
                  )
                  .sort((a, b) => {
                    const [x, y] = [fold(a.name), fold(b.name)]
                    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
                  })
                  .map((p) => p.id)
                const seen: Array<string> = []
                let cursor: string | undefined
                for (let page = 0; page < 20; page++) {
                  const result = yield* service.searchPartners(A, {
                    limit,
                    ...(text === undefined ? {} : { text }),
                    ...(stage === undefined ? {} : { stage }),
                    ...(tag === undefined ? {} : { tag }),
                    ...(cursor === undefined ? {} : { cursor })
                  })
                  expect(result.items.length).toBeLessThanOrEqual(limit)
                  seen.push(...result.items.map((p) => p.id))
                  if (result.nextCursor === undefined) break
                  cursor = result.nextCursor
                }
                expect(seen).toEqual(expected)
                const bad = yield* Effect.flip(service.searchPartners(A, { cursor: "not a cursor" }))
                expect(bad).toMatchObject({ _tag: "InvalidInput" })
              })
            )
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })
  }
}

/**
 * Registers the service tests for an adapter: delete with cascade, merge and search, run by the
 * Partnerbook service over the store (they read the change feed and `exportBook` too).
 *
 * Runs alone, like every capability suite; its delete test also reads the change feed and
 * `exportBook`, and its merge test looks an external id up.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { serviceSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * serviceSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const serviceSuite: CapabilitySuite = capabilitySuite(capability)
