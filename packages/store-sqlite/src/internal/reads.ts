/*
 * The reads of the history rules pushed into SQL (`Store.Backend.digest` and `pending`), over
 * the virtual columns and indexes of migration 2. Every statement is a few index seeks per
 * partner or a range scan of the windows asked for: none reads the whole book, and none
 * grows with history older than the windows (beyond counting index entries).
 */
import type { Store } from "@partnerbook/core"

/** A statement and its bound parameters, in order. */
export interface Statement {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/**
 * One row per partner of the book: every fact of a digest that is one seek (or one count of
 * index entries) per partner. Columns `k<i>` and `l<i>` are the first and latest interaction of
 * `query.kinds[i]`.
 *
 * @internal
 */
export const digestFacts = (book: string, query: Store.DigestQuery): Statement => {
  const asOf = query.asOf.getTime()
  const params: Array<unknown> = []
  const p = (...values: ReadonlyArray<unknown>) => {
    params.push(...values)
    return ""
  }
  const r = "partnerbook_referrals"
  const i = "partnerbook_interactions"
  const own = (table: string) => `FROM ${table} WHERE book = p.book AND partner_id = p.id`
  // Parameters are pushed in the order their placeholders appear.
  const columns = [
    `${p(asOf)}(SELECT max(date) ${own(r)} AND date <= ?) AS lastReferral`,
    `${p(asOf)}(SELECT max(date) ${own(i)} AND date <= ?) AS lastInteraction`,
    `${p(asOf)}(SELECT min(date) ${own(r)} AND direction = 'given' AND date <= ?) AS firstGiven`,
    `${p(asOf)}(SELECT max(date) ${own(r)} AND direction = 'given' AND date <= ?) AS lastGiven`,
    `${p(asOf)}(SELECT max(date) ${own(r)} AND direction = 'received' AND date <= ?) AS lastReceived`,
    `${p(asOf, asOf)}(SELECT count(*) ${own(r)} AND status = 'engaged' AND direction = 'given' AND coalesce(status_changed_at, date) <= ? AND date <= ?) AS engagedGiven`,
    `${p(asOf, asOf)}(SELECT count(*) ${own(r)} AND status = 'engaged' AND direction = 'received' AND coalesce(status_changed_at, date) <= ? AND date <= ?) AS engagedReceived`,
    `${p(asOf)}(SELECT count(*) ${own(i)} AND positive = 1 AND date <= ?) AS positives`,
    `${p(asOf, query.positiveRank - 1)}(SELECT date ${own(i)} AND positive = 1 AND date <= ? ORDER BY date LIMIT 1 OFFSET ?) AS positiveAt`,
    `${p(asOf)}(SELECT min(date) ${own(i)} AND kind = 'ideal-client-shared' AND date <= ?) AS shared`
  ]
  query.kinds.forEach((kind, k) => {
    columns.push(`${p(kind, asOf)}(SELECT min(date) ${own(i)} AND kind = ? AND date <= ?) AS k${k}`)
    columns.push(`${p(kind, asOf)}(SELECT max(date) ${own(i)} AND kind = ? AND date <= ?) AS l${k}`)
  })
  const inner = `SELECT p.id AS partnerId,\n    ${columns.join(",\n    ")}\n  FROM partnerbook_partners p WHERE p.book = ?`
  params.push(book)
  // The trailing windows end at the partner's own latest touch and latest referral. Every
  // referral dated at or before asOf is at or before both, so `date <= lastReferral` bounds
  // the range (and a partner without referrals counts 0). Index partnerbook_referrals_by_direction.
  const outer: Array<unknown> = [book, asOf, book, asOf]
  const trailing: Array<string> = []
  const lastTouch = "max(x.lastReferral, coalesce(x.lastInteraction, x.lastReferral))"
  for (const [name, end] of [
    ["Touch", lastTouch],
    ["Referral", "x.lastReferral"]
  ] as const) {
    for (const direction of ["given", "received"] as const) {
      const column = `upToLast${name}${direction === "given" ? "Given" : "Received"}`
      if (query.trailingDays === undefined) {
        trailing.push(`0 AS ${column}`)
      } else {
        outer.push(book, query.trailingDays * 86_400_000)
        trailing.push(
          `(SELECT count(*) FROM ${r} WHERE book = ? AND partner_id = x.partnerId AND direction = '${direction}' AND date > ${end} - ? AND date <= x.lastReferral) AS ${column}`
        )
      }
    }
  }
  const sql = `SELECT x.*,
  CASE WHEN x.shared IS NULL THEN 0 ELSE
    (SELECT count(*) FROM ${r} WHERE book = ? AND partner_id = x.partnerId AND date > x.shared AND date <= ?) +
    (SELECT count(*) FROM ${i} WHERE book = ? AND partner_id = x.partnerId AND date > x.shared AND date <= ?)
  END AS touchesSinceShared,
  ${trailing.join(",\n  ")}
FROM (${inner}) x`
  // The outer placeholders come first in the text.
  return { sql, params: [...outer, ...params] }
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
 * Referrals each way per partner in every window, in one range scan of the covering index
 * `partnerbook_referrals_window` over the span of the windows. Columns `g<w>` and `r<w>`.
 *
 * @internal
 */
export const referralWindows = (book: string, windows: ReadonlyArray<Store.Window>): Statement => {
  const params: Array<unknown> = []
  const columns = windows.map((w, k) => {
    params.push(w.after.getTime(), w.until.getTime(), w.after.getTime(), w.until.getTime())
    return `sum(direction = 'given' AND date > ? AND date <= ?) AS g${k}, sum(direction = 'received' AND date > ? AND date <= ?) AS r${k}`
  })
  const [after, until] = span(windows)
  return {
    sql: `SELECT partner_id AS partnerId, ${columns.join(", ")} FROM partnerbook_referrals WHERE book = ? AND date > ? AND date <= ? GROUP BY partner_id`,
    params: [...params, book, after, until]
  }
}

/**
 * Interactions per partner in every window, in one range scan of the covering index
 * `partnerbook_interactions_window`. Columns `n<w>`.
 *
 * @internal
 */
export const interactionWindows = (book: string, windows: ReadonlyArray<Store.Window>): Statement => {
  const params: Array<unknown> = []
  const columns = windows.map((w, k) => {
    params.push(w.after.getTime(), w.until.getTime())
    return `sum(date > ? AND date <= ?) AS n${k}`
  })
  const [after, until] = span(windows)
  return {
    sql: `SELECT partner_id AS partnerId, ${columns.join(", ")} FROM partnerbook_interactions WHERE book = ? AND date > ? AND date <= ? GROUP BY partner_id`,
    params: [...params, book, after, until]
  }
}

/**
 * The touches of the given partners after their own instant and up to `asOf` (the follow-up
 * gaps): per partner one range of `(book, partner_id, date)` in each table. `since` is a JSON
 * array of `[partnerId, since]` pairs.
 *
 * @internal
 */
export const followUpTouches = (book: string, since: string, asOf: number): Statement => ({
  sql: `WITH s(pid, since) AS MATERIALIZED (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
SELECT s.pid AS partnerId, r.date AS date FROM s JOIN partnerbook_referrals r
  ON r.book = ? AND r.partner_id = s.pid AND r.date > s.since AND r.date <= ?
UNION ALL
SELECT s.pid AS partnerId, i.date AS date FROM s JOIN partnerbook_interactions i
  ON i.book = ? AND i.partner_id = s.pid AND i.date > s.since AND i.date <= ?`,
  params: [since, book, asOf, book, asOf]
})

/**
 * The pending received referrals as of `asOf` (see `Store.isPending`): not settled at all, or
 * settled after `asOf`; two ranges of the index `partnerbook_referrals_pending`.
 *
 * @internal
 */
export const pendingSql = `SELECT id, data FROM partnerbook_referrals
  WHERE book = ? AND direction = 'received' AND settled_at IS NULL AND date <= ?
UNION ALL
SELECT id, data FROM partnerbook_referrals
  WHERE book = ? AND direction = 'received' AND settled_at > ? AND date <= ?`

/**
 * Per partner of the book, the received referrals dated in the `days` up to and including
 * their latest received one as of `asOf` (see `Store.recentReceived`): one seek of the index
 * `partnerbook_referrals_by_direction` per partner for the latest, then one range of it.
 * Parameters: asOf, book, book, the window in milliseconds.
 *
 * @internal
 */
export const recentReceivedSql = `WITH latest(pid, t) AS MATERIALIZED (
  SELECT p.id, (SELECT max(date) FROM partnerbook_referrals
    WHERE book = p.book AND partner_id = p.id AND direction = 'received' AND date <= ?)
  FROM partnerbook_partners p WHERE p.book = ?)
SELECT r.id AS id, r.data AS data FROM latest JOIN partnerbook_referrals r
  ON r.book = ? AND r.partner_id = latest.pid AND r.direction = 'received' AND r.date > latest.t - ? AND r.date <= latest.t`

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
    const latest: { [K in (typeof query.kinds)[number]]?: Date } = {}
    query.kinds.forEach((kind, k) => {
      const t = f[`k${k}`]
      if (t !== null && t !== undefined) first[kind] = new Date(t)
      const l = f[`l${k}`]
      if (l !== null && l !== undefined) latest[kind] = new Date(l)
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
      last: latest,
      shared: date(f.shared),
      touchesSinceShared: f.touchesSinceShared,
      longestGap,
      windows
    }
  })
  return out.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0))
}
