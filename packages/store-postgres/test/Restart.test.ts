/**
 * The server stopped and started again under an open store. This test runs its own private
 * cluster (scripts/postgres.sh on another port and data folder), so that stopping it does not
 * disturb the other test files running at the same time. It needs what the script needs: root
 * or the postgres user, and PostgreSQL installed or installable; in CI it fails without them.
 */
import * as child from "node:child_process"
import * as fs from "node:fs"
import { Book, Partner, Profession, Store } from "@partnerbook/core"
import { Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PostgresStore } from "../src/index.js"
import { script, skip, skipReason } from "./fixtures/server.js"

const port = String(54_339 + (process.pid % 50))
const dir = `/tmp/partnerbook-postgres-restart-${process.pid}`
const env = { ...process.env, PARTNERBOOK_PG_PORT: port, PARTNERBOOK_PG_DIR: dir, PARTNERBOOK_PG_FAST: "1" }
const server = (command: "start" | "stop"): string =>
  child.execFileSync(script, [command], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()

const book = Book.BookId.make("b")
const partner = (id: string) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name: `Partner ${id}`,
    profession: Profession.ProfessionId.make("cpa"),
    kind: "complementary",
    stage: "identified",
    tags: [],
    notes: "",
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    revision: 0
  })

const SECRET = "restart-Secret-42"

describe.skipIf(skip)(`PostgresStore and a server restart${skip ? ` (skipped: ${skipReason})` : ""}`, () => {
  let url = ""
  beforeAll(() => {
    const plain = new URL(server("start"))
    // Trust authentication ignores the password; it is there to be redacted.
    plain.password = SECRET
    url = plain.toString()
  }, 120_000)
  afterAll(() => {
    try {
      server("stop")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("calls fail with StoreUnavailable while the server is down, then work again without reopening", async () => {
    const runtime = ManagedRuntime.make(
      PostgresStore.layer({ url, schema: "restart", connectTimeoutMs: 2000 })
    )
    const use = <A, E>(f: (store: Store.Store) => Effect.Effect<A, E>) =>
      runtime.runPromise(Effect.flatMap(Store.Store, f))
    const attempt = <A, E>(f: (store: Store.Store) => Effect.Effect<A, E>) =>
      runtime.runPromise(Effect.flip(Effect.flatMap(Store.Store, f)))
    try {
      await use((store) => store.partners.put(partner("before")))
      server("stop")
      for (const error of [
        await attempt((store) => store.partners.put(partner("while-down"))),
        await attempt((store) => store.partners.list(book)),
        await attempt((store) => store.window(book, { after: new Date(0), until: new Date(1e12) }))
      ]) {
        expect(error._tag).toBe("StoreUnavailable")
        expect(error.message).not.toContain(SECRET)
        expect(error.message).toContain(`127.0.0.1:${port}`)
      }
      server("start")
      // The same store, not reopened: the pool drops the dead connections and opens new ones.
      await use((store) => store.partners.put(partner("after")))
      const ids = await use((store) =>
        Effect.map(store.partners.list(book), (ps) => ps.map((p) => p.id).sort())
      )
      expect(ids).toEqual(["after", "before"])
    } finally {
      await runtime.dispose()
    }
  }, 120_000)
})
