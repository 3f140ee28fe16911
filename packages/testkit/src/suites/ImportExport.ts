/**
 * The import and export capability suite: export, import into another store and export again
 * gives the same document (through JSON text); importing into a non-empty book fails and changes
 * nothing; a malformed document is `InvalidData` naming the path.
 *
 * @since 0.2.0
 */
import { BookDocument, Partner, type StoreError } from "@partnerbook/core"
import { Effect, FastCheck as fc } from "effect"
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

/** The import and export capability: its title and its tests. */
export const capability: Capability = {
  title: "import and export",
  register: ({ numRuns, test, withStore }) => {
    test("export - export, import into another store, export gives the same document", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.option(Arbitraries.profile(A), { nil: undefined }),
          fc.uniqueArray(Arbitraries.partner(A, 10), { selector: (x) => x.id, maxLength: 5 }),
          fc.uniqueArray(Arbitraries.referral(A, 10), { selector: (x) => x.id, maxLength: 6 }),
          fc.uniqueArray(Arbitraries.interaction(A, 10), { selector: (x) => x.id, maxLength: 4 }),
          fc.uniqueArray(Arbitraries.client(A, 10), { selector: (x) => x.id, maxLength: 4 }),
          async (profile, partners, referrals, interactions, clients) => {
            const first = await withStore((store) =>
              Effect.gen(function* () {
                if (profile !== undefined) yield* store.profile.put(profile)
                for (const x of partners) yield* store.partners.put(x)
                for (const x of referrals) yield* store.referrals.put(x)
                for (const x of interactions) yield* store.interactions.put(x)
                for (const x of clients) yield* store.clients.put(x)
                // A second update so that revisions other than 1 travel too.
                if (partners[0] !== undefined) {
                  const current = yield* store.partners.get(A, partners[0].id)
                  yield* store.partners.put(new Partner.Partner({ ...current, notes: "second" }))
                }
                return BookDocument.encode(yield* store.exportBook(A))
              })
            )
            expect(first.partners.map((p) => p.id)).toEqual(sortById(partners).map((p) => p.id))
            // Through JSON text, as a file would carry it.
            const text = JSON.stringify(first)
            const second = await withStore((store) =>
              Effect.gen(function* () {
                const summary = yield* store.importJson(JSON.parse(text))
                expect(summary).toMatchObject({
                  book: A,
                  partners: partners.length,
                  referrals: referrals.length
                })
                return BookDocument.encode(yield* store.exportBook(A))
              })
            )
            expect(second).toEqual(first)
            expect(JSON.stringify(second)).toBe(text)
          }
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    })

    test("import - into a non-empty book fails and changes nothing", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const [p, q] = fc.sample(Arbitraries.partner(A, 1000), { numRuns: 2, seed: 11 })
          yield* store.partners.put(
            new Partner.Partner({
              ...Arbitraries.withExternalId(p!, "existing", false),
              id: Partner.PartnerId.make("existing")
            })
          )
          const before = BookDocument.encode(yield* store.exportBook(A))
          const doc = BookDocument.make({
            book: A,
            profile: null,
            partners: [
              new Partner.Partner({
                ...Arbitraries.withExternalId(q!, "incoming", false),
                id: Partner.PartnerId.make("incoming"),
                revision: 4
              })
            ],
            referrals: [],
            interactions: [],
            clients: []
          })
          const error = yield* Effect.flip(store.importBook(doc))
          expect(error).toMatchObject({ _tag: "BookNotEmpty", book: A })
          expect(BookDocument.encode(yield* store.exportBook(A))).toEqual(before)
          // Into another book, it works and keeps the revision.
          const summary = yield* store.importBook(doc, { book: B })
          expect(summary).toMatchObject({ book: B, partners: 1 })
          const moved = yield* store.partners.get(B, Partner.PartnerId.make("incoming"))
          expect(moved.book).toBe(B)
          expect(moved.revision).toBe(4)
        })
      )
    })

    test("import - a malformed document is InvalidData naming the path", async () => {
      await withStore((store) =>
        Effect.gen(function* () {
          const p = fc.sample(Arbitraries.partner(A), { numRuns: 1, seed: 5 })[0]!
          const good = BookDocument.encode(
            BookDocument.make({
              book: A,
              profile: null,
              partners: [p],
              referrals: [],
              interactions: [],
              clients: []
            })
          )
          const bad = { ...good, partners: [{ ...good.partners[0]!, createdAt: "not a date" }] }
          const error = yield* Effect.flip(store.importJson(bad))
          expect(error).toMatchObject({ _tag: "InvalidData" })
          expect((error as StoreError.InvalidData).path).toBe("partners.0.createdAt")
          const wrongVersion = yield* Effect.flip(store.importJson({ ...good, version: 99 }))
          expect((wrongVersion as StoreError.InvalidData).path).toBe("version")
          const otherBook = yield* Effect.flip(store.importJson({ ...good, book: "bob" }))
          expect((otherBook as StoreError.InvalidData).path).toBe("partners.0.book")
          expect(yield* store.books()).toEqual([])
        })
      )
    })
  }
}

/**
 * Registers the import and export tests for an adapter: the round trip of a whole book as one
 * versioned JSON document, and the refusals that leave the store unchanged.
 *
 * Runs alone: a store without import and export leaves out this suite, and skips by name the
 * tests of other suites that read `exportBook` too (records: isolation and erase; change feed:
 * import; service: delete).
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { importExportSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * importExportSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const importExportSuite: CapabilitySuite = capabilitySuite(capability)
