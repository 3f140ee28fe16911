/*
 * The reads of the history rules pushed into SQL (`Store.Backend.digest`, `pending`,
 * `received`), over the columns and indexes of migration 2. Every statement is a few
 * index probes per partner or a range scan of the windows asked for: none reads the whole
 * book's records. Counts and bigint columns come back from the driver as strings, so every
 * output column is cast to integer or double precision (exact for epoch milliseconds).
 */
import type { Store } from "@partnerbook/core"

/** A statement and its bound parameters (`$n` is `params[n - 1]`). */
export interface Statement {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/** Numbered placeholders: `p(value)` binds the value and returns its `$n`. */
const binder = () => {
  const params: Array<unknown> = []
  const p = (value: unknown): string => {
    params.push(value)
    return `$${params.length}`
  }
  return { params, p }
}

/**
 * Why the query is out of range (the same checks and messages as `Store.digest`), or
 * `undefined`.
 *
 * @internal
 */
export const checkDigestQuery = (query: Store.DigestQuery): RangeError | undefined => {
  if (!Number.isSafeInteger(query.positiveRank) || query.positiveRank < 1) {
    return new RangeError(`positiveRank must be an integer >= 1, got ${query.positiveRank}`)
  }
  const days = query.trailingDays
  if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
    return new RangeError(`trailingDays must be a finite number > 0, got ${days}`)
  }
  return undefined
}

/**
 * One row per partner of the book: every fact of a digest that is one probe (or one count of
 * index entries) per partner. Column `k<i>` is the first interaction of `query.kinds[i]`.
 *
 * @internal
 */
export const digestFacts = (schema: string, book: string, query: Store.DigestQuery): Statement => {
  const { p, params } = binder()
  const r = `"${schema}".referrals`
  const i = `"${schema}".interactions`
  const asOf = p(query.asOf.getTime())
  const b = p(book)
  const own = (table: string) => `FROM ${table} WHERE book = p.book AND partner_id = p.id`
  const dates: Array<readonly [string, string]> = [
    ["lastReferral", `(SELECT max(date) ${own(r)} AND date <= ${asOf})`],
    ["lastInteraction", `(SELECT max(date) ${own(i)} AND date <= ${asOf})`],
    ["firstGiven", `(SELECT min(date) ${own(r)} AND direction = 'given' AND date <= ${asOf})`],
    ["lastGiven", `(SELECT max(date) ${own(r)} AND direction = 'given' AND date <= ${asOf})`],
    ["lastReceived", `(SELECT max(date) ${own(r)} AND direction = 'received' AND date <= ${asOf})`],
    [
      "positiveAt",
      `(SELECT date ${own(i)} AND positive AND date <= ${asOf} ORDER BY date LIMIT 1 OFFSET ${p(query.positiveRank - 1)})`
    ],
    ["shared", `(SELECT min(date) ${own(i)} AND kind = 'ideal-client-shared' AND date <= ${asOf})`]
  ]
  query.kinds.forEach((kind, k) => {
    const kindParam = p(kind)
    dates.push([`k${k}`, `(SELECT min(date) ${own(i)} AND kind = ${kindParam} AND date <= ${asOf})`])
    dates.push([`l${k}`, `(SELECT max(date) ${own(i)} AND kind = ${kindParam} AND date <= ${asOf})`])
  })
  const counts: Array<readonly [string, string]> = [
    [
      "engagedGiven",
      `(SELECT count(*) ${own(r)} AND status = 'engaged' AND direction = 'given' AND coalesce(status_changed_at, date) <= ${asOf} AND date <= ${asOf})`
    ],
    [
      "engagedReceived",
      `(SELECT count(*) ${own(r)} AND status = 'engaged' AND direction = 'received' AND coalesce(status_changed_at, date) <= ${asOf} AND date <= ${asOf})`
    ],
    ["positives", `(SELECT count(*) ${own(i)} AND positive AND date <= ${asOf})`]
  ]
  const inner = `SELECT p.id AS "partnerId",\n    ${[...dates, ...counts]
    .map(([name, expr]) => `${expr} AS "${name}"`)
    .join(",\n    ")}\n  FROM "${schema}".partners p WHERE p.book = ${b}`
  // The trailing windows end at the partner's own latest touch and latest referral. Every
  // referral dated at or before asOf is at or before both, so `date <= lastReferral` bounds
  // the range (and a partner without referrals counts 0).
  const trailing: Array<string> = []
  const lastTouch = `greatest(x."lastReferral", x."lastInteraction")`
  const span = query.trailingDays === undefined ? undefined : p(query.trailingDays * 86_400_000)
  for (const [name, end] of [
    ["Touch", lastTouch],
    ["Referral", `x."lastReferral"`]
  ] as const) {
    for (const direction of ["given", "received"] as const) {
      const column = `upToLast${name}${direction === "given" ? "Given" : "Received"}`
      trailing.push(
        span === undefined
          ? `0 AS "${column}"`
          : `(SELECT count(*) FROM ${r} WHERE book = ${b} AND partner_id = x."partnerId" AND direction = '${direction}' AND date > ${end} - ${span}::double precision AND date <= x."lastReferral")::integer AS "${column}"`
      )
    }
  }
  const sql = `SELECT x."partnerId",
  ${dates.map(([name]) => `x."${name}"::double precision AS "${name}"`).join(",\n  ")},
  ${counts.map(([name]) => `x."${name}"::integer AS "${name}"`).join(",\n  ")},
  CASE WHEN x.shared IS NULL THEN 0 ELSE (
    (SELECT count(*) FROM ${r} WHERE book = ${b} AND partner_id = x."partnerId" AND date > x.shared AND date <= ${asOf}) +
    (SELECT count(*) FROM ${i} WHERE book = ${b} AND partner_id = x."partnerId" AND date > x.shared AND date <= ${asOf})
  )::integer END AS "touchesSinceShared",
  ${trailing.join(",\n  ")}
FROM (${inner}) x`
  return { sql, params }
}

/** The row of {@link digestFacts}. */
export interface FactsRow {
  readonly partnerId: string
  readonly lastReferral: number | null
  readonly lastInteraction: number | null
  readonly firstGiven: number | null
  readonly lastGiven: number | null
  readonly lastReceived: number | null
  readonly upToLastTouchGiven: number
  readonly upToLastTouchReceived: number
  readonly upToLastReferralGiven: number
  readonly upToLastReferralReceived: number
  readonly engagedGiven: number
  readonly engagedReceived: number
  readonly positives: number
  readonly positiveAt: number | null
  readonly shared: number | null
  readonly touchesSinceShared: number
  readonly [k: `k${number}` | `l${number}`]: number | null
}

const span = (windows: ReadonlyArray<Store.Window>): readonly [number, number] => [
  Math.min(...windows.map((w) => w.after.getTime())),
  Math.max(...windows.map((w) => w.until.getTime()))
]

/**
 * Referrals each way per partner in every window, in one range scan of `(book, date)` over
 * the span of the windows. Columns `g<w>` and `r<w>`.
 *
 * @internal
 */
export const referralWindows = (
  schema: string,
  book: string,
  windows: ReadonlyArray<Store.Window>
): Statement => {
  const { p, params } = binder()
  const columns = windows.map((w, k) => {
    const after = p(w.after.getTime())
    const until = p(w.until.getTime())
    return `(count(*) FILTER (WHERE direction = 'given' AND date > ${after} AND date <= ${until}))::integer AS g${k}, (count(*) FILTER (WHERE direction = 'received' AND date > ${after} AND date <= ${until}))::integer AS r${k}`
  })
  const [after, until] = span(windows)
  return {
    sql: `SELECT partner_id AS "partnerId", ${columns.join(", ")} FROM "${schema}".referrals WHERE book = ${p(book)} AND date > ${p(after)} AND date <= ${p(until)} GROUP BY partner_id`,
    params
  }
}

/**
 * Interactions per partner in every window, in one range scan of `(book, date)`. Columns `n<w>`.
 *
 * @internal
 */
export const interactionWindows = (
  schema: string,
  book: string,
  windows: ReadonlyArray<Store.Window>
): Statement => {
  const { p, params } = binder()
  const columns = windows.map(
    (w, k) =>
      `(count(*) FILTER (WHERE date > ${p(w.after.getTime())} AND date <= ${p(w.until.getTime())}))::integer AS n${k}`
  )
  const [after, until] = span(windows)
  return {
    sql: `SELECT partner_id AS "partnerId", ${columns.join(", ")} FROM "${schema}".interactions WHERE book = ${p(book)} AND date > ${p(after)} AND date <= ${p(until)} GROUP BY partner_id`,
    params
  }
}

/**
 * The touches of the given partners after their own instant and up to `asOf` (the follow-up
 * gaps): per partner one range of `(book, partner_id, date)` in each table.
 *
 * @internal
 */
export const followUpTouches = (
  schema: string,
  book: string,
  since: ReadonlyMap<string, number>,
  asOf: number
): Statement => ({
  sql: `WITH s(pid, since) AS MATERIALIZED (SELECT * FROM unnest($1::text[], $2::bigint[]))
SELECT s.pid AS "partnerId", r.date::double precision AS date FROM s JOIN "${schema}".referrals r
  ON r.book = $3 AND r.partner_id = s.pid AND r.date > s.since AND r.date <= $4
UNION ALL
SELECT s.pid AS "partnerId", i.date::double precision AS date FROM s JOIN "${schema}".interactions i
  ON i.book = $3 AND i.partner_id = s.pid AND i.date > s.since AND i.date <= $4`,
  params: [[...since.keys()], [...since.values()], book, asOf]
})

/**
 * The pending received referrals as of `$2` (see `Store.isPending`): not settled at all, or
 * settled after `$2`; two ranges of the index `referrals_pending`. `$1` book.
 *
 * @internal
 */
export const pendingSql = (schema: string): string => `SELECT id, data FROM "${schema}".referrals
  WHERE book = $1 AND direction = 'received' AND settled_at IS NULL AND date <= $2
UNION ALL
SELECT id, data FROM "${schema}".referrals
  WHERE book = $1 AND direction = 'received' AND settled_at > $2 AND date <= $2`

/**
 * Per partner of the book, the received referrals dated in the `days` up to and including
 * their latest received one as of `asOf` (see `Store.received`): one probe of the index
 * `referrals_by_direction` per partner for the latest, then one range of it.
 * Parameters: `$1` book, `$2` asOf, `$3` the window in milliseconds.
 *
 * @internal
 */
export const receivedSql = (schema: string): string => `WITH latest(pid, t) AS MATERIALIZED (
  SELECT p.id, (SELECT max(date) FROM "${schema}".referrals
    WHERE book = p.book AND partner_id = p.id AND direction = 'received' AND date <= $2)
  FROM "${schema}".partners p WHERE p.book = $1)
SELECT r.id AS id, r.data AS data FROM latest JOIN "${schema}".referrals r
  ON r.book = $1 AND r.partner_id = latest.pid AND r.direction = 'received'
  AND r.date > latest.t - $3::double precision AND r.date <= latest.t`
/**
 * Puts the digest together from the rows of the statements above (the windows and touches
 * are merged in here, where the partner set is known).
 *
 * @internal
 */
export const assemble = (
  query: Store.DigestQuery,
  facts: ReadonlyArray<FactsRow>,
  referralRows: ReadonlyArray<Record<string, number | string | null>>,
  interactionRows: ReadonlyArray<Record<string, number | string | null>>,
  touches: ReadonlyMap<string, Array<number>>,
  since: ReadonlyMap<string, number>
): ReadonlyArray<Store.Digest> => {
  const asOf = query.asOf.getTime()
  const n = query.windows.length
  const referralsBy = new Map(referralRows.map((row) => [row.partnerId as string, row]))
  const interactionsBy = new Map(interactionRows.map((row) => [row.partnerId as string, row]))
  const date = (t: number | null | undefined): Date | null =>
    t === null || t === undefined ? null : new Date(t)
  const out = facts.map((f): Store.Digest => {
    const rs = referralsBy.get(f.partnerId)
    const xs = interactionsBy.get(f.partnerId)
    const windows: Array<Store.WindowCounts> = []
    for (let w = 0; w < n; w++) {
      windows.push({
        given: Number(rs?.[`g${w}`] ?? 0),
        received: Number(rs?.[`r${w}`] ?? 0),
        interactions: Number(xs?.[`n${w}`] ?? 0)
      })
    }
    const first: { [K in (typeof query.kinds)[number]]?: Date } = {}
    const lastOfKind: { [K in (typeof query.kinds)[number]]?: Date } = {}
    query.kinds.forEach((kind, k) => {
      const t = f[`k${k}`]
      if (t !== null && t !== undefined) first[kind] = new Date(t)
      const l = f[`l${k}`]
      if (l !== null && l !== undefined) lastOfKind[kind] = new Date(l)
    })
    let longestGap: number | null = null
    const from = since.get(f.partnerId)
    if (f.shared !== null && from !== undefined) {
      const ts = (touches.get(f.partnerId) ?? []).sort((a, b) => a - b)
      let previous = from
      longestGap = 0
      for (const t of [...ts, asOf]) {
        longestGap = Math.max(longestGap, t - previous)
        previous = t
      }
    }
    const last =
      f.lastReferral === null
        ? f.lastInteraction
        : f.lastInteraction === null
          ? f.lastReferral
          : Math.max(f.lastReferral, f.lastInteraction)
    return {
      partnerId: f.partnerId as Store.Digest["partnerId"],
      lastTouch: date(last),
      firstGiven: date(f.firstGiven),
      lastGiven: date(f.lastGiven),
      lastReferral: date(f.lastReferral),
      lastReceived: date(f.lastReceived),
      upToLastTouch: { given: f.upToLastTouchGiven, received: f.upToLastTouchReceived },
      upToLastReferral: { given: f.upToLastReferralGiven, received: f.upToLastReferralReceived },
      engagedGiven: f.engagedGiven,
      engagedReceived: f.engagedReceived,
      positives: f.positives,
      positiveAt: date(f.positiveAt),
      first,
      last: lastOfKind,
      shared: date(f.shared),
      // Without followUpFrom the follow-up facts are not asked for (as in Store.digest).
      touchesSinceShared: query.followUpFrom === undefined ? 0 : f.touchesSinceShared,
      longestGap,
      windows
    }
  })
  return out.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0))
}
