import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Book, BookDocument, Store } from "@partnerbook/core"
import { JsonStore } from "@partnerbook/store-json"
import { SqliteStore } from "@partnerbook/store-sqlite"
import { Arbitraries } from "@partnerbook/testkit"
import { Effect, FastCheck as fc, type Layer, ManagedRuntime } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { freshLayer, skip, skipReason } from "./fixtures/server.js"

const A = Book.BookId.make("alice")

const dirs: Array<string> = []
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-pg-roundtrip-"))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

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

const onlyFile = (dir: string): string => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"))
  expect(files).toHaveLength(1)
  return fs.readFileSync(path.join(dir, files[0]!), "utf8")
}

/** The file's text with its change feed removed, and how many changes the feed held. */
const withoutFeed = (text: string): { readonly text: string; readonly changes: number } => {
  const json = JSON.parse(text) as { changes?: ReadonlyArray<unknown> }
  const changes = json.changes?.length ?? 0
  delete json.changes
  return { text: JSON.stringify(json, null, 2), changes }
}

describe.skipIf(skip)(`moving a book through PostgreSQL${skip ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("JSON file -> SQLite -> PostgreSQL -> JSON file gives the same bytes", async () => {
    await fc.assert(
      fc.asyncProperty(
        Arbitraries.profile(A),
        fc.uniqueArray(Arbitraries.partner(A, 10), { selector: (x) => x.id, minLength: 1, maxLength: 5 }),
        fc.uniqueArray(Arbitraries.referral(A, 10), { selector: (x) => x.id, maxLength: 8 }),
        fc.uniqueArray(Arbitraries.interaction(A, 10), { selector: (x) => x.id, maxLength: 4 }),
        fc.uniqueArray(Arbitraries.client(A, 10), { selector: (x) => x.id, maxLength: 4 }),
        async (profile, partners, referrals, interactions, clients) => {
          const first = tempDir()
          const exported = await run(JsonStore.layer({ directory: first }), (store) =>
            Effect.gen(function* () {
              yield* store.profile.put(profile)
              for (const x of partners) yield* store.partners.put(x)
              for (const x of referrals) yield* store.referrals.put(x)
              for (const x of interactions) yield* store.interactions.put(x)
              for (const x of clients) yield* store.clients.put(x)
              return yield* store.exportBook(A)
            })
          )
          // As a user moves a book: exported to JSON text, parsed, imported; and so on.
          const fromFile: unknown = JSON.parse(JSON.stringify(BookDocument.encode(exported)))
          const viaSqlite = await run(
            SqliteStore.layer({ filename: path.join(tempDir(), "book.db") }),
            (store) => Effect.zipRight(store.importJson(fromFile), store.exportBook(A))
          )
          const wire: unknown = JSON.parse(JSON.stringify(BookDocument.encode(viaSqlite)))
          const viaPostgres = await run(freshLayer(), (store) =>
            Effect.zipRight(store.importJson(wire), store.exportBook(A))
          )
          const second = tempDir()
          await run(JsonStore.layer({ directory: second }), (store) => store.importBook(viaPostgres))
          // The store file written from PostgreSQL's export is the first one, byte for byte,
          // but for its change feed: a history of puts in the first, one put per record
          // (imported in id order) in the second.
          const [a, b] = [withoutFeed(onlyFile(first)), withoutFeed(onlyFile(second))]
          expect(b.text).toBe(a.text)
          expect(b.changes).toBe(
            1 + partners.length + referrals.length + interactions.length + clients.length
          )
        }
      ),
      { numRuns: 10 }
    )
  }, 180_000)
})
