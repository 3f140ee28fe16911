import { describe, expect, it } from "@effect/vitest"
import { Book, BookDocument, Store } from "@partnerbook/core"
import { SqliteStore } from "@partnerbook/store-sqlite"
import { Arbitraries } from "@partnerbook/testkit"
import { Effect, FastCheck as fc, type Layer, ManagedRuntime } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { JsonStore } from "../src/index.js"
import { storeFile, tempDir } from "./helpers.js"

const A = Book.BookId.make("alice")

const run = async <X>(
  layer: Layer.Layer<Store.Store, unknown>,
  f: (store: Store.Store) => Effect.Effect<X, unknown>
) => {
  const runtime = ManagedRuntime.make(layer)
  try {
    return await runtime.runPromise(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

const json = (doc: BookDocument.BookDocument) => JSON.stringify(BookDocument.encode(doc))

describe("moving a book between stores", () => {
  it("JSON file -> SQLite -> JSON file: the same document, and the same file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(Arbitraries.profile(A), { nil: undefined }),
        fc.uniqueArray(Arbitraries.partner(A, 10), { selector: (x) => x.id, maxLength: 5 }),
        fc.uniqueArray(Arbitraries.referral(A, 10), { selector: (x) => x.id, maxLength: 8 }),
        fc.uniqueArray(Arbitraries.interaction(A, 10), { selector: (x) => x.id, maxLength: 4 }),
        fc.uniqueArray(Arbitraries.client(A, 10), { selector: (x) => x.id, maxLength: 4 }),
        async (profile, partners, referrals, interactions, clients) => {
          const first = tempDir()
          const exported = await run(JsonStore.layer({ directory: first }), (store) =>
            Effect.gen(function* () {
              if (profile !== undefined) yield* store.profile.put(profile)
              for (const x of partners) yield* store.partners.put(x)
              for (const x of referrals) yield* store.referrals.put(x)
              for (const x of interactions) yield* store.interactions.put(x)
              for (const x of clients) yield* store.clients.put(x)
              return yield* store.exportBook(A)
            })
          )
          // Through JSON text, as a user would move it (export to a file, import the file).
          const wire: unknown = JSON.parse(JSON.stringify(BookDocument.encode(exported)))
          const sqlite = SqliteStore.layer({ filename: join(tempDir(), "book.db") })
          const fromSqlite = await run(sqlite, (store) =>
            Effect.zipRight(store.importJson(wire), store.exportBook(A))
          )
          expect(json(fromSqlite)).toBe(json(exported))
          const second = tempDir()
          const back = await run(JsonStore.layer({ directory: second }), (store) =>
            Effect.zipRight(store.importBook(fromSqlite), store.exportBook(A))
          )
          expect(json(back)).toBe(json(exported))
          // The records of the file are the same, byte for byte (an empty book has no file). The
          // change feed that follows them is each book's own history: the import's puts.
          const records = (dir: string) => {
            const text = readFileSync(storeFile(dir, A), "utf8")
            return text.slice(0, text.indexOf(',\n  "lastSequence"'))
          }
          if (Object.values(BookDocument.counts(exported)).some((n) => n > 0)) {
            expect(records(second)).toBe(records(first))
          }
        }
      ),
      { numRuns: 15 }
    )
  }, 120_000)
})
