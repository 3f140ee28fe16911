/**
 * The JSON-file store against the physical limit of what it does:
 *
 * - logging one referral (`store.referrals.put`: lock, re-read under the lock, write a new
 *   file durably) into a book of 1,000 partners and 10,000 referrals, against the bare
 *   durable replace of the same document in the same process (JSON.stringify, write to a
 *   temp file, fsync, rename, fsync the folder, with node's synchronous calls);
 * - opening a book of 100,000 referrals (read, parse, decode every record with the
 *   schemas), in seconds, and the peak memory of a process that does it;
 * - the size of book (partners + referrals, one partner per ten referrals) at which one
 *   write takes 50 ms: in a long-lived process (the store already holds the book), and in a
 *   fresh one (a command-line call: read and decode the whole book, then write it).
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { Book, BookDocument, Partner, Profession, Referral, Store } from "@partnerbook/core"
import { Effect, Layer, ManagedRuntime } from "effect"
import { spawnSync } from "node:child_process"
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { JsonStore } from "../src/index.js"
import { absolute, compare, type Entry, relative, time } from "@partnerbook/bench-kit"

const PARTNERS = 1_000
const REFERRALS = 10_000
const OPEN_REFERRALS = 100_000
const LIMIT_MS = 50
const DAY_MS = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const book = Book.defaultBookId
const trusted = { disableValidation: true } as const
const statuses = ["introduced", "contacted", "engaged", "not-engaged"] as const

/** A small deterministic generator (mulberry32), so every run measures the same book. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const makeReferral = (id: string, partners: number, next: () => number, revision = 1): Referral.Referral => {
  const status = statuses[Math.floor(next() * 4)]!
  return new Referral.Referral(
    {
      id: Referral.ReferralId.make(id),
      book,
      partnerId: Partner.PartnerId.make(`partner-${String(Math.floor(next() * partners)).padStart(5, "0")}`),
      direction: next() < 0.5 ? "given" : "received",
      client: `client ${id}`,
      date: new Date(asOf.getTime() - Math.floor(next() * 730 * DAY_MS)),
      status,
      ...(status === "engaged" ? { value: Math.floor(next() * 50_000), statusChangedAt: asOf } : {}),
      revision
    },
    trusted
  )
}

const makeDocument = (partners: number, referrals: number): BookDocument.BookDocument => {
  const next = random(7)
  return BookDocument.make({
    book,
    profile: null,
    partners: Array.from(
      { length: partners },
      (_, i) =>
        new Partner.Partner(
          {
            id: Partner.PartnerId.make(`partner-${String(i).padStart(5, "0")}`),
            book,
            name: `Partner ${i}`,
            organization: `Firm ${i % 97}`,
            profession: Profession.ProfessionId.make(i % 2 === 0 ? "cpa" : "estate-planning-attorney"),
            kind: "complementary",
            stage: "active",
            tags: ["network"],
            notes: "Met at the chamber breakfast.",
            createdAt: new Date("2024-01-01"),
            revision: 1
          },
          trusted
        )
    ),
    referrals: Array.from({ length: referrals }, (_, i) =>
      makeReferral(`referral-${String(i).padStart(7, "0")}`, partners, next)
    ),
    interactions: [],
    clients: []
  })
}

const services = Layer.merge(NodeFileSystem.layer, NodePath.layer)

/** A runtime over a store in `directory`, holding `document`. */
const storeWith = async (directory: string, document: BookDocument.BookDocument) => {
  const runtime = ManagedRuntime.make(JsonStore.layer({ directory }))
  await runtime.runPromise(Effect.flatMap(Store.Store, (store) => store.importBook(document)))
  return runtime
}

/** The bare durable replace: what any crash-safe writer of this file must do, and no more. */
let baselineCounter = 0
const durableReplace = (file: string, value: unknown) => {
  const text = `${JSON.stringify(value, null, 2)}\n`
  const temp = `${file}.${process.pid}.${baselineCounter++}.tmp`
  const fd = openSync(temp, "wx")
  try {
    writeFileSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
  const dir = openSync(dirname(file), "r")
  try {
    fsyncSync(dir)
  } finally {
    closeSync(dir)
  }
}

const fileJson = (document: BookDocument.BookDocument) => ({
  storeFormat: "partnerbook/json-store",
  storeVersion: JsonStore.formatVersion,
  ...BookDocument.encode(document)
})

/** Where `ms(size)` crosses `LIMIT_MS`, interpolated between the measured sizes. */
const crossing = (points: ReadonlyArray<readonly [number, number]>): number => {
  for (let i = 0; i < points.length; i++) {
    const [size, ms] = points[i]!
    if (ms <= LIMIT_MS) continue
    if (i === 0) return (size * LIMIT_MS) / ms
    const [s0, m0] = points[i - 1]!
    return s0 + ((LIMIT_MS - m0) * (size - s0)) / (ms - m0)
  }
  return points[points.length - 1]![0]
}

export default async function (): Promise<ReadonlyArray<Entry>> {
  const root = mkdtempSync(join(tmpdir(), "pb-json-bench-"))
  const entries: Array<Entry> = []
  try {
    // -- one write into a book of 1,000 partners and 10,000 referrals ----------------------
    {
      const document = makeDocument(PARTNERS, REFERRALS)
      const directory = join(root, "write")
      const runtime = await storeWith(directory, document)
      const baselineDir = join(root, "write-baseline")
      mkdirSync(baselineDir)
      const baselineFile = join(baselineDir, "default.json")
      const plain = fileJson(document)
      const next = random(11)
      let n = 0
      const measured = await compare(
        async () => {
          const referral = makeReferral(`new-${n++}`, PARTNERS, next, 0)
          const put = Effect.flatMap(Store.Store, (store) => store.referrals.put(referral))
          return { work: () => runtime.runPromise(put) }
        },
        async () => ({ work: () => durableReplace(baselineFile, plain) }),
        { warmup: 3, runs: 15 }
      )
      await runtime.dispose()
      entries.push(
        relative(
          "store-json: log one referral into a book of 1,000 partners and 10,000 referrals (vs stringify + durable replace)",
          measured,
          "ms",
          1.3
        )
      )
    }

    // -- open a book of 100,000 referrals --------------------------------------------------
    {
      const directory = join(root, "open")
      await (await storeWith(directory, makeDocument(PARTNERS, OPEN_REFERRALS))).dispose()
      const ms = await time(
        async () => ({
          work: () =>
            Effect.runPromise(
              Effect.scoped(
                Effect.flatMap(JsonStore.make({ directory }), (store) => store.referrals.list(book))
              ).pipe(Effect.provide(services))
            )
        }),
        { warmup: 1, runs: 3 }
      )
      entries.push(
        absolute(
          "store-json: open a book of 100,000 referrals (read, parse, decode every record)",
          ms / 1000,
          "s",
          1
        )
      )
      // Peak memory, in a process that does nothing else (tsx, effect and core loaded).
      const child = spawnSync(
        process.execPath,
        [
          "--conditions=@partnerbook/source",
          "--import",
          "tsx",
          join(dirname(fileURLToPath(import.meta.url)), "open-child.ts"),
          directory
        ],
        { encoding: "utf8" }
      )
      const report = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as {
        readonly peakMB?: number
        readonly loadedMB?: number
      }
      if (child.status !== 0 || report.peakMB === undefined) {
        throw new Error(`open-child.ts failed: ${child.stderr}`)
      }
      entries.push(
        absolute(
          `store-json: peak memory of a process opening that book (${Math.round(report.loadedMB ?? 0)} MB before opening)`,
          report.peakMB,
          "MB",
          1024
        )
      )
    }

    // -- the book size at which one write takes 50 ms --------------------------------------
    {
      const warm: Array<readonly [number, number]> = []
      const cold: Array<readonly [number, number]> = []
      for (const referrals of [2_500, 5_000, 10_000, 20_000, 40_000, 80_000]) {
        const partners = referrals / 10
        const size = partners + referrals
        const directory = join(root, `size-${referrals}`)
        const runtime = await storeWith(directory, makeDocument(partners, referrals))
        const next = random(13)
        let n = 0
        const put = (store: Store.Store) =>
          store.referrals.put(makeReferral(`new-${n++}`, partners, next, 0)).pipe(Effect.asVoid)
        warm.push([
          size,
          await time(async () => ({ work: () => runtime.runPromise(Effect.flatMap(Store.Store, put)) }), {
            warmup: 2,
            runs: 5
          })
        ])
        await runtime.dispose()
        cold.push([
          size,
          await time(
            async () => ({
              work: () =>
                Effect.runPromise(
                  Effect.scoped(Effect.flatMap(JsonStore.make({ directory }), put)).pipe(
                    Effect.provide(services)
                  )
                )
            }),
            { warmup: 1, runs: 3 }
          )
        ])
        rmSync(directory, { recursive: true, force: true })
        if (warm[warm.length - 1]![1] > LIMIT_MS && cold[cold.length - 1]![1] > LIMIT_MS) break
      }
      console.error(
        `  one write, ms by book size (records): warm ${JSON.stringify(warm)}, cold ${JSON.stringify(cold)}`
      )
      entries.push(
        absolute(
          "store-json: book size (records) at which one write takes 50 ms, long-lived process",
          Math.round(crossing(warm)),
          "records",
          PARTNERS + REFERRALS,
          "higher"
        ),
        absolute(
          "store-json: book size (records) at which one write takes 50 ms, fresh process (read, decode, write)",
          Math.round(crossing(cold)),
          "records",
          1_000,
          "higher"
        )
      )
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return entries
}
