import * as fs from "node:fs"
import * as path from "node:path"
import { PartnerbookClient, Store } from "@partnerbook/core"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { classify } from "../src/internal/errors.js"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

describe("what a new user of the package runs into", () => {
  it("SqliteStore.layer creates the missing parent folders of the database file", async () => {
    const filename = path.join(tempDir(), "data", "nested", "crm.db")
    expect(fs.existsSync(path.dirname(filename))).toBe(false)
    const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    const book = client.book("alice")
    const cpa = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
    expect((await book.listPartners()).map((p) => p.id)).toEqual([cpa.id])
    await client.close()
    expect(fs.statSync(filename).size).toBeGreaterThan(0)
  })

  it("a folder that cannot be created is StoreUnavailable naming it, not a defect", async () => {
    const dir = tempDir()
    const blocker = path.join(dir, "a-file")
    fs.writeFileSync(blocker, "not a folder")
    const exit = await Effect.runPromiseExit(
      Effect.flatMap(Store.Store, (store) => store.books()).pipe(
        Effect.provide(SqliteStore.layer({ filename: path.join(blocker, "crm.db") }))
      )
    )
    expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
      _tag: "StoreUnavailable",
      reason: expect.stringContaining(blocker)
    })
  })

  it("a native module that pnpm 10 did not build: StoreUnavailable telling how to allow the build", () => {
    const thrown = new Error(
      "Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node"
    )
    const error = classify(thrown, "crm.db", 5000)
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.message).toContain("pnpm approve-builds")
    expect(error.message).toContain("onlyBuiltDependencies")
    expect(error.message).toContain("npm rebuild better-sqlite3")
    expect(error.message).toContain("Could not locate the bindings file")
  })

  it("a native module built for another Node.js: StoreUnavailable telling to rebuild it", () => {
    const thrown = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 137."
    )
    const error = classify(thrown, "crm.db", 5000)
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.message).toContain("rebuild")
    expect(error.message).toContain(process.version)
  })
})
