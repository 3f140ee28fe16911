import { afterAll, describe, expect, it } from "@effect/vitest"
import { Book, StoreError } from "@partnerbook/core"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { start, tsxCommand } from "./children.js"
import { book, partner, referral, sha256, storeFile, tempDir, withStore } from "./helpers.js"

/** A book of `n` referrals (~240 bytes each). */
const fill = (dir: string, n: number) =>
  withStore(dir, (store) =>
    store.transaction(
      Effect.forEach(
        Array.from({ length: n }, (_, i) => i),
        (i) => store.referrals.put(referral(`r${String(i).padStart(3, "0")}`, "p1")),
        { discard: true }
      )
    )
  )

const expectUntouched = (dir: string, hash: string) => {
  expect(sha256(storeFile(dir))).toBe(hash)
  expect(readdirSync(dir)).toEqual(["default.json"])
}

// A 96 KB tmpfs with a ~40 KB book and 32 KB of ballast: no room for a second copy of the book.
const mountPoint = join(tempDir(), "tiny")
mkdirSync(mountPoint)
const mount =
  process.platform === "linux"
    ? spawnSync("mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", mountPoint], { encoding: "utf8" })
    : undefined
const mounted = mount?.status === 0
const mountSkip = mounted
  ? ""
  : ` (skipped: cannot mount a tmpfs here: ${mount === undefined ? "not Linux" : (mount.stderr || mount.error?.message || "").trim()})`
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint])
})

const prlimit = process.platform === "linux" ? spawnSync("prlimit", ["--version"]) : undefined
const hasPrlimit = prlimit?.status === 0
const prlimitSkip = hasPrlimit ? "" : " (skipped: the prlimit command is not available)"

describe("a full disk", () => {
  it.skipIf(!mounted)(
    `ENOSPC on a tiny tmpfs: StoreUnavailable, the old file intact, no temp file left${mountSkip}`,
    async () => {
      const dir = join(mountPoint, "books")
      await fill(dir, 170)
      expect(statSync(storeFile(dir)).size).toBeGreaterThan(36 * 1024)
      const ballast = join(mountPoint, "ballast")
      writeFileSync(ballast, new Uint8Array(64 * 1024))
      const hash = sha256(storeFile(dir))
      const error = await withStore(dir, (store) =>
        Effect.flip(store.referrals.put(referral("one-more", "p1")))
      )
      expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
      expect((error as StoreError.StoreUnavailable).reason).toMatch(/ENOSPC|no space/i)
      expectUntouched(dir, hash)
      // A transaction over two books: the small one's new file fits, the big one's does not,
      // so neither book changes.
      const small = Book.BookId.make("small")
      const both = await withStore(dir, (store) =>
        Effect.flip(
          store.transaction(
            Effect.zipRight(
              store.partners.put(partner("p1", {}, small)),
              store.referrals.put(referral("one-more", "p1"))
            )
          )
        )
      )
      expect(both).toBeInstanceOf(StoreError.StoreUnavailable)
      expectUntouched(dir, hash)
      // Reads still work, and so do writes once there is room again.
      rmSync(ballast)
      const count = await withStore(dir, (store) =>
        Effect.gen(function* () {
          expect((yield* store.referrals.list(book)).length).toBe(170)
          yield* store.referrals.put(referral("one-more", "p1"))
          return (yield* store.referrals.list(book)).length
        })
      )
      expect(count).toBe(171)
    }
  )

  it.skipIf(!hasPrlimit)(
    `EFBIG past the file size limit (RLIMIT_FSIZE): the same${prlimitSkip}`,
    async () => {
      const dir = tempDir()
      await fill(dir, 170)
      const hash = sha256(storeFile(dir))
      const child = start(tsxCommand, ["put", dir, "one-more"])
      try {
        await child.waitFor((l) => l === "open", 120_000)
        // Limit the child's file size once it has loaded its modules: any file write past 16 KB fails.
        expect(spawnSync("prlimit", [`--pid=${child.process.pid}`, "--fsize=16384"]).status).toBe(0)
        child.send("go")
        const outcome = JSON.parse(await child.waitFor((l) => l.startsWith("{"))) as Record<string, string>
        expect(outcome).toMatchObject({ ok: false, tag: "StoreUnavailable" })
        expect(outcome.reason).toMatch(/EFBIG|too large/i)
      } finally {
        child.process.kill("SIGKILL")
        await child.closed
      }
      expectUntouched(dir, hash)
    }
  )
})
