/**
 * The PostgreSQL store against the raw `pg` driver (the one under @effect/sql-pg) in the same
 * process, on the same server, with the same schema, on a server with fsync,
 * synchronous_commit and full_page_writes on (the bench refuses to run otherwise):
 *
 * - importing a book of 10,000 partners and N referrals through `store.importBook`, against a
 *   hand-written importer that maps the same records to the same rows and inserts them with
 *   `INSERT ... SELECT * FROM unnest($1::text[], ...)` in chunks of 10,000 rows, in one
 *   transaction (ratio <= 1.2);
 * - the window aggregate over that book, against the store's own SQL text run raw (<= 1.1);
 * - one book's matrix and agenda through the Partnerbook service, in a database that also
 *   holds 1,000 other books of 200 referrals each (built raw, outside the timed part): <= 50 ms;
 * - single durable writes (`store.referrals.put`, committed before it returns), per second,
 *   against raw BEGIN / SELECT ... FOR UPDATE / INSERT / COMMIT (ratio >= 0.75).
 *
 * N is 100,000 and 1,000,000 (`PARTNERBOOK_BENCH_PG_SIZES=100000,1000000`); the entries
 * with targets are the largest size's, the smaller ones are printed to show how the times grow.
 * 10,000,000 referrals (about 4 GB with indexes) does not fit this machine's bench time.
 *
 * The server: `PARTNERBOOK_BENCH_POSTGRES_URL`, else `scripts/postgres.sh start` (never with
 * PARTNERBOOK_PG_FAST). Every schema made here is dropped at the end.
 */
import * as child from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { absolute, compare, type Entry, relative } from "@partnerbook/bench-kit"
import { Book, BookDocument, Partner, Partnerbook, Profession, Referral, Store } from "@partnerbook/core"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import * as Sql from "../src/internal/sql.js"
import { PostgresStore } from "../src/index.js"

const PARTNERS = 10_000
const OTHER_BOOKS = 1_000
const OTHER_BOOK_REFERRALS = 200
const DURABLE_WRITES = 300
const DAY_MS = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const book = Book.defaultBookId
const window = { after: new Date(asOf.getTime() - 365 * DAY_MS), until: asOf }
const sizes = (process.env.PARTNERBOOK_BENCH_PG_SIZES ?? "100000,1000000")
  .split(",")
  .map((s) => Number.parseInt(s, 10))
  .filter((n) => Number.isSafeInteger(n) && n > 0)
  .sort((a, b) => a - b)

const here = path.dirname(fileURLToPath(import.meta.url))
const script = path.resolve(here, "../../../scripts/postgres.sh")
const log = (line: string) => console.error(`  ${line}`)

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

const makeReferral = (b: Book.BookId, i: number, partners: number, next: () => number, revision = 1) => {
  const status = statuses[Math.floor(next() * 4)]!
  return new Referral.Referral(
    {
      id: Referral.ReferralId.make(`referral-${String(i).padStart(7, "0")}`),
      book: b,
      partnerId: Partner.PartnerId.make(`partner-${String(Math.floor(next() * partners)).padStart(5, "0")}`),
      direction: next() < 0.5 ? "given" : "received",
      client: `client-${i}`,
      // Two years of referrals: about half fall in the 365-day window.
      date: new Date(asOf.getTime() - Math.floor(next() * 730 * DAY_MS)),
      status,
      ...(status === "engaged" ? { value: Math.floor(next() * 50_000) } : {}),
      revision
    },
    trusted
  )
}

const makePartner = (b: Book.BookId, i: number) =>
  new Partner.Partner(
    {
      id: Partner.PartnerId.make(`partner-${String(i).padStart(5, "0")}`),
      book: b,
      name: `Partner ${i}`,
      profession: Profession.ProfessionId.make("cpa"),
      kind: "complementary",
      stage: "active",
      alignment: (i % 10) / 10,
      tags: ["network"],
      notes: "Met at the chamber breakfast.",
      createdAt: new Date("2024-01-01"),
      revision: 1
    },
    trusted
  )

const makeDocument = (b: Book.BookId, partners: number, referrals: number, seed: number) => {
  const next = random(seed)
  const doc = BookDocument.make({
    book: b,
    profile: null,
    partners: Array.from({ length: partners }, (_, i) => makePartner(b, i)),
    referrals: Array.from({ length: referrals }, (_, i) => makeReferral(b, i, partners, next)),
    interactions: [],
    clients: []
  })
  // Built without validation for speed; check a sample, so the book is certainly valid.
  for (let i = 0; i < referrals; i += 10_007) Referral.Referral.make({ ...doc.referrals[i]! })
  Partner.Partner.make({ ...doc.partners[0]! })
  return doc
}

const serverUrl = (): string => {
  const given = process.env.PARTNERBOOK_BENCH_POSTGRES_URL
  if (given !== undefined && given !== "") return given
  const env = { ...process.env }
  delete env.PARTNERBOOK_PG_FAST
  return child.execFileSync(script, ["start"], { encoding: "utf8", env }).trim().split("\n").pop()!
}

// --- the raw baselines: what one would write by hand with pg ------------------------------

const CHUNK = 10_000

const rawInsert = async <A>(
  client: pg.Client,
  statement: string,
  width: number,
  rows: ReadonlyArray<A>,
  values: (row: A) => ReadonlyArray<unknown>
) => {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, rows.length)
    const columns = Array.from({ length: width }, () => new Array<unknown>(end - start))
    for (let i = start; i < end; i++) {
      const v = values(rows[i]!)
      for (let c = 0; c < width; c++) columns[c]![i - start] = v[c]
    }
    await client.query(statement, columns)
  }
}

const rawImport = async (client: pg.Client, schema: string, document: BookDocument.BookDocument) => {
  const q = `"${schema}"`
  await client.query("BEGIN")
  await rawInsert(
    client,
    `INSERT INTO ${q}.partners (book, id, date, revision, data) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::integer[], $5::text[])`,
    5,
    document.partners,
    (p) => [p.book, p.id, p.createdAt.getTime(), p.revision, JSON.stringify(p)]
  )
  await rawInsert(
    client,
    `INSERT INTO ${q}.referrals (book, id, partner_id, date, direction, status, value, revision, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::double precision[], $8::integer[], $9::text[])`,
    9,
    document.referrals,
    (r) => [
      r.book,
      r.id,
      r.partnerId,
      r.date.getTime(),
      r.direction,
      r.status,
      r.value ?? null,
      r.revision,
      JSON.stringify(r)
    ]
  )
  await client.query("COMMIT")
}

export default async function (): Promise<ReadonlyArray<Entry>> {
  const url = serverUrl()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const settings = await admin.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')"
  )
  const off = settings.rows.filter((r) => r.setting !== "on")
  if (off.length > 0) {
    await admin.end()
    throw new Error(
      `the PostgreSQL server runs with ${off.map((r) => `${r.name}=${r.setting}`).join(", ")}: benchmarks need a durable server (restart it with scripts/postgres.sh stop && scripts/postgres.sh start, without PARTNERBOOK_PG_FAST)`
    )
  }
  const made: Array<string> = []
  let counter = 0
  const freshSchema = () => {
    const schema = `bench_${process.pid}_${counter++}`
    made.push(schema)
    return schema
  }
  const drop = (schema: string) => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  const openStore = async (schema: string) => {
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(Partnerbook.layer, PostgresStore.layer({ url, schema, maxConnections: 4 }))
    )
    const store = await runtime.runPromise(Store.Store)
    return { runtime, store, close: () => runtime.dispose() }
  }
  const openRaw = async (schema: string) => {
    await (await openStore(schema)).close() // the store's tables, made by its migrations
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return client
  }

  const entries: Array<Entry> = []
  try {
    for (const size of sizes) {
      const largest = size === sizes[sizes.length - 1]
      const label = size.toLocaleString("en-US")
      const started = Date.now()
      const document = makeDocument(book, PARTNERS, size, 7)
      log(`book of ${label} referrals built in ${((Date.now() - started) / 1000).toFixed(1)} s`)

      // --- import ------------------------------------------------------------------------
      let kept: string | undefined
      const imported = await compare(
        async () => {
          const schema = freshSchema()
          const { close, store } = await openStore(schema)
          return {
            work: () => Effect.runPromise(store.importBook(document)),
            done: async () => {
              await close()
              if (kept !== undefined) await drop(kept)
              kept = schema
            }
          }
        },
        async () => {
          const schema = freshSchema()
          const client = await openRaw(schema)
          return {
            work: () => rawImport(client, schema, document),
            done: async () => {
              await client.end()
              await drop(schema)
            }
          }
        },
        { warmup: largest ? 0 : 1, runs: 3 }
      )
      log(
        `import ${label}: store ${imported.subject.toFixed(0)} ms, raw unnest ${imported.baseline.toFixed(0)} ms`
      )
      if (largest) {
        entries.push(
          relative(
            `PostgresStore importBook: ${PARTNERS.toLocaleString("en-US")} partners, ${label} referrals`,
            imported,
            "ms",
            1.2
          )
        )
      }

      // --- the window aggregate over that book ----------------------------------------------
      const schema = kept!
      await admin.query(`VACUUM ANALYZE "${schema}".referrals`)
      const opened = await openStore(schema)
      const raw = new pg.Client({ connectionString: url })
      await raw.connect()
      const text = Sql.make(schema).window
      const params = [book, window.after.getTime(), window.until.getTime()]
      const ours = await Effect.runPromise(opened.store.window(book, window))
      const theirs = (await raw.query(text, params)).rows as Array<Store.WindowRow>
      theirs.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0))
      if (JSON.stringify(ours) !== JSON.stringify(theirs) || ours.length === 0) {
        throw new Error("the store's window aggregate and the raw query disagree")
      }
      const windowed = await compare(
        async () => ({ work: () => Effect.runPromise(opened.store.window(book, window)) }),
        async () => ({ work: () => raw.query(text, params) }),
        { warmup: 2, runs: 9 }
      )
      log(`window ${label}: store ${windowed.subject.toFixed(1)} ms, raw ${windowed.baseline.toFixed(1)} ms`)
      if (largest) {
        entries.push(
          relative(`PostgresStore window aggregate: ${label} referrals, 365 days`, windowed, "ms", 1.1)
        )
      }

      if (largest) {
        // --- one book among many, through the service -------------------------------------------
        const built = Date.now()
        const others = Array.from({ length: OTHER_BOOKS }, (_, i) =>
          makeDocument(
            Book.BookId.make(`book-${String(i).padStart(4, "0")}`),
            25,
            OTHER_BOOK_REFERRALS,
            100 + i
          )
        )
        await rawImport(
          raw,
          schema,
          BookDocument.make({
            book,
            profile: null,
            partners: others.flatMap((d) => d.partners),
            referrals: others.flatMap((d) => d.referrals),
            interactions: [],
            clients: []
          })
        )
        await admin.query(`VACUUM ANALYZE "${schema}".referrals`)
        log(
          `${OTHER_BOOKS} more books of ${OTHER_BOOK_REFERRALS} referrals added raw in ${((Date.now() - built) / 1000).toFixed(1)} s`
        )
        const one = "book-0500"
        const service = await opened.runtime.runPromise(Partnerbook.Partnerbook)
        const matrix = await compare(
          async () => ({ work: () => Effect.runPromise(service.matrix(one, { asOf })) }),
          async () => ({ work: () => Effect.runPromise(service.agenda(one, { asOf })) }),
          { warmup: 2, runs: 9 }
        )
        const placements = await Effect.runPromise(service.matrix(one, { asOf }))
        if (placements.length !== 25) throw new Error(`expected 25 placements, got ${placements.length}`)
        const total = (size + OTHER_BOOKS * OTHER_BOOK_REFERRALS).toLocaleString("en-US")
        entries.push(
          absolute(
            `PostgresStore matrix of one book (25 partners, 200 referrals) among ${total} referrals`,
            matrix.subject,
            "ms",
            50
          )
        )
        entries.push(
          absolute(
            `PostgresStore agenda of one book (25 partners, 200 referrals) among ${total} referrals`,
            matrix.baseline,
            "ms",
            50
          )
        )
        log(
          `service, one book: matrix ${matrix.subject.toFixed(1)} ms, agenda ${matrix.baseline.toFixed(1)} ms`
        )
      }
      await raw.end()
      await opened.close()
      await drop(schema)
    }

    // --- one durable write at a time ------------------------------------------------------
    const next = random(11)
    const writes = Array.from({ length: DURABLE_WRITES }, (_, i) => makeReferral(book, i, PARTNERS, next, 0))
    const durable = await compare(
      async () => {
        const schema = freshSchema()
        const { close, store } = await openStore(schema)
        return {
          work: async () => {
            for (const r of writes) await Effect.runPromise(store.referrals.put(r))
          },
          done: async () => {
            await close()
            await drop(schema)
          }
        }
      },
      async () => {
        const schema = freshSchema()
        const client = await openRaw(schema)
        const q = `"${schema}"`
        return {
          work: async () => {
            for (const r of writes) {
              await client.query("BEGIN")
              await client.query(
                `SELECT revision FROM ${q}.referrals WHERE book = $1 AND id = $2 FOR UPDATE`,
                [r.book, r.id]
              )
              const stored = { ...r, revision: 1 }
              await client.query(
                `INSERT INTO ${q}.referrals (book, id, partner_id, date, direction, status, value, revision, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
                [
                  r.book,
                  r.id,
                  r.partnerId,
                  r.date.getTime(),
                  r.direction,
                  r.status,
                  r.value ?? null,
                  1,
                  JSON.stringify(stored)
                ]
              )
              await client.query("COMMIT")
            }
          },
          done: async () => {
            await client.end()
            await drop(schema)
          }
        }
      },
      { warmup: 1, runs: 5 }
    )
    const perSecond = (ms: number) => (DURABLE_WRITES * 1000) / ms
    entries.push(
      relative(
        "PostgresStore referrals.put: durable writes/s (fsync on, one transaction each) vs raw pg",
        { subject: perSecond(durable.subject), baseline: perSecond(durable.baseline) },
        "writes/s",
        0.75,
        "higher"
      )
    )
    log(
      `durable writes: store ${perSecond(durable.subject).toFixed(0)}/s, raw ${perSecond(durable.baseline).toFixed(0)}/s`
    )
  } finally {
    for (const schema of made) await drop(schema)
    await admin.end()
  }
  return entries
}
