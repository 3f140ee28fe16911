import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Store } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import * as Open from "../src/internal/open.js"
import * as Internal from "../src/internal/store.js"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

/** Opens the store at `filename` and lists its books: the exit of the whole thing. */
const openAndList = (filename: string) =>
  Effect.runPromiseExit(
    Effect.flatMap(Store.Store, (store) => store.books()).pipe(
      Effect.provide(SqliteStore.layer({ filename }))
    )
  )

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

const companions = (filename: string) =>
  ["-wal", "-shm", "-journal"].filter((suffix) => fs.existsSync(filename + suffix))

describe("files that are not SQLite databases", () => {
  const cases: ReadonlyArray<readonly [string, () => Uint8Array]> = [
    ["random bytes", () => crypto.randomBytes(8192)],
    ["a text file", () => Buffer.from("name,profession\nAlice,cpa\nBob,attorney\n".repeat(20))],
    ["a JSON book document", () => Buffer.from(JSON.stringify({ format: "partnerbook/book", version: 1 }))],
    ["a file shorter than the SQLite header", () => Buffer.from("SQLite format 3")],
    [
      "the SQLite magic followed by garbage",
      () => Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), crypto.randomBytes(4080)])
    ]
  ]
  for (const [name, bytes] of cases) {
    it(`${name}: CorruptStore naming the file, and the file is left byte-identical`, async () => {
      const filename = path.join(tempDir(), "not-a-db.db")
      const content = bytes()
      fs.writeFileSync(filename, content)
      const exit = await openAndList(filename)
      const error = failureOf(exit)
      expect(error?._tag).toBe("CorruptStore")
      expect(error?._tag === "CorruptStore" && error.location).toBe(filename)
      expect(error?.message).toMatch(/not a SQLite database|malformed|not a database/)
      expect(Buffer.compare(fs.readFileSync(filename), content)).toBe(0)
      expect(companions(filename)).toEqual([])
    })
  }

  it("a database whose schema page is damaged: CorruptStore, and the file is left byte-identical", async () => {
    const filename = path.join(tempDir(), "damaged.db")
    // A real store, checkpointed into the main file, then page 1 past the header scribbled over.
    const db = new Sqlite(filename)
    db.pragma("journal_mode = DELETE")
    db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('hello')")
    db.close()
    const content = fs.readFileSync(filename)
    crypto.randomBytes(3000).copy(content, 100)
    fs.writeFileSync(filename, content)
    const error = failureOf(await openAndList(filename))
    expect(error?._tag).toBe("CorruptStore")
    expect(Buffer.compare(fs.readFileSync(filename), content)).toBe(0)
  })

  it("an empty file is a new, empty database (as SQLite itself treats it)", async () => {
    // Decided: `touch partnerbook.db` or a freshly created temp file must work, and an
    // empty file holds nothing that opening it could lose.
    const filename = path.join(tempDir(), "empty.db")
    fs.writeFileSync(filename, "")
    const exit = await openAndList(filename)
    expect(exit).toEqual(Exit.succeed([]))
    expect(fs.readFileSync(filename).subarray(0, 16).toString("latin1")).toBe("SQLite format 3\u0000")
  })

  it("a folder that does not exist is created (a folder that cannot be: see Install.test.ts)", async () => {
    const filename = path.join(tempDir(), "missing", "folder", "store.db")
    const exit = await openAndList(filename)
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(fs.existsSync(filename)).toBe(true)
  })

  it("a database written by a newer version of the adapter: StoreUnavailable, nothing changed", async () => {
    const filename = path.join(tempDir(), "newer.db")
    expect(await openAndList(filename)).toEqual(Exit.succeed([]))
    const db = new Sqlite(filename)
    db.prepare("INSERT INTO partnerbook_migrations (migration_id, name) VALUES (99, 'from_the_future')").run()
    db.close()
    const error = failureOf(await openAndList(filename))
    expect(error?._tag).toBe("StoreUnavailable")
    expect(error?.message).toMatch(/newer version/)
  })

  it("a valid database of another application keeps its tables; ours are prefixed", async () => {
    const filename = path.join(tempDir(), "crm.db")
    const db = new Sqlite(filename)
    db.exec("CREATE TABLE partners (name TEXT); INSERT INTO partners VALUES ('mine')")
    db.close()
    expect(await openAndList(filename)).toEqual(Exit.succeed([]))
    const check = new Sqlite(filename, { readonly: true })
    expect(check.prepare("SELECT name FROM partners").all()).toEqual([{ name: "mine" }])
    check.close()
  })
})

describe("the SQLite version", () => {
  it(`the bundled SQLite is at least ${SqliteStore.minimumSqliteVersion}`, () => {
    const db = new Sqlite(":memory:")
    const { version } = db.prepare("SELECT sqlite_version() AS version").get() as { version: string }
    db.close()
    expect(Open.compareVersions(version, SqliteStore.minimumSqliteVersion)).toBeGreaterThanOrEqual(0)
  })

  it("versions compare numerically, part by part", () => {
    expect(Open.compareVersions("3.51.3", "3.51.3")).toBe(0)
    expect(Open.compareVersions("3.51.2", "3.51.3")).toBe(-1)
    expect(Open.compareVersions("3.9.0", "3.51.3")).toBe(-1)
    expect(Open.compareVersions("3.100.0", "3.51.3")).toBe(1)
    expect(Open.compareVersions("3.52", "3.51.3")).toBe(1)
    expect(Open.compareVersions("4.0.0", "3.51.3")).toBe(1)
  })

  it("an older SQLite is refused with StoreUnavailable saying what to upgrade", async () => {
    for (const old of ["3.51.2", "3.45.1", "3.8.11"]) {
      const error = await Effect.runPromise(Effect.flip(Open.checkVersion(old)))
      expect(error._tag).toBe("StoreUnavailable")
      expect(error.message).toContain(old)
      expect(error.message).toContain("3.51.3")
      expect(error.message).toContain("better-sqlite3")
    }
    for (const ok of ["3.51.3", "3.53.2", "3.100.0"]) {
      expect(await Effect.runPromiseExit(Open.checkVersion(ok))).toEqual(Exit.void)
    }
  })

  it("the store checks the version when it opens", async () => {
    const filename = path.join(tempDir(), "version.db")
    const open = (minimumSqliteVersion?: string) =>
      Effect.runPromiseExit(
        Internal.make({ minimumSqliteVersion }, "shared").pipe(
          Effect.scoped,
          Effect.flatMap((store) => store.books()),
          Effect.provide(SqliteClient.layer({ filename }))
        )
      )
    expect(await open()).toEqual(Exit.succeed([]))
    const error = failureOf(await open("99.0.0"))
    expect(error?._tag).toBe("StoreUnavailable")
    expect(error?.message).toMatch(/older than 99\.0\.0/)
  })
})
