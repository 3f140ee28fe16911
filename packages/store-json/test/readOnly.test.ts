import { afterAll, describe, expect, it } from "@effect/vitest"
import { StoreError } from "@partnerbook/core"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { book, folderFingerprint, partner, tempDir, withStore } from "./helpers.js"

// Read-only media, for real: a tmpfs written, then remounted read-only (needs root).
const mountPoint = join(tempDir(), "media")
mkdirSync(mountPoint)
const mount =
  process.platform === "linux"
    ? spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], { encoding: "utf8" })
    : undefined
const mounted = mount?.status === 0
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint])
})

describe("read-only media", () => {
  it.skipIf(!mounted)(
    `reads every book, refuses writes with StoreUnavailable, every byte unchanged${mounted ? "" : " (skipped: cannot mount a tmpfs here)"}`,
    async () => {
      await withStore(mountPoint, (store) =>
        Effect.all([store.partners.put(partner("p1")), store.partners.put(partner("p2"))])
      )
      expect(spawnSync("mount", ["-o", "remount,ro", mountPoint]).status).toBe(0)
      const before = folderFingerprint(mountPoint)
      const read = await withStore(mountPoint, (store) => store.partners.list(book))
      expect(read.map((p) => p.id).sort()).toEqual(["p1", "p2"])
      const error = await withStore(mountPoint, (store) => Effect.flip(store.partners.put(partner("p3"))))
      expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
      expect(folderFingerprint(mountPoint)).toBe(before)
    }
  )
})
