import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { PartnerbookClient } from "@partnerbook/core"
import { afterAll, describe, expect, it } from "vitest"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

// Read-only media, for real: a small tmpfs, written, then remounted read-only. Mounting
// needs root (or CAP_SYS_ADMIN); elsewhere the test is skipped and says so.
const mountPoint = tempDir("partnerbook-ro-")
const mounted =
  spawnSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint], { stdio: "ignore" }).status === 0
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint], { stdio: "ignore" })
})

const fingerprint = (dir: string): string =>
  fs
    .readdirSync(dir)
    .sort()
    .map(
      (name) =>
        `${name}:${createHash("sha256")
          .update(fs.readFileSync(path.join(dir, name)))
          .digest("hex")}`
    )
    .join("\n")

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error as { readonly _tag: string; readonly message: string }
  }
  throw new Error("expected a rejection")
}

describe("SqliteStore on read-only media", () => {
  const test = mounted ? it : it.skip
  test(`opens for reading and refuses writes with StoreUnavailable, leaving every byte as it was${mounted ? "" : " (skipped: mounting a read-only file system needs root)"}`, async () => {
    const filename = path.join(mountPoint, "partnerbook.db")
    const writer = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    const book = writer.book()
    await book.addPartner({ id: "dana", name: "Dana Cruz", profession: "cpa" })
    await book.giveReferral({ partnerId: "dana", date: "2026-01-05" })
    const exported = await book.exportBook()
    await writer.close()
    expect(spawnSync("mount", ["-o", "remount,ro", mountPoint]).status).toBe(0)
    const before = fingerprint(mountPoint)

    const reader = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    try {
      const ro = reader.book()
      expect(await reader.books()).toEqual(["default"])
      expect((await ro.listPartners()).map((p) => p.id)).toEqual(["dana"])
      expect(await ro.exportBook()).toEqual(exported)
      expect(await ro.matrix({ asOf: "2026-02-01" })).toHaveLength(1)
      for (const write of [
        () => ro.addPartner({ name: "Ana", profession: "attorney" }),
        () => ro.updatePartner("dana", { notes: "x" }),
        () => reader.book("other").importBook(exported)
      ]) {
        const error = await rejection(write())
        expect(error._tag).toBe("StoreUnavailable")
        expect(error.message).toContain(`${filename} is read-only`)
      }
    } finally {
      await reader.close()
    }
    expect(fingerprint(mountPoint)).toBe(before)
  })
})
