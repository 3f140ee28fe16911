/**
 * The SQLite store against raw better-sqlite3 in the same process, on files on the same disk
 * with the same schema and pragmas (WAL, synchronous=FULL, the same page cache):
 *
 * - importing a book of 10,000 partners and 1,000,000 referrals through `store.importBook`
 *   (the decoded document is built up front), against a hand-written importer that maps the
 *   same records to the same rows and inserts them with multi-row INSERTs in one transaction;
 * - the window aggregate over that book, against the same SQL run raw on the same file;
 * - a single durable write (one referral logged through `store.referrals.put`, committed and
 *   fsynced before it returns), in writes per second; the raw equivalent (BEGIN IMMEDIATE,
 *   read, insert, COMMIT) is printed for reference.
 *
 * Measured on the development machine (a shared 2-core VM, ext4; several runs, 2026-11):
 * import 1.00-1.05x of raw (about 30 s each with the 64 MiB page cache, 48-58 s with
 * SQLite's default 2 MiB), window 1.00-1.09x (about 0.8 s). Durable writes are bound by
 * fsync, whose latency on that shared disk varied from run to run: raw better-sqlite3 did
 * 1,470-2,690 writes/s and the store 970-1,840 writes/s (medians of one sample: 2,569 and
 * 1,709). The store's own cost per write is about 0.1 ms of CPU on top of raw (the Effect
 * runtime, the transaction, four statements through @effect/sql and core's validation of
 * the record), so below about 1,800 raw writes/s the 1,500/s target is out of reach for any
 * layer above the driver.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Book, BookDocument, Partner, Profession, Referral, Store } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import { SqliteStore } from "../src/index.js"
import { absolute, compare, type Entry, relative } from "@partnerbook/bench-kit"

const PARTNERS = 10_000
const REFERRALS = 1_000_000
const DURABLE_WRITES = 1_500
const DAY_MS = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const book = Book.defaultBookId
const window = { after: new Date(asOf.getTime() - 365 * DAY_MS), until: asOf }

/** A small deterministic generator (mulberry32), so every run measures the same book. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const trusted = { disableValidation: true } as const
const statuses = ["introduced", "contacted", "engaged", "not-engaged"] as const

const makeReferral = (i: number, next: () => number): Referral.Referral => {
  const status = statuses[Math.floor(next() * 4)]!
  return new Referral.Referral(
    {
      id: Referral.ReferralId.make(`referral-${String(i).padStart(7, "0")}`),
      book,
      partnerId: Partner.PartnerId.make(`partner-${String(Math.floor(next() * PARTNERS)).padStart(5, "0")}`),
      direction: next() < 0.5 ? "given" : "received",
      client: `client-${i}`,
      // Two years of referrals: about half fall in the 365-day window.
      date: new Date(asOf.getTime() - Math.floor(next() * 730 * DAY_MS)),
      status,
      ...(status === "engaged" ? { value: Math.floor(next() * 50_000) } : {}),
      revision: 1
    },
    trusted
  )
}

const makeDocument = (): BookDocument.BookDocument => {
  const next = random(7)
  const partners = Array.from(
    { length: PARTNERS },
    (_, i) =>
      new Partner.Partner(
        {
          id: Partner.PartnerId.make(`partner-${String(i).padStart(5, "0")}`),
          book,
          name: `Partner ${i}`,
          profession: Profession.ProfessionId.make("cpa"),
          kind: "complementary",
          stage: "active",
          tags: ["network"],
          notes: "Met at the chamber breakfast.",
          createdAt: new Date("2024-01-01"),
          revision: 1
        },
        trusted
      )
  )
  const referrals = Array.from({ length: REFERRALS }, (_, i) => makeReferral(i, next))
  // Built without validation for speed; check a sample, so the book is certainly valid.
  for (let i = 0; i < REFERRALS; i += 10_007) Referral.Referral.make({ ...referrals[i]! })
  Partner.Partner.make({ ...partners[0]! })
  return BookDocument.make({ book, profile: null, partners, referrals, interactions: [], clients: [] })
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-sqlite-bench-"))
let files = 0
const freshFile = () => path.join(dir, `bench-${files++}.db`)
const remove = (file: string) => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true })
}

const openStore = async (filename: string) => {
  const runtime = ManagedRuntime.make(SqliteStore.layer({ filename }))
  const store = await runtime.runPromise(Store.Store)
  return { store, close: () => runtime.dispose() }
}

/** A raw connection on a file whose tables the store created, with the store's pragmas. */
const openRaw = async (filename: string) => {
  if (!fs.existsSync(filename)) await (await openStore(filename)).close()
  const db = new Sqlite(filename)
  db.pragma("busy_timeout = 5000")
  db.pragma("foreign_keys = ON")
  db.pragma("synchronous = FULL")
  db.pragma("journal_mode = WAL")
  db.pragma(`cache_size = ${-SqliteStore.defaultCacheSizeMiB * 1024}`)
  return db
}

// --- the raw baselines: what one would write by hand with better-sqlite3 ---------------

const MAX_PARAMETERS = 32766

const insertAll = <A>(
  db: Sqlite.Database,
  table: string,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<A>,
  push: (row: A, out: Array<unknown>) => void
) => {
  const chunk = Math.floor(MAX_PARAMETERS / columns.length)
  const tuple = `(${columns.map(() => "?").join(",")})`
  const statement = (n: number) =>
    db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${new Array(n).fill(tuple).join(",")}`)
  const full = statement(chunk)
  for (let start = 0; start < rows.length; start += chunk) {
    const end = Math.min(start + chunk, rows.length)
    const params: Array<unknown> = []
    for (let i = start; i < end; i++) push(rows[i]!, params)
    ;(end - start === chunk ? full : statement(end - start)).run(params)
  }
}

const rawImport = (db: Sqlite.Database, document: BookDocument.BookDocument) => {
  db.exec("BEGIN IMMEDIATE")
  insertAll(db, "partnerbook_partners", ["book", "id", "date", "data"], document.partners, (p, out) => {
    out.push(p.book, p.id, p.createdAt.getTime(), JSON.stringify(p))
  })
  insertAll(
    db,
    "partnerbook_referrals",
    ["book", "id", "partner_id", "date", "direction", "status", "value", "data"],
    document.referrals,
    (r, out) => {
      out.push(
        r.book,
        r.id,
        r.partnerId,
        r.date.getTime(),
        r.direction,
        r.status,
        r.value ?? null,
        JSON.stringify(r)
      )
    }
  )
  db.exec("COMMIT")
}

const WINDOW_SQL = `SELECT partner_id AS partnerId,
  sum(direction = 'given') AS given,
  sum(direction = 'received') AS received,
  total(CASE WHEN direction = 'given' AND status = 'engaged' THEN value END) AS givenValue,
  total(CASE WHEN direction = 'received' AND status = 'engaged' THEN value END) AS receivedValue
FROM partnerbook_referrals
WHERE book = ? AND date > ? AND date <= ?
GROUP BY partner_id`

const log = (line: string) => console.error(`  ${line}`)

export default async function (): Promise<ReadonlyArray<Entry>> {
  const started = Date.now()
  const document = makeDocument()
  log(`book built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const entries: Array<Entry> = []
  try {
    // --- import ----------------------------------------------------------------------
    let kept: string | undefined
    const keep = (file: string) => {
      if (kept !== undefined) remove(kept)
      kept = file
    }
    const imported = await compare(
      async () => {
        const file = freshFile()
        const { close, store } = await openStore(file)
        return {
          work: () => Effect.runPromise(store.importBook(document)),
          done: async () => {
            await close()
            keep(file)
          }
        }
      },
      async () => {
        const file = freshFile()
        const db = await openRaw(file)
        return {
          work: () => rawImport(db, document),
          done: () => {
            db.close()
            remove(file)
          }
        }
      },
      { warmup: 1, runs: 3 }
    )
    entries.push(
      relative(
        `SqliteStore importBook: ${PARTNERS.toLocaleString("en-US")} partners, ${REFERRALS.toLocaleString("en-US")} referrals`,
        imported,
        "ms",
        1.2
      )
    )
    log(`import: store ${imported.subject.toFixed(0)} ms, raw ${imported.baseline.toFixed(0)} ms`)

    // --- the window aggregate over that book --------------------------------------------
    const file = kept!
    const { close, store } = await openStore(file)
    const db = await openRaw(file)
    const raw = db.prepare(WINDOW_SQL)
    const params = [book, window.after.getTime(), window.until.getTime()] as const
    const ours = await Effect.runPromise(store.window(book, window))
    const theirs = raw.all(...params) as Array<Store.WindowRow>
    if (JSON.stringify(ours) !== JSON.stringify(theirs) || ours.length !== PARTNERS) {
      throw new Error("the store's window aggregate and the raw query disagree")
    }
    const windowed = await compare(
      async () => ({ work: () => Effect.runPromise(store.window(book, window)) }),
      async () => ({ work: () => raw.all(...params) }),
      { warmup: 3, runs: 11 }
    )
    db.close()
    await close()
    entries.push(
      relative(
        `SqliteStore window aggregate: ${REFERRALS.toLocaleString("en-US")} referrals, 365 days`,
        windowed,
        "ms",
        1.1
      )
    )
    log(`window: store ${windowed.subject.toFixed(1)} ms, raw ${windowed.baseline.toFixed(1)} ms`)

    // --- one durable write at a time ------------------------------------------------------
    const next = random(11)
    const writes = Array.from({ length: DURABLE_WRITES }, (_, i) =>
      Referral.Referral.make({ ...makeReferral(i, next), revision: 0 })
    )
    const durable = await compare(
      async () => {
        const file = freshFile()
        const { close, store } = await openStore(file)
        return {
          work: async () => {
            for (const r of writes) await Effect.runPromise(store.referrals.put(r))
          },
          done: async () => {
            await close()
            remove(file)
          }
        }
      },
      async () => {
        const file = freshFile()
        const db = await openRaw(file)
        const read = db.prepare("SELECT data FROM partnerbook_referrals WHERE book = ? AND id = ?")
        const insert = db.prepare(
          "INSERT INTO partnerbook_referrals (book, id, partner_id, date, direction, status, value, data) VALUES (?,?,?,?,?,?,?,?)"
        )
        const begin = db.prepare("BEGIN IMMEDIATE")
        const commit = db.prepare("COMMIT")
        return {
          work: () => {
            for (const r of writes) {
              begin.run()
              read.get(r.book, r.id)
              const stored = { ...r, revision: 1 }
              insert.run(
                r.book,
                r.id,
                r.partnerId,
                r.date.getTime(),
                r.direction,
                r.status,
                r.value ?? null,
                JSON.stringify(stored)
              )
              commit.run()
            }
          },
          done: () => {
            db.close()
            remove(file)
          }
        }
      },
      { warmup: 1, runs: 7 }
    )
    const perSecond = (ms: number) => (DURABLE_WRITES * 1000) / ms
    entries.push(
      absolute(
        "SqliteStore referrals.put: durable writes (synchronous=FULL, one transaction each)",
        perSecond(durable.subject),
        "writes/s",
        1500,
        "higher"
      )
    )
    log(
      `durable writes: store ${perSecond(durable.subject).toFixed(0)}/s, raw ${perSecond(durable.baseline).toFixed(0)}/s`
    )
    if (kept !== undefined) remove(kept)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return entries
}
