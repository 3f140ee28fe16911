import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Client, Interaction, Partner, Profile, Referral, StoreError } from "@partnerbook/core"
import { Store } from "@partnerbook/core"
import { Effect, type Either, type ParseResult, Schema } from "effect"
import * as Reads from "./reads.js"

/*
 * One table per entity. The book id leads every primary key and every index, so that no
 * query ever reads across books. A row holds the record itself as JSON (`data`, the
 * Schema-encoded form: dates as ISO strings) plus the columns queries need: `partner_id`
 * and `date` (epoch milliseconds, see `Store.partnerOf` / `Store.dateOf`), and for
 * referrals the three fields of the window aggregate. Adding an optional field to a record
 * therefore needs no migration. There are no foreign keys between entities: the Store does
 * not enforce references (the Partnerbook service does).
 */

/** @internal */
export const migrationsTable = "partnerbook_migrations"

/** @internal */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_create_tables": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE partnerbook_profiles (
  book TEXT NOT NULL PRIMARY KEY,
  data TEXT NOT NULL
) STRICT`
    yield* sql`CREATE TABLE partnerbook_partners (
  book TEXT NOT NULL,
  id TEXT NOT NULL,
  date INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (book, id)
) STRICT`
    yield* sql`CREATE INDEX partnerbook_partners_by_date ON partnerbook_partners (book, date)`
    yield* sql`CREATE TABLE partnerbook_referrals (
  book TEXT NOT NULL,
  id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  date INTEGER NOT NULL,
  direction TEXT NOT NULL,
  status TEXT NOT NULL,
  value REAL,
  data TEXT NOT NULL,
  PRIMARY KEY (book, id)
) STRICT`
    yield* sql`CREATE INDEX partnerbook_referrals_by_partner ON partnerbook_referrals (book, partner_id, date)`
    // Covers the window aggregate: a range scan on (book, date) that never reads the table.
    yield* sql`CREATE INDEX partnerbook_referrals_window ON partnerbook_referrals (book, date, partner_id, direction, status, value)`
    yield* sql`CREATE TABLE partnerbook_interactions (
  book TEXT NOT NULL,
  id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  date INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (book, id)
) STRICT`
    yield* sql`CREATE INDEX partnerbook_interactions_by_partner ON partnerbook_interactions (book, partner_id, date)`
    yield* sql`CREATE INDEX partnerbook_interactions_by_date ON partnerbook_interactions (book, date)`
    yield* sql`CREATE TABLE partnerbook_clients (
  book TEXT NOT NULL,
  id TEXT NOT NULL,
  partner_id TEXT,
  date INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (book, id)
) STRICT`
    yield* sql`CREATE INDEX partnerbook_clients_by_partner ON partnerbook_clients (book, partner_id, date)`
    yield* sql`CREATE INDEX partnerbook_clients_by_date ON partnerbook_clients (book, date)`
  }),
  // 0.2.0 (CRM integration): external ids, unique per book and kind; the change feed, one row
  // per record (its latest change), numbered per book. Existing records each get a `put`
  // change, in the order profile, partners, referrals, interactions, clients, then by id.
  "2_external_ids_and_changes": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const table of ["partners", "referrals", "interactions", "clients"]) {
      yield* sql.unsafe(`ALTER TABLE partnerbook_${table} ADD COLUMN external_id TEXT`)
      yield* sql.unsafe(
        `UPDATE partnerbook_${table} SET external_id = json_extract(data, '$.externalId') WHERE json_valid(data)`
      )
      yield* sql.unsafe(
        `CREATE UNIQUE INDEX partnerbook_${table}_by_external_id ON partnerbook_${table} (book, external_id) WHERE external_id IS NOT NULL`
      )
    }
    yield* sql`CREATE TABLE partnerbook_changes (
  book TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  op TEXT NOT NULL,
  revision INTEGER,
  PRIMARY KEY (book, sequence)
) STRICT`
    yield* sql`CREATE UNIQUE INDEX partnerbook_changes_by_record ON partnerbook_changes (book, entity, id)`
    yield* sql.unsafe(`INSERT INTO partnerbook_changes (book, sequence, entity, id, op, revision)
SELECT book, row_number() OVER (PARTITION BY book ORDER BY k, id), entity, id, 'put', revision FROM (
  SELECT book, 0 AS k, 'profile' AS entity, book AS id, json_extract(data, '$.revision') AS revision FROM partnerbook_profiles
  UNION ALL SELECT book, 1, 'partner', id, json_extract(data, '$.revision') FROM partnerbook_partners
  UNION ALL SELECT book, 2, 'referral', id, json_extract(data, '$.revision') FROM partnerbook_referrals
  UNION ALL SELECT book, 3, 'interaction', id, json_extract(data, '$.revision') FROM partnerbook_interactions
  UNION ALL SELECT book, 4, 'client', id, json_extract(data, '$.revision') FROM partnerbook_clients
)`)
  }),
  // The reads of the history rules (`Store.digest`, `Store.pending`): indexes on the fields
  // they look at, as expressions over `data` (see reads.ts), so that each fact is one seek or
  // one range of a covering index per partner. Nothing to backfill and no write changes; a
  // row whose data is not JSON (or a field of the wrong type) indexes NULL, never an error.
  "3_digest_reads": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const statement of Reads.indexes) yield* sql.unsafe(statement)
  }),
  // Health's follow-through reads each partner's own window, up to their latest received
  // referral: the covering index of received referrals leads with the partner (see reads.ts).
  "4_received_by_partner": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const statement of Reads.migration3) yield* sql.unsafe(statement)
  })
}

/** @internal */
export const latestMigration = 4

/** @internal */
export const loader = Migrator.fromRecord(migrations)

/**
 * SQLite's default limit on bound parameters per statement (`SQLITE_MAX_VARIABLE_NUMBER`).
 *
 * @internal
 */
export const maxParameters = 32766

/**
 * How one entity is laid out: its table, its columns in insert order, and the hand-written
 * mapping from a record to the column values (no Schema encoding per record: a record is
 * already valid, and `JSON.stringify` of a Schema class writes exactly its encoded form).
 *
 * @internal
 */
export interface Table<K extends StoreError.Entity> {
  readonly kind: K
  readonly name: string
  readonly columns: ReadonlyArray<string>
  /** Appends the record's column values to `out`, in `columns` order. */
  readonly push: (record: Store.Records[K], out: Array<unknown>) => void
  readonly decode: (u: unknown) => Either.Either<Store.Records[K], ParseResult.ParseError>
  /** The column queried for `Query.partnerId`. */
  readonly partnerColumn: string
  /** Rows per multi-row INSERT, under {@link maxParameters}. */
  readonly chunk: number
  readonly sql: {
    readonly read: string
    /** The stored revision only, for the revision check of a write (no decode). */
    readonly revision: string
    readonly delete: string
    readonly list: ReadonlyArray<string>
    /** The record with a given external id (collections only). */
    readonly byExternalId: string
  }
  readonly insert: (rows: number) => string
}

const listSql = (name: string, partnerColumn: string): ReadonlyArray<string> => {
  // Index: bit 0 = partner, bit 1 = after, bit 2 = until. Constant SQL, bound parameters.
  const out: Array<string> = []
  for (let i = 0; i < 8; i++) {
    let where = "book = ?"
    if (i & 1) where += ` AND ${partnerColumn} = ?`
    if (i & 2) where += " AND date > ?"
    if (i & 4) where += " AND date <= ?"
    out.push(`SELECT data FROM ${name} WHERE ${where}`)
  }
  return out
}

const makeTable = <K extends StoreError.Entity>(options: {
  readonly kind: K
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly key: ReadonlyArray<string>
  readonly partnerColumn: string
  readonly push: (record: Store.Records[K], out: Array<unknown>) => void
}): Table<K> => {
  const { columns, key, name } = options
  const tuple = `(${columns.map(() => "?").join(",")})`
  const head = `INSERT INTO ${name} (${columns.join(", ")}) VALUES `
  const tail = ` ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`
  const cache = new Map<number, string>()
  const where = key.map((c) => `${c} = ?`).join(" AND ")
  return {
    kind: options.kind,
    name,
    columns,
    push: options.push,
    decode: Schema.decodeUnknownEither(
      Store.schemas[options.kind] as unknown as Schema.Schema<Store.Records[K], unknown>
    ),
    partnerColumn: options.partnerColumn,
    chunk: Math.floor(maxParameters / columns.length),
    sql: {
      read: `SELECT data FROM ${name} WHERE ${where}`,
      // A row whose data is not JSON gives NULL here (then CorruptStore), not an SQL error.
      revision: `SELECT CASE WHEN json_valid(data) THEN json_extract(data, '$.revision') END AS revision FROM ${name} WHERE ${where}`,
      delete: `DELETE FROM ${name} WHERE ${where}`,
      list: listSql(name, options.partnerColumn),
      byExternalId: `SELECT data FROM ${name} WHERE book = ? AND external_id = ?`
    },
    insert: (rows) => {
      let sql = cache.get(rows)
      if (sql === undefined) {
        sql = head + new Array<string>(rows).fill(tuple).join(",") + tail
        cache.set(rows, sql)
      }
      return sql
    }
  }
}

const time = (date: Date): number => date.getTime()

/** @internal */
export const tables: { readonly [K in StoreError.Entity]: Table<K> } = {
  profile: makeTable({
    kind: "profile",
    name: "partnerbook_profiles",
    columns: ["book", "data"],
    key: ["book"],
    partnerColumn: "book",
    push: (r: Profile.Profile, out) => {
      out.push(r.book, JSON.stringify(r))
    }
  }),
  partner: makeTable({
    kind: "partner",
    name: "partnerbook_partners",
    columns: ["book", "id", "date", "external_id", "data"],
    key: ["book", "id"],
    partnerColumn: "id",
    push: (r: Partner.Partner, out) => {
      out.push(r.book, r.id, time(r.createdAt), r.externalId ?? null, JSON.stringify(r))
    }
  }),
  referral: makeTable({
    kind: "referral",
    name: "partnerbook_referrals",
    columns: ["book", "id", "partner_id", "date", "direction", "status", "value", "external_id", "data"],
    key: ["book", "id"],
    partnerColumn: "partner_id",
    push: (r: Referral.Referral, out) => {
      out.push(
        r.book,
        r.id,
        r.partnerId,
        time(r.date),
        r.direction,
        r.status,
        r.value ?? null,
        r.externalId ?? null,
        JSON.stringify(r)
      )
    }
  }),
  interaction: makeTable({
    kind: "interaction",
    name: "partnerbook_interactions",
    columns: ["book", "id", "partner_id", "date", "external_id", "data"],
    key: ["book", "id"],
    partnerColumn: "partner_id",
    push: (r: Interaction.Interaction, out) => {
      out.push(r.book, r.id, r.partnerId, time(r.date), r.externalId ?? null, JSON.stringify(r))
    }
  }),
  client: makeTable({
    kind: "client",
    name: "partnerbook_clients",
    columns: ["book", "id", "partner_id", "date", "external_id", "data"],
    key: ["book", "id"],
    partnerColumn: "partner_id",
    push: (r: Client.Client, out) => {
      out.push(
        r.book,
        r.id,
        r.source._tag === "partner" ? r.source.partnerId : null,
        time(r.acquiredAt),
        r.externalId ?? null,
        JSON.stringify(r)
      )
    }
  })
}

/** @internal */
export const allTables: ReadonlyArray<Table<StoreError.Entity>> = [
  tables.profile,
  tables.partner,
  tables.referral,
  tables.interaction,
  tables.client
] as ReadonlyArray<Table<StoreError.Entity>>

/**
 * The window aggregate as one query over the covering index `partnerbook_referrals_window`.
 *
 * @internal
 */
export const windowSql = `SELECT partner_id AS partnerId,
  sum(direction = 'given') AS given,
  sum(direction = 'received') AS received,
  total(CASE WHEN direction = 'given' AND status = 'engaged' THEN value END) AS givenValue,
  total(CASE WHEN direction = 'received' AND status = 'engaged' THEN value END) AS receivedValue
FROM partnerbook_referrals
WHERE book = ? AND date > ? AND date <= ?
GROUP BY partner_id`

/** @internal */
export const isEmptySql = `SELECT ${allTables
  .map((t) => `EXISTS (SELECT 1 FROM ${t.name} WHERE book = ?)`)
  .join(" OR ")} AS found`

/**
 * The distinct books of every table, by skipping through the primary keys (one index seek
 * per book and table, not a scan of every row).
 *
 * @internal
 */
export const booksSql = `WITH RECURSIVE ${allTables
  .map(
    (t, i) =>
      `t${i}(b) AS (SELECT min(book) FROM ${t.name} UNION ALL SELECT (SELECT min(book) FROM ${t.name} WHERE book > b) FROM t${i} WHERE b IS NOT NULL)`
  )
  .join(",\n")}
${allTables.map((_, i) => `SELECT b AS book FROM t${i} WHERE b IS NOT NULL`).join("\nUNION\n")}`

/**
 * The change feed: one row per record, its latest change. A write appends with an upsert on
 * (book, entity, id), numbered from the book's highest sequence read in the same
 * transaction (BEGIN IMMEDIATE: no other writer in between, in any process).
 *
 * @internal
 */
export const changes = {
  columns: 6,
  chunk: Math.floor(maxParameters / 6),
  last: "SELECT coalesce(max(sequence), 0) AS last FROM partnerbook_changes WHERE book = ?",
  insert: (rows: number): string =>
    `INSERT INTO partnerbook_changes (book, sequence, entity, id, op, revision) VALUES ${new Array<string>(
      rows
    )
      .fill("(?,?,?,?,?,?)")
      .join(
        ","
      )} ON CONFLICT (book, entity, id) DO UPDATE SET sequence = excluded.sequence, op = excluded.op, revision = excluded.revision`,
  page: "SELECT sequence, entity, id, op, revision FROM partnerbook_changes WHERE book = ? AND sequence > ? ORDER BY sequence LIMIT ?"
} as const
