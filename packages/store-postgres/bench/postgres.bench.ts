/**
 * The PostgreSQL store on a server with fsync, synchronous_commit and full_page_writes on (the
 * bench refuses to run otherwise), against the raw `pg` driver (the one under @effect/sql-pg)
 * in the same process, on the same server, with the same schema:
 *
 * - many books: a database of 10,000 books of 1,000 referrals each (10,000,000 referrals, with
 *   50 partners, 250 interactions, a profile and the change feed per book), built in the server
 *   by `INSERT ... SELECT ... generate_series` (bench/fill.ts) into a schema the store made,
 *   outside the timed part, then `VACUUM ANALYZE`d. On it: one typical book's matrix and agenda
 *   through the Partnerbook service (<= 50 ms each, warm, median of 9), and the window
 *   aggregate of that book against the store's own SQL text run raw (<= 1.1x). The database
 *   grows through `PARTNERBOOK_BENCH_PG_SIZES` (total referrals, default `1000000,10000000`:
 *   the same database is measured at 1M, then filled up to 10M), so the output shows how the
 *   times grow; `PARTNERBOOK_BENCH_PG_PER_BOOK` (default 1000) sets the referrals per book;
 * - a large book in that database (`PARTNERBOOK_BENCH_PG_LARGE`, default 100,000 referrals,
 *   1,000 partners, 25,000 interactions; 0 skips it): its window aggregate against raw (<= 1.1x),
 *   and its matrix and agenda as information (printed, no target);
 * - importing a book of 10,000 partners and `PARTNERBOOK_BENCH_PG_IMPORT` (default 1,000,000)
 *   referrals through `store.importBook`, against a hand-written importer that writes the same
 *   rows (records, change feed, counter) with `INSERT ... SELECT * FROM unnest(...)` in chunks
 *   of 10,000 rows, in one transaction (<= 1.2x; median of `PARTNERBOOK_BENCH_PG_IMPORT_RUNS`,
 *   default 3, runs each);
 * - single durable writes (`store.referrals.put`, committed before it returns) into new books of
 *   the large database, per second, against the same rows written raw: BEGIN, SELECT ... FOR
 *   UPDATE, INSERT, the counter upsert, the change, COMMIT (>= 0.75x).
 *
 * The server: `PARTNERBOOK_BENCH_POSTGRES_URL`, else `scripts/postgres.sh start` (never with
 * PARTNERBOOK_PG_FAST). Every schema made here is dropped at the end.
 */
import * as child from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { absolute, compare, type Entry, relative, time } from "@partnerbook/bench-kit"
import { Book, BookDocument, Partner, Partnerbook, Profession, Referral, Store } from "@partnerbook/core"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import * as Sql from "../src/internal/sql.js"
import { PostgresStore } from "../src/index.js"
import { bookId, fill, type Shape } from "./fill.js"

const DAY_MS = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const window = { after: new Date(asOf.getTime() - 365 * DAY_MS), until: asOf }

const int = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be an integer >= 0, got ${JSON.stringify(raw)}`)
  return n
}
const PER_BOOK = Math.max(1, int("PARTNERBOOK_BENCH_PG_PER_BOOK", 1_000))
const sizes = (process.env.PARTNERBOOK_BENCH_PG_SIZES || "1000000,10000000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isSafeInteger(n) && n >= PER_BOOK)
  .sort((a, b) => a - b)
const LARGE = int("PARTNERBOOK_BENCH_PG_LARGE", 100_000)
const IMPORT = int("PARTNERBOOK_BENCH_PG_IMPORT", 1_000_000)
const IMPORT_RUNS = Math.max(1, int("PARTNERBOOK_BENCH_PG_IMPORT_RUNS", 3))
const IMPORT_PARTNERS = 10_000
const DURABLE_WRITES = int("PARTNERBOOK_BENCH_PG_WRITES", 300)

/** A book of the many-books database: 50 partners and 250 interactions per 1,000 referrals. */
const shapeOf = (first: number, books: number): Shape => ({
  first,
  books,
  partners: Math.max(1, Math.round(PER_BOOK / 20)),
  referrals: PER_BOOK,
  interactions: Math.max(1, Math.round(PER_BOOK / 4)),
  prefix: "book-"
})

const here = path.dirname(fileURLToPath(import.meta.url))
const script = path.resolve(here, "../../../scripts/postgres.sh")
const log = (line: string) => console.error(`  ${line}`)
const count = (n: number) => n.toLocaleString("en-US")
const load = () =>
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")} on ${os.cpus().length} cores`

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

const ms = (d: Date | undefined) => (d === undefined ? null : d.getTime())

/** The rows `importBook` writes (records, one change per record, the book's counter), raw. */
const rawImport = async (client: pg.Client, schema: string, document: BookDocument.BookDocument) => {
  const q = `"${schema}"`
  await client.query("BEGIN")
  await rawInsert(
    client,
    `INSERT INTO ${q}.partners (book, id, date, revision, data, external_id) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])`,
    6,
    document.partners,
    (p) => [p.book, p.id, p.createdAt.getTime(), p.revision, JSON.stringify(p), p.externalId ?? null]
  )
  await rawInsert(
    client,
    `INSERT INTO ${q}.referrals (book, id, partner_id, date, direction, status, value, revision, data, external_id, status_changed_at, thanked_at, loop_closed_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::double precision[], $8::bigint[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[])`,
    13,
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
      JSON.stringify(r),
      r.externalId ?? null,
      ms(r.statusChangedAt),
      ms(r.thankedAt),
      ms(r.loopClosedAt)
    ]
  )
  const changes = [
    ...document.partners.map((p) => ["partner", p.id, p.revision] as const),
    ...document.referrals.map((r) => ["referral", r.id, r.revision] as const)
  ]
  const {
    rows: [counter]
  } = await client.query<{ last: string }>(
    `INSERT INTO ${q}.books AS b (book, sequence) VALUES ($1, $2) ON CONFLICT (book) DO UPDATE SET sequence = b.sequence + excluded.sequence RETURNING sequence AS last`,
    [document.book, changes.length]
  )
  const first = Number(counter!.last) - changes.length + 1
  await rawInsert(
    client,
    `INSERT INTO ${q}.changes (book, sequence, entity, id, op, revision) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
    6,
    changes.map((c, i) => [first + i, c] as const),
    ([sequence, [entity, id, revision]]) => [document.book, sequence, entity, id, "put", revision]
  )
  await client.query("COMMIT")
}

/** One durable write of a new referral, raw: the same rows and round trips as `referrals.put`. */
const rawPut = async (client: pg.Client, q: string, r: Referral.Referral) => {
  await client.query("BEGIN")
  await client.query(`SELECT revision FROM ${q}.referrals WHERE book = $1 AND id = $2 FOR UPDATE`, [
    r.book,
    r.id
  ])
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
  const {
    rows: [counter]
  } = await client.query<{ last: string }>(
    `INSERT INTO ${q}.books AS b (book, sequence) VALUES ($1, 1) ON CONFLICT (book) DO UPDATE SET sequence = b.sequence + 1 RETURNING sequence AS last`,
    [r.book]
  )
  await client.query(
    `INSERT INTO ${q}.changes (book, sequence, entity, id, op, revision) VALUES ($1, $2, 'referral', $3, 'put', 1) ON CONFLICT (book, entity, id) DO UPDATE SET sequence = excluded.sequence, op = excluded.op, revision = excluded.revision`,
    [r.book, counter!.last, r.id]
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
    const service = await runtime.runPromise(Partnerbook.Partnerbook)
    return { runtime, store, service, close: () => runtime.dispose() }
  }
  const openRaw = async (schema: string) => {
    await (await openStore(schema)).close() // the store's tables, made by its migrations
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return client
  }
  const vacuum = async (schema: string) => {
    for (const t of ["profiles", "partners", "referrals", "interactions", "changes", "books"]) {
      await admin.query(`VACUUM ANALYZE "${schema}".${t}`)
    }
  }
  const sizeOf = async (schema: string) => {
    const { rows } = await admin.query<{ bytes: string }>(
      "SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
      [schema]
    )
    return `${(Number(rows[0]?.bytes ?? 0) / 2 ** 30).toFixed(1)} GiB`
  }

  const entries: Array<Entry> = []
  try {
    // --- import ------------------------------------------------------------------------
    if (IMPORT > 0) {
      const label = count(IMPORT)
      const book = Book.defaultBookId
      const document = makeDocument(book, IMPORT_PARTNERS, IMPORT, 7)
      const imported = await compare(
        async () => {
          const schema = freshSchema()
          const { close, store } = await openStore(schema)
          return {
            work: () => Effect.runPromise(store.importBook(document)),
            done: async () => {
              await close()
              await drop(schema)
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
        { warmup: IMPORT >= 1_000_000 ? 0 : 1, runs: IMPORT_RUNS }
      )
      log(
        `import ${label}: store ${imported.subject.toFixed(0)} ms, raw unnest ${imported.baseline.toFixed(0)} ms (${load()})`
      )
      entries.push(
        relative(
          `PostgresStore importBook: ${count(IMPORT_PARTNERS)} partners, ${label} referrals`,
          imported,
          "ms",
          1.2
        )
      )
    }

    // --- many books -------------------------------------------------------------------------
    const schema = freshSchema()
    const opened = await openStore(schema)
    const raw = new pg.Client({ connectionString: url })
    await raw.connect()
    const text = Sql.make(schema).window
    const params = (book: string) => [book, window.after.getTime(), window.until.getTime()]

    /** The store's aggregate equals the raw one, then both timed. */
    const windowed = async (book: string) => {
      const ours = await Effect.runPromise(opened.store.window(Book.BookId.make(book), window))
      const theirs = (await raw.query(text, params(book))).rows as Array<Store.WindowRow>
      theirs.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0))
      if (JSON.stringify(ours) !== JSON.stringify(theirs) || ours.length === 0) {
        throw new Error("the store's window aggregate and the raw query disagree")
      }
      return compare(
        async () => ({ work: () => Effect.runPromise(opened.store.window(Book.BookId.make(book), window)) }),
        async () => ({ work: () => raw.query(text, params(book)) }),
        { warmup: 3, runs: 15 }
      )
    }
    const service = async (book: string, partners: number) => {
      const placements = await Effect.runPromise(opened.service.matrix(book, { asOf }))
      if (placements.length !== partners)
        throw new Error(`expected ${partners} placements, got ${placements.length}`)
      const agenda = await Effect.runPromise(opened.service.agenda(book, { asOf }))
      if (agenda.length === 0) throw new Error("expected agenda items")
      const matrix = await time(
        async () => ({ work: () => Effect.runPromise(opened.service.matrix(book, { asOf })) }),
        {
          warmup: 2,
          runs: 9
        }
      )
      const items = await time(
        async () => ({ work: () => Effect.runPromise(opened.service.agenda(book, { asOf })) }),
        {
          warmup: 2,
          runs: 9
        }
      )
      return { matrix, agenda: items, items: agenda.length }
    }
    /** The built rows are what the store writes: every record of one book decodes and re-encodes to its row's bytes. */
    const verify = async (book: string) => {
      const id = Book.BookId.make(book)
      for (const [table, list] of [
        [
          "partners",
          opened.store.partners.list(id) as Effect.Effect<ReadonlyArray<{ readonly id: string }>, unknown>
        ],
        ["referrals", opened.store.referrals.list(id)],
        ["interactions", opened.store.interactions.list(id)]
      ] as const) {
        const records: ReadonlyArray<{ readonly id: string }> = await Effect.runPromise(list)
        const { rows } = await raw.query<{ id: string; data: string }>(
          `SELECT id, data FROM "${schema}".${table} WHERE book = $1`,
          [book]
        )
        const byId = new Map(rows.map((r) => [r.id, r.data]))
        if (records.length === 0 || records.length !== rows.length) throw new Error(`${table}: no rows built`)
        for (const r of records) {
          if (byId.get(r.id) !== JSON.stringify(r)) {
            throw new Error(
              `${table} ${r.id}: the built row is not the store's JSON: ${byId.get(r.id)} vs ${JSON.stringify(r)}`
            )
          }
        }
      }
    }

    let books = 0
    for (const size of sizes) {
      const want = Math.floor(size / PER_BOOK)
      if (want > books) {
        const before = Date.now()
        const filled = await fill(admin, schema, shapeOf(books, want - books), asOf.getTime(), { log })
        const vacuumStarted = Date.now()
        await vacuum(schema)
        log(
          `books ${count(books)} to ${count(want)} (${count((want - books) * PER_BOOK)} referrals) built in ${(filled / 1000).toFixed(0)} s, vacuumed in ${((Date.now() - vacuumStarted) / 1000).toFixed(0)} s; ${count(want * PER_BOOK)} referrals, ${await sizeOf(schema)} (${((Date.now() - before) / 1000).toFixed(0)} s, ${load()})`
        )
        if (books === 0) await verify(bookId("book-", 0))
        books = want
      }
      const typical = bookId("book-", Math.floor(books / 2))
      const total = count(books * PER_BOOK)
      const shape = shapeOf(0, 1)
      const one = `one book (${shape.partners} partners, ${count(PER_BOOK)} referrals, ${shape.interactions} interactions) of ${count(books)} books, ${total} referrals`
      const measured = await service(typical, shape.partners)
      const agg = await windowed(typical)
      log(
        `${total} referrals: matrix ${measured.matrix.toFixed(1)} ms, agenda ${measured.agenda.toFixed(1)} ms (${measured.items} items), window ${agg.subject.toFixed(2)} ms vs raw ${agg.baseline.toFixed(2)} ms (${load()})`
      )
      entries.push(absolute(`PostgresStore matrix of ${one}`, measured.matrix, "ms", 50))
      entries.push(absolute(`PostgresStore agenda of ${one}`, measured.agenda, "ms", 50))
      entries.push(relative(`PostgresStore window aggregate of ${one}, 365 days`, agg, "ms", 1.1))
    }

    if (LARGE > 0 && books > 0) {
      const shape: Shape = {
        first: 0,
        books: 1,
        partners: Math.max(1, Math.round(LARGE / 100)),
        referrals: LARGE,
        interactions: Math.max(1, Math.round(LARGE / 4)),
        prefix: "large-"
      }
      await fill(admin, schema, shape, asOf.getTime(), { batch: 1 })
      await vacuum(schema)
      const large = bookId("large-", 0)
      const label = `a large book (${count(shape.partners)} partners, ${count(LARGE)} referrals, ${count(shape.interactions)} interactions) among ${count(books * PER_BOOK)} referrals`
      const measured = await service(large, shape.partners)
      const agg = await windowed(large)
      log(
        `${label}: matrix ${measured.matrix.toFixed(1)} ms, agenda ${measured.agenda.toFixed(1)} ms (${measured.items} items), window ${agg.subject.toFixed(2)} ms vs raw ${agg.baseline.toFixed(2)} ms (information, no target; ${load()})`
      )
      entries.push(relative(`PostgresStore window aggregate of ${label}, 365 days`, agg, "ms", 1.1))
    }

    // --- one durable write at a time, into the large database ------------------------------------
    if (DURABLE_WRITES > 0) {
      const next = random(11)
      let run = 0
      const writesOf = (b: Book.BookId) =>
        Array.from({ length: DURABLE_WRITES }, (_, i) => makeReferral(b, i, 50, next, 0))
      const q = `"${schema}"`
      const durable = await compare(
        async () => {
          const writes = writesOf(Book.BookId.make(`writes-store-${run++}`))
          return {
            work: async () => {
              for (const r of writes) await Effect.runPromise(opened.store.referrals.put(r))
            }
          }
        },
        async () => {
          const writes = writesOf(Book.BookId.make(`writes-raw-${run++}`))
          return {
            work: async () => {
              for (const r of writes) await rawPut(raw, q, r)
            }
          }
        },
        { warmup: 1, runs: 5 }
      )
      const perSecond = (ms: number) => (DURABLE_WRITES * 1000) / ms
      entries.push(
        relative(
          `PostgresStore referrals.put: durable writes/s (fsync on, one transaction each, ${books > 0 ? `${count(books * PER_BOOK)}-referral database` : "empty database"}) vs raw pg`,
          { subject: perSecond(durable.subject), baseline: perSecond(durable.baseline) },
          "writes/s",
          0.75,
          "higher"
        )
      )
      log(
        `durable writes: store ${perSecond(durable.subject).toFixed(0)}/s, raw ${perSecond(durable.baseline).toFixed(0)}/s (${load()})`
      )
    }
    await raw.end()
    await opened.close()
  } finally {
    for (const schema of made) await drop(schema)
    await admin.end()
  }
  return entries
}
