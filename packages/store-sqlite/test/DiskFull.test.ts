import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { PartnerbookClient } from "@partnerbook/core"
import { afterAll, describe, expect, it } from "vitest"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

// A real full disk: a 2 MiB tmpfs. Mounting needs root (or CAP_SYS_ADMIN); elsewhere the
// test is skipped and says so.
const mountPoint = tempDir("partnerbook-full-")
const mounted =
  spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint], { stdio: "ignore" }).status === 0
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint], { stdio: "ignore" })
})

describe("SqliteStore on a full disk", () => {
  const test = mounted ? it : it.skip
  test(`a write that does not fit is StoreUnavailable; every acknowledged write stays readable${mounted ? "" : " (skipped: mounting a small file system needs root)"}`, async () => {
    const filename = path.join(mountPoint, "partnerbook.db")
    const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    const acked: Array<string> = []
    let failure: { readonly _tag?: string; readonly message?: string } | undefined
    try {
      const book = client.book()
      const notes = "x".repeat(50_000)
      for (let i = 0; i < 1_000 && failure === undefined; i++) {
        try {
          acked.push(
            (await book.addPartner({ id: `p${i}`, name: `Partner ${i}`, profession: "cpa", notes })).id
          )
        } catch (error) {
          failure = error as typeof failure
        }
      }
      expect(failure?._tag).toBe("StoreUnavailable")
      expect(failure?.message).toMatch(/SQLITE_FULL|full/)
      // The same open store still reads everything it acknowledged.
      expect((await book.listPartners()).length).toBe(acked.length)
    } finally {
      await client.close()
    }
    const reopened = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    try {
      const ids = new Set<string>((await reopened.book().listPartners()).map((p) => p.id))
      for (const id of acked) expect(ids.has(id)).toBe(true)
      expect(ids.size).toBe(acked.length)
    } finally {
      await reopened.close()
    }
  })
})
