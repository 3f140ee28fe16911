/*
 * Every statement the PostgreSQL store sends, built in this one module from the schema name.
 *
 * One table per entity, in the store's own PostgreSQL schema (default `partnerbook`). The
 * book id leads every primary key and every index, so that no query reads across books. A
 * row holds the record itself as JSON text (`data`, the Schema-encoded form: dates as ISO
 * strings; text, not jsonb, so that every string JSON can carry, NUL escapes included,
 * round-trips byte for byte) plus the columns queries need: `revision`, `partner_id` and
 * `date` (epoch milliseconds, see `Store.partnerOf` / `Store.dateOf`), and for referrals the
 * three fields of the window aggregate. Adding an optional field to a record needs no
 * migration. There are no foreign keys between entities: the Store does not enforce
 * references (the Partnerbook service does).
 *
 * Migration 2 (0.2.0) added: an `external_id` column per collection with a unique index on
 * `(book, external_id)` where not null (the per-(book, kind) uniqueness is the index itself);
 * the change feed, `changes (book, sequence, entity, id, op, revision)` keyed by
 * `(book, sequence)` and unique on `(book, entity, id)` (a record keeps its latest change),
 * numbered from a per-book counter row in `books (book, sequence)` advanced by `INSERT ... ON
 * CONFLICT DO UPDATE ... RETURNING` inside the write's transaction (which row-locks it, so
 * the book's writers take their numbers one at a time); and the columns the pushed-down reads
 * filter on (`status_changed_at`, `thanked_at`, `loop_closed_at`, the generated `settled_at`
 * of referrals; `kind`, `positive` of interactions). Revisions became `bigint`.
 * Append later migrations to `migrations`; never edit a shipped one.
 */
import type { Client, Interaction, Partner, Profile, Referral, StoreError } from "@partnerbook/core"
import { Store } from "@partnerbook/core"
import { type Either, type ParseResult, Schema } from "effect"

/** @internal */
export const defaultSchema = "partnerbook"

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Why `schema` cannot name the store's PostgreSQL schema, or `undefined` when it can: a
 * lower-case SQL identifier (letters, digits, `_`, not starting with a digit, at most 63
 * bytes), so that it never needs quoting rules to be right and is never case-folded.
 *
 * @internal
 */
export const schemaProblem = (schema: string): string | undefined =>
  IDENTIFIER.test(schema)
    ? schema.startsWith("pg_")
      ? `schema must not start with "pg_" (reserved by PostgreSQL), got ${JSON.stringify(schema)}`
      : undefined
    : `schema must be a lower-case SQL identifier (a-z, 0-9 and _, not starting with a digit, at most 63 characters), got ${JSON.stringify(schema)}`

/**
 * Whether PostgreSQL text can hold `s` exactly: no NUL character and no lone UTF-16
 * surrogate (the driver would replace it with U+FFFD, silently changing the key).
 *
 * @internal
 */
export const storable = (s: string): boolean =>
  !s.includes("\u0000") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)

/** @internal */
export const latestMigration = 2

/** The DDL of each migration, in order; each runs in the migrating transaction. */
const migrations = (
  q: string
): ReadonlyArray<{
  readonly id: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}> => [
  {
    id: 1,
    name: "create_tables",
    statements: [
      `CREATE TABLE ${q}.profiles (
  book text NOT NULL PRIMARY KEY,
  revision integer NOT NULL,
  data text NOT NULL
)`,
      `CREATE TABLE ${q}.partners (
  book text NOT NULL,
  id text NOT NULL,
  date bigint NOT NULL,
  revision integer NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (book, id)
)`,
      `CREATE INDEX partners_by_date ON ${q}.partners (book, date)`,
      `CREATE TABLE ${q}.referrals (
  book text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  date bigint NOT NULL,
  direction text NOT NULL,
  status text NOT NULL,
  value double precision,
  revision integer NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (book, id)
)`,
      `CREATE INDEX referrals_by_partner ON ${q}.referrals (book, partner_id, date)`,
      // Covers the window aggregate: an index-only range scan on (book, date).
      `CREATE INDEX referrals_window ON ${q}.referrals (book, date) INCLUDE (partner_id, direction, status, value)`,
      `CREATE TABLE ${q}.interactions (
  book text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  date bigint NOT NULL,
  revision integer NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (book, id)
)`,
      `CREATE INDEX interactions_by_partner ON ${q}.interactions (book, partner_id, date)`,
      `CREATE INDEX interactions_by_date ON ${q}.interactions (book, date)`,
      `CREATE TABLE ${q}.clients (
  book text NOT NULL,
  id text NOT NULL,
  partner_id text,
  date bigint NOT NULL,
  revision integer NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (book, id)
)`,
      `CREATE INDEX clients_by_partner ON ${q}.clients (book, partner_id, date)`,
      `CREATE INDEX clients_by_date ON ${q}.clients (book, date)`
    ]
  },
  // 0.2.0: external ids (unique per book and kind), the change feed with its per-book counter,
  // and the columns and indexes of the pushed-down reads (digest, pending, received).
  // Existing rows are backfilled from `data` by session-local helper functions that give NULL,
  // never an error, for a row whose data is not JSON or a field of the wrong type (reading
  // that row still reports CorruptStore). Existing records each get a `put` change, in the
  // order profile, partners, referrals, interactions, clients, then by id.
  {
    id: 2,
    name: "external_ids_changes_and_reads",
    statements: [
      `CREATE FUNCTION pg_temp.partnerbook_text(data text, field text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
  j := data::json;
  IF json_typeof(j -> field) IS DISTINCT FROM 'string' THEN RETURN NULL; END IF;
  RETURN j ->> field;
EXCEPTION WHEN others THEN RETURN NULL;
END $$`,
      `CREATE FUNCTION pg_temp.partnerbook_ms(data text, field text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN round(extract(epoch FROM pg_temp.partnerbook_text(data, field)::timestamptz) * 1000)::bigint;
EXCEPTION WHEN others THEN RETURN NULL;
END $$`,
      `CREATE FUNCTION pg_temp.partnerbook_true(data text, field text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RETURN coalesce(json_typeof(data::json -> field) = 'boolean' AND (data::json ->> field) = 'true', false);
EXCEPTION WHEN others THEN RETURN false;
END $$`,
      // A revision goes up to Number.MAX_SAFE_INTEGER (the Store refuses to go past it).
      ...["profiles", "partners", "referrals", "interactions", "clients"].map(
        (t) => `ALTER TABLE ${q}.${t} ALTER COLUMN revision TYPE bigint`
      ),
      ...["partners", "referrals", "interactions", "clients"].flatMap((t) => [
        `ALTER TABLE ${q}.${t} ADD COLUMN external_id text`,
        `UPDATE ${q}.${t} SET external_id = pg_temp.partnerbook_text(data, 'externalId')`,
        `CREATE UNIQUE INDEX ${t}_by_external_id ON ${q}.${t} (book, external_id) WHERE external_id IS NOT NULL`
      ]),
      `ALTER TABLE ${q}.referrals ADD COLUMN status_changed_at bigint, ADD COLUMN thanked_at bigint, ADD COLUMN loop_closed_at bigint`,
      `UPDATE ${q}.referrals SET status_changed_at = pg_temp.partnerbook_ms(data, 'statusChangedAt'),
  thanked_at = pg_temp.partnerbook_ms(data, 'thankedAt'), loop_closed_at = pg_temp.partnerbook_ms(data, 'loopClosedAt')`,
      // When a received referral asks for nothing more: thanked, decided and its loop closed
      // (the latest of the three); NULL while any is missing. Pending as of t: NULL or > t.
      `ALTER TABLE ${q}.referrals ADD COLUMN settled_at bigint GENERATED ALWAYS AS (
  CASE WHEN status IN ('engaged', 'not-engaged') AND thanked_at IS NOT NULL AND loop_closed_at IS NOT NULL
  THEN greatest(thanked_at, loop_closed_at, coalesce(status_changed_at, date)) END) STORED`,
      `ALTER TABLE ${q}.interactions ADD COLUMN kind text, ADD COLUMN positive boolean NOT NULL DEFAULT false`,
      `UPDATE ${q}.interactions SET kind = pg_temp.partnerbook_text(data, 'kind'), positive = pg_temp.partnerbook_true(data, 'positive')`,
      `CREATE INDEX referrals_by_direction ON ${q}.referrals (book, partner_id, direction, date)`,
      `CREATE INDEX referrals_engaged ON ${q}.referrals (book, partner_id, status, direction, status_changed_at, date)`,
      `CREATE INDEX referrals_pending ON ${q}.referrals (book, direction, settled_at, date)`,
      `CREATE INDEX interactions_by_kind ON ${q}.interactions (book, partner_id, kind, date)`,
      `CREATE INDEX interactions_positive ON ${q}.interactions (book, partner_id, positive, date)`,
      `CREATE TABLE ${q}.changes (
  book text NOT NULL,
  sequence bigint NOT NULL,
  entity text NOT NULL,
  id text NOT NULL,
  op text NOT NULL,
  revision bigint,
  PRIMARY KEY (book, sequence)
)`,
      `CREATE UNIQUE INDEX changes_by_record ON ${q}.changes (book, entity, id)`,
      // The per-book counter: its row is locked (INSERT ... ON CONFLICT DO UPDATE) by every
      // write of the book until it commits, so sequences are handed out one writer at a time.
      `CREATE TABLE ${q}.books (
  book text NOT NULL PRIMARY KEY,
  sequence bigint NOT NULL
)`,
      `INSERT INTO ${q}.changes (book, sequence, entity, id, op, revision)
SELECT book, row_number() OVER (PARTITION BY book ORDER BY k, id COLLATE "C"), entity, id, 'put', revision FROM (
  SELECT book, 0 AS k, 'profile' AS entity, book AS id, revision FROM ${q}.profiles
  UNION ALL SELECT book, 1, 'partner', id, revision FROM ${q}.partners
  UNION ALL SELECT book, 2, 'referral', id, revision FROM ${q}.referrals
  UNION ALL SELECT book, 3, 'interaction', id, revision FROM ${q}.interactions
  UNION ALL SELECT book, 4, 'client', id, revision FROM ${q}.clients
) x`,
      `INSERT INTO ${q}.books (book, sequence) SELECT book, max(sequence) FROM ${q}.changes GROUP BY book`,
      "DROP FUNCTION pg_temp.partnerbook_true(text, text)",
      "DROP FUNCTION pg_temp.partnerbook_ms(text, text)",
      "DROP FUNCTION pg_temp.partnerbook_text(text, text)"
    ]
  }
]

/**
 * How one entity is laid out: its table, its columns in insert order with their PostgreSQL
 * types (for `unnest`), and the hand-written mapping from a record to the column values.
 *
 * @internal
 */
export interface Table<K extends StoreError.Entity> {
  readonly kind: K
  /** The unqualified table name (for messages). */
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly types: ReadonlyArray<string>
  /** The record's column values, in `columns` order. */
  readonly values: (record: Store.Records[K]) => ReadonlyArray<unknown>
  readonly decode: (u: unknown) => Either.Either<Store.Records[K], ParseResult.ParseError>
}

/** @internal */
export interface Statements<K extends StoreError.Entity> {
  readonly table: Table<K>
  /** `$1` book, `$2` id (the profile: `$1` book only): `data`. */
  readonly read: string
  /** The same, locking the row for the rest of the transaction. */
  readonly readForUpdate: string
  /** The stored revision alone, locking the row. */
  readonly revisionForUpdate: string
  /** The stored revision alone (no lock). */
  readonly revision: string
  readonly delete: string
  /**
   * Inserts a row, or replaces the stored one only when the stored revision is the new one
   * minus 1 (a compare-and-set); returns the row's revision when it wrote, nothing otherwise.
   * `$n` in `columns` order.
   */
  readonly write: string
  /**
   * Inserts many rows (an import, into a book found empty under the import lock): one array
   * per column, `$n` in `columns` order. A row that exists already is a unique violation.
   */
  readonly insertMany: string
  /** List variants: bit 0 = partner, bit 1 = after, bit 2 = until; `$1` book, then in that order. */
  readonly list: ReadonlyArray<string>
  /** `$1` book, `$2` external id: `id, data` (collections only; the profile: empty). */
  readonly byExternalId: string
}

const time = (date: Date): number => date.getTime()
const timeOrNull = (date: Date | undefined): number | null => (date === undefined ? null : date.getTime())

const makeTable = <K extends StoreError.Entity>(options: {
  readonly kind: K
  readonly name: string
  readonly columns: ReadonlyArray<readonly [string, string]>
  readonly values: (record: Store.Records[K]) => ReadonlyArray<unknown>
}): Table<K> => ({
  kind: options.kind,
  name: options.name,
  columns: options.columns.map(([c]) => c),
  types: options.columns.map(([, t]) => t),
  values: options.values,
  decode: Schema.decodeUnknownEither(
    Store.schemas[options.kind] as unknown as Schema.Schema<Store.Records[K], unknown>
  )
})

/** @internal */
export const tables: { readonly [K in StoreError.Entity]: Table<K> } = {
  profile: makeTable({
    kind: "profile",
    name: "profiles",
    columns: [
      ["book", "text"],
      ["revision", "bigint"],
      ["data", "text"]
    ],
    values: (r: Profile.Profile) => [r.book, r.revision, JSON.stringify(r)]
  }),
  partner: makeTable({
    kind: "partner",
    name: "partners",
    columns: [
      ["book", "text"],
      ["id", "text"],
      ["date", "bigint"],
      ["revision", "bigint"],
      ["data", "text"],
      ["external_id", "text"]
    ],
    values: (r: Partner.Partner) => [
      r.book,
      r.id,
      time(r.createdAt),
      r.revision,
      JSON.stringify(r),
      r.externalId ?? null
    ]
  }),
  referral: makeTable({
    kind: "referral",
    name: "referrals",
    columns: [
      ["book", "text"],
      ["id", "text"],
      ["partner_id", "text"],
      ["date", "bigint"],
      ["direction", "text"],
      ["status", "text"],
      ["value", "double precision"],
      ["revision", "bigint"],
      ["data", "text"],
      ["external_id", "text"],
      ["status_changed_at", "bigint"],
      ["thanked_at", "bigint"],
      ["loop_closed_at", "bigint"]
    ],
    values: (r: Referral.Referral) => [
      r.book,
      r.id,
      r.partnerId,
      time(r.date),
      r.direction,
      r.status,
      r.value ?? null,
      r.revision,
      JSON.stringify(r),
      r.externalId ?? null,
      timeOrNull(r.statusChangedAt),
      timeOrNull(r.thankedAt),
      timeOrNull(r.loopClosedAt)
    ]
  }),
  interaction: makeTable({
    kind: "interaction",
    name: "interactions",
    columns: [
      ["book", "text"],
      ["id", "text"],
      ["partner_id", "text"],
      ["date", "bigint"],
      ["revision", "bigint"],
      ["data", "text"],
      ["external_id", "text"],
      ["kind", "text"],
      ["positive", "boolean"]
    ],
    values: (r: Interaction.Interaction) => [
      r.book,
      r.id,
      r.partnerId,
      time(r.date),
      r.revision,
      JSON.stringify(r),
      r.externalId ?? null,
      r.kind,
      r.positive === true
    ]
  }),
  client: makeTable({
    kind: "client",
    name: "clients",
    columns: [
      ["book", "text"],
      ["id", "text"],
      ["partner_id", "text"],
      ["date", "bigint"],
      ["revision", "bigint"],
      ["data", "text"],
      ["external_id", "text"]
    ],
    values: (r: Client.Client) => [
      r.book,
      r.id,
      r.source._tag === "partner" ? r.source.partnerId : null,
      time(r.acquiredAt),
      r.revision,
      JSON.stringify(r),
      r.externalId ?? null
    ]
  })
}

/** @internal */
export const kinds: ReadonlyArray<StoreError.Entity> = [
  "profile",
  "partner",
  "referral",
  "interaction",
  "client"
]

/** The column queried for `Query.partnerId`. */
const partnerColumn = (kind: StoreError.Entity): string => (kind === "partner" ? "id" : "partner_id")

/**
 * Every statement of one schema.
 *
 * @internal
 */
export interface Sql {
  readonly schema: string
  readonly statements: { readonly [K in StoreError.Entity]: Statements<K> }
  readonly window: string
  readonly isEmpty: string
  readonly books: string
  /** `$1`: the text to hash into a transaction-scoped advisory lock key (imports). */
  readonly lock: string
  readonly changes: {
    /**
     * `$1` book, `$2` the number of changes: adds it to the book's counter and returns the new
     * value (the sequence of the last change), locking the book's counter row until commit.
     */
    readonly advance: string
    /**
     * `$1` book, then arrays: `$2` sequences, `$3` entities, `$4` ids, `$5` ops, `$6` revisions
     * (one change per record: a record's older change is replaced).
     */
    readonly insert: string
    /** `$1` book, `$2` after, `$3` limit: the page, ascending. */
    readonly page: string
    /** `$1` book: the book's highest sequence (no row for a book never written). */
    readonly last: string
  }
  readonly migrationsTable: string
  readonly migrations: ReturnType<typeof migrations>
  /** The advisory-lock key text under which the schema is migrated. */
  readonly migrationLock: string
}

/** @internal */
export const make = (schema: string): Sql => {
  const problem = schemaProblem(schema)
  if (problem !== undefined) throw new Error(problem)
  const q = `"${schema}"`
  const statements = {} as { [K in StoreError.Entity]: Statements<K> }
  for (const kind of kinds) {
    const table = tables[kind] as Table<StoreError.Entity>
    const name = `${q}.${table.name}`
    const key = kind === "profile" ? ["book"] : ["book", "id"]
    const where = key.map((c, i) => `${c} = $${i + 1}`).join(" AND ")
    const list: Array<string> = []
    for (let v = 0; v < 8; v++) {
      let n = 1
      let w = "book = $1"
      if (v & 1) w += ` AND ${partnerColumn(kind)} = $${++n}`
      if (v & 2) w += ` AND date > $${++n}`
      if (v & 4) w += ` AND date <= $${++n}`
      list.push(`SELECT id, data FROM ${name} WHERE ${w}`)
    }
    const cols = table.columns
    const onConflict = ` ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${cols
      .filter((c) => !key.includes(c))
      .map((c) => `${c} = excluded.${c}`)
      .join(", ")}`
    ;(statements as Record<string, Statements<StoreError.Entity>>)[kind] = {
      table,
      read: `SELECT data FROM ${name} WHERE ${where}`,
      readForUpdate: `SELECT data FROM ${name} WHERE ${where} FOR UPDATE`,
      // bigint comes back from the driver as a string: float8 is exact up to 2^53.
      revisionForUpdate: `SELECT revision::double precision AS revision FROM ${name} WHERE ${where} FOR UPDATE`,
      delete: `DELETE FROM ${name} WHERE ${where}`,
      revision: `SELECT revision::double precision AS revision FROM ${name} WHERE ${where}`,
      write: `INSERT INTO ${name} AS t (${cols.join(", ")}) VALUES (${cols
        .map((_, i) => `$${i + 1}`)
        .join(", ")})${onConflict} WHERE t.revision = excluded.revision - 1 RETURNING revision`,
      insertMany: `INSERT INTO ${name} (${cols.join(", ")}) SELECT * FROM unnest(${table.types
        .map((t, i) => `$${i + 1}::${t}[]`)
        .join(", ")})`,
      list: kind === "profile" ? [] : list,
      byExternalId:
        kind === "profile" ? "" : `SELECT id, data FROM ${name} WHERE book = $1 AND external_id = $2`
    }
  }
  const names = kinds.map((k) => `${q}.${tables[k].name}`)
  return {
    schema,
    statements,
    // count and sum come back from the driver as strings: cast to int4 and float8 here.
    window: `SELECT partner_id AS "partnerId",
  (count(*) FILTER (WHERE direction = 'given'))::integer AS given,
  (count(*) FILTER (WHERE direction = 'received'))::integer AS received,
  coalesce(sum(value) FILTER (WHERE direction = 'given' AND status = 'engaged'), 0)::double precision AS "givenValue",
  coalesce(sum(value) FILTER (WHERE direction = 'received' AND status = 'engaged'), 0)::double precision AS "receivedValue"
FROM ${q}.referrals
WHERE book = $1 AND date > $2 AND date <= $3
GROUP BY partner_id
ORDER BY partner_id COLLATE "C"`,
    isEmpty: `SELECT ${names.map((n) => `EXISTS (SELECT 1 FROM ${n} WHERE book = $1)`).join(" OR ")} AS found`,
    // The distinct books of every table, by skipping through the primary keys (one index
    // probe per book and table, not a scan of every row).
    books: `WITH RECURSIVE ${names
      .map(
        (n, i) =>
          `t${i}(b) AS (SELECT min(book) FROM ${n} UNION ALL SELECT (SELECT min(book) FROM ${n} WHERE book > b) FROM t${i} WHERE b IS NOT NULL)`
      )
      .join(",\n")}
${names.map((_, i) => `SELECT b AS book FROM t${i} WHERE b IS NOT NULL`).join("\nUNION\n")}`,
    lock: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
    // bigint comes back from the driver as a string: cast the sequences to float8 (exact below 2^53).
    changes: {
      advance: `INSERT INTO ${q}.books AS b (book, sequence) VALUES ($1, $2) ON CONFLICT (book) DO UPDATE SET sequence = b.sequence + excluded.sequence RETURNING sequence::double precision AS last`,
      insert: `INSERT INTO ${q}.changes (book, sequence, entity, id, op, revision)
SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[])
ON CONFLICT (book, entity, id) DO UPDATE SET sequence = excluded.sequence, op = excluded.op, revision = excluded.revision`,
      page: `SELECT sequence::double precision AS sequence, entity, id, op, revision::double precision AS revision FROM ${q}.changes WHERE book = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
      last: `SELECT sequence::double precision AS last FROM ${q}.books WHERE book = $1`
    },
    migrationsTable: `${q}.migrations`,
    migrations: migrations(q),
    migrationLock: `@partnerbook/store-postgres migrate ${schema}`
  }
}
