/**
 * Builds books straight in the server (`INSERT ... SELECT ... FROM generate_series`), outside
 * the timed part of the benchmark: the rows the store itself writes (every column, the record
 * as the same JSON text, the change feed and the per-book counter), into a schema the store
 * made (its migrations, so its indexes). Deterministic: row `g` of a table draws its fields from
 * `hashint8extended(g, k)`, so every run builds the same database.
 *
 * A book `book-NNNNN` has `partners` partners `p-NNN` (60% active), a profile, `referrals`
 * referrals `r-NNNNNN` over the two years before `asOf` (half given, half received; those older
 * than 60 days mostly decided, and most received ones thanked and their loop closed, as a
 * user who keeps up with the agenda would leave them; 5% of the engaged ones with a fee) and
 * `interactions` interactions `i-NNNNNN` of every kind (a third positive).
 */
import type pg from "pg"

const DAY = 86_400_000

export interface Shape {
  /** The first book's number and how many books. */
  readonly first: number
  readonly books: number
  readonly partners: number
  readonly referrals: number
  readonly interactions: number
  /** Book ids are `${prefix}${number padded to 5}`. */
  readonly prefix: string
}

/** The epoch milliseconds `ms` (whole seconds) as `Date.prototype.toJSON` writes them. */
const iso = (ms: string) =>
  `to_char(to_timestamp((${ms}) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`

/** A deterministic draw in [0, n) for row `g`, stream `k`. */
const draw = (g: string, k: number, n: number | string) =>
  `((hashint8extended(${g}, ${k}) & 2147483647) % ${n})`

const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`

/**
 * The statements that build the books of `shape` in `schema` (run them in one transaction).
 *
 * @param asOf epoch milliseconds, a whole second: the newest date written
 */
export const statements = (schema: string, shape: Shape, asOf: number): ReadonlyArray<string> => {
  const q = `"${schema}"`
  const book = (n: string) => `'${shape.prefix}' || ${pad(n, 5)}`
  const books = `generate_series(${shape.first}, ${shape.first + shape.books - 1})`
  const rows = (per: number) =>
    `SELECT b, i, (b::bigint * ${per} + i) AS g FROM ${books} b, generate_series(0, ${per - 1}) i`
  const stages = `(ARRAY['active','active','active','active','active','active','met-one-on-one','gave-first','ideal-clients-shared','dormant'])`
  const kinds = `(ARRAY['one-on-one','check-in','event','thank-you','shared-content','outreach','ideal-client-shared','note','honest-conversation','check-in'])`
  const span = 730 * DAY
  return [
    `INSERT INTO ${q}.profiles (book, revision, data)
SELECT ${book("b")}, 1, '{"book":"' || ${book("b")} || '","name":"Owner ' || b || '","profession":"financial-planner","revision":1}'
FROM ${books} b`,
    `INSERT INTO ${q}.partners (book, id, date, revision, data, external_id)
SELECT bk, id, created, 1,
  '{"id":"' || id || '","book":"' || bk || '","name":"Partner ' || i || '","profession":"' || profession ||
  '","kind":"' || kind || '","stage":"' || stage || '","alignment":' || alignment ||
  ',"tags":["network"],"notes":"Met at the chamber breakfast.","createdAt":"' || ${iso("created")} || '","revision":1}',
  NULL
FROM (
  SELECT ${book("b")} AS bk, 'p-' || ${pad("i", 3)} AS id, i,
    (ARRAY['cpa','estate-planning-attorney','insurance-agent','mortgage-broker','realtor'])[1 + ${draw("g", 1, 5)}] AS profession,
    CASE WHEN ${draw("g", 2, 5)} = 0 THEN 'peer' ELSE 'complementary' END AS kind,
    ${stages}[1 + ${draw("g", 3, 10)}] AS stage,
    (${draw("g", 4, 11)} / 10.0)::double precision::text AS alignment,
    ${asOf - 3 * 365 * DAY}::bigint + ${draw("g", 5, 365)} * ${DAY}::bigint AS created
  FROM (${rows(shape.partners)}) s
) x`,
    `INSERT INTO ${q}.referrals (book, id, partner_id, date, direction, status, value, revision, data, external_id, status_changed_at, thanked_at, loop_closed_at)
SELECT bk, id, partner_id, date, direction, status, value, 1,
  '{"id":"' || id || '","book":"' || bk || '","partnerId":"' || partner_id || '","direction":"' || direction ||
  '","client":"Client ' || i || '","date":"' || ${iso("date")} || '","status":"' || status || '"' ||
  coalesce(',"statusChangedAt":"' || ${iso("changed")} || '"', '') ||
  coalesce(',"value":' || value::bigint, '') ||
  coalesce(',"thankedAt":"' || ${iso("thanked")} || '"', '') ||
  coalesce(',"loopClosedAt":"' || ${iso("closed")} || '"', '') ||
  coalesce(',"fee":' || fee, '') || ',"revision":1}',
  NULL, changed, thanked, closed
FROM (
  SELECT *,
    CASE WHEN status = 'introduced' THEN NULL ELSE least(${asOf}::bigint, date + (1 + ${draw("g", 5, 20)}) * ${DAY}::bigint) END AS changed,
    CASE WHEN status = 'engaged' THEN (1000 + ${draw("g", 6, 49000)})::double precision END AS value,
    CASE WHEN direction = 'received' AND ${asOf}::bigint - date > 14 * ${DAY}::bigint AND ${draw("g", 7, 10)} < 9
      THEN date + 2 * ${DAY}::bigint END AS thanked,
    CASE WHEN direction = 'received' AND status IN ('engaged', 'not-engaged') AND ${draw("g", 8, 10)} < 9
      THEN least(${asOf}::bigint, date + (22 + ${draw("g", 9, 10)}) * ${DAY}::bigint) END AS closed,
    CASE WHEN status = 'engaged' AND ${draw("g", 10, 20)} = 0 THEN 250 + ${draw("g", 11, 750)} END AS fee
  FROM (
    SELECT ${book("b")} AS bk, 'r-' || ${pad("i", 6)} AS id, i, g,
      'p-' || ${pad(draw("g", 1, shape.partners), 3)} AS partner_id,
      date,
      CASE WHEN ${draw("g", 2, 2)} = 0 THEN 'given' ELSE 'received' END AS direction,
      CASE WHEN ${asOf}::bigint - date > 60 * ${DAY}::bigint
        THEN (ARRAY['engaged','engaged','engaged','engaged','engaged','not-engaged','not-engaged','not-engaged','contacted','introduced'])[1 + ${draw("g", 4, 10)}]
        ELSE (ARRAY['introduced','contacted','engaged','not-engaged'])[1 + ${draw("g", 4, 4)}] END AS status
    FROM (SELECT b, i, g, ${asOf}::bigint - ${draw("g", 3, span / 1000)} * 1000 AS date FROM (${rows(shape.referrals)}) s0) s
  ) r
) x`,
    `INSERT INTO ${q}.interactions (book, id, partner_id, date, revision, data, external_id, kind, positive)
SELECT bk, id, partner_id, date, 1,
  '{"id":"' || id || '","book":"' || bk || '","partnerId":"' || partner_id || '","kind":"' || kind ||
  '","date":"' || ${iso("date")} || '"' || CASE WHEN positive THEN ',"positive":true' ELSE '' END || ',"revision":1}',
  NULL, kind, positive
FROM (
  SELECT ${book("b")} AS bk, 'i-' || ${pad("i", 6)} AS id,
    'p-' || ${pad(draw("g", 1, shape.partners), 3)} AS partner_id,
    ${asOf}::bigint - ${draw("g", 2, span / 1000)} * 1000 AS date,
    ${kinds}[1 + ${draw("g", 3, 10)}] AS kind,
    ${draw("g", 4, 3)} = 0 AS positive
  FROM (${rows(shape.interactions)}) s
) x`,
    // The change feed as an import leaves it: one `put` per record, profile first, then by id.
    `INSERT INTO ${q}.changes (book, sequence, entity, id, op, revision)
SELECT book, row_number() OVER (PARTITION BY book ORDER BY k, id COLLATE "C"), entity, id, 'put', 1 FROM (
  SELECT book, 0 AS k, 'profile' AS entity, book AS id FROM ${q}.profiles WHERE book >= $1 AND book <= $2
  UNION ALL SELECT book, 1, 'partner', id FROM ${q}.partners WHERE book >= $1 AND book <= $2
  UNION ALL SELECT book, 2, 'referral', id FROM ${q}.referrals WHERE book >= $1 AND book <= $2
  UNION ALL SELECT book, 3, 'interaction', id FROM ${q}.interactions WHERE book >= $1 AND book <= $2
) x`,
    `INSERT INTO ${q}.books (book, sequence)
SELECT ${book("b")}, 1 + ${shape.partners + shape.referrals + shape.interactions} FROM ${books} b`
  ]
}

/** The book id of number `n`. */
export const bookId = (prefix: string, n: number) => `${prefix}${String(n).padStart(5, "0")}`

/**
 * Builds the books of `shape` in batches of `batch` books, one transaction each; returns the
 * time it took in milliseconds.
 */
export const fill = async (
  client: pg.Client,
  schema: string,
  shape: Shape,
  asOf: number,
  options: { readonly batch?: number; readonly log?: (line: string) => void } = {}
): Promise<number> => {
  const started = Date.now()
  const batch = options.batch ?? Math.max(1, Math.floor(200_000 / shape.referrals))
  for (let first = shape.first; first < shape.first + shape.books; first += batch) {
    const books = Math.min(batch, shape.first + shape.books - first)
    const part: Shape = { ...shape, first, books }
    const [lo, hi] = [bookId(shape.prefix, first), bookId(shape.prefix, first + books - 1)]
    await client.query("BEGIN")
    for (const sql of statements(schema, part, asOf)) {
      await client.query(sql, sql.includes("$1") ? [lo, hi] : [])
    }
    await client.query("COMMIT")
    const done = first + books - shape.first
    if (options.log !== undefined && (done === shape.books || Math.floor(done / batch) % 10 === 0)) {
      options.log(
        `  ${done.toLocaleString("en-US")} of ${shape.books.toLocaleString("en-US")} books (${((Date.now() - started) / 1000).toFixed(0)} s)`
      )
    }
  }
  return Date.now() - started
}
