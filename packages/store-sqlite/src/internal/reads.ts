/*
 * The reads of the history rules pushed into SQL (`Store.Backend.digest`, `pending` and
 * `received`), over the indexes of migrations 2 and 3. Every statement is a few index seeks per
 * partner or a range scan of the windows asked for: none reads the whole book, and none
 * grows with history older than the windows (beyond counting index entries).
 */
import type { Store } from "@partnerbook/core"

/** A statement and its bound parameters, in order. */
export interface Statement {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

// The fields of `data` the reads look at, as SQL expressions. The indexes below are on these
// very expressions and the queries repeat them word for word: SQLite then reads their values
// from the index (a covering index) instead of parsing the JSON of each row.

/** A date field of `data` (an ISO-8601 string) as epoch milliseconds, or NULL. */
const epochMs = (field: string): string =>
  `CASE WHEN json_valid(data) AND json_type(data, '$.${field}') = 'text' THEN CAST(round((julianday(json_extract(data, '$.${field}')) - 2440587.5) * 86400000.0) AS INTEGER) END`

/** An interaction's kind. */
export const KIND = `CASE WHEN json_valid(data) AND json_type(data, '$.kind') = 'text' THEN json_extract(data, '$.kind') END`
/** 1 for an interaction marked `positive: true`, else 0. */
export const POSITIVE = `CASE WHEN json_valid(data) AND json_type(data, '$.positive') = 'true' THEN 1 ELSE 0 END`
/** A referral's `statusChangedAt`, `thankedAt` and `loopClosedAt`, as epoch milliseconds or NULL. */
export const STATUS_CHANGED = epochMs("statusChangedAt")
export const THANKED = epochMs("thankedAt")
export const LOOP_CLOSED = epochMs("loopClosedAt")
/** When a referral's status last changed, else its date: the date of an outcome. */
export const OUTCOME = `coalesce(${STATUS_CHANGED}, date)`
/**
 * When a received referral asked for nothing more: thanked, decided and its loop closed (the
 * latest of the three); NULL while any is missing. Pending as of t: NULL, or later than t.
 */
export const SETTLED = `CASE WHEN status IN ('engaged', 'not-engaged') AND ${epochMs("thankedAt")} IS NOT NULL AND ${epochMs("loopClosedAt")} IS NOT NULL THEN max(${epochMs("thankedAt")}, ${epochMs("loopClosedAt")}, ${OUTCOME}) END`

/**
 * The indexes of migration 2.
 *
 * @internal
 */
export const indexes: ReadonlyArray<string> = [
  "CREATE INDEX partnerbook_referrals_by_direction ON partnerbook_referrals (book, partner_id, direction, date)",
  `CREATE INDEX partnerbook_referrals_engaged ON partnerbook_referrals (book, partner_id, direction, status, date, ${OUTCOME})`,
  `CREATE INDEX partnerbook_referrals_pending ON partnerbook_referrals (book, direction, (${SETTLED}), date)`,
  `CREATE INDEX partnerbook_interactions_by_kind ON partnerbook_interactions (book, partner_id, (${KIND}), date)`,
  `CREATE INDEX partnerbook_interactions_positive ON partnerbook_interactions (book, partner_id, (${POSITIVE}), date)`,
  // Covers the received referrals of a window (health's follow-through): no row is read.
  // Replaced in migration 3, when the window became each partner's own.
  `CREATE INDEX partnerbook_referrals_received ON partnerbook_referrals (book, direction, date, partner_id, id, status, (${STATUS_CHANGED}), (${THANKED}), (${LOOP_CLOSED}))`
]

/**
 * The statements of migration 3: health's follow-through reads, per partner, the received
 * referrals of the window up to that partner's latest received one (issue 14), so the
 * covering index of received referrals leads with the partner instead of the date.
 *
 * @internal
 */
export const migration3: ReadonlyArray<string> = [
  "DROP INDEX IF EXISTS partnerbook_referrals_received",
  `CREATE INDEX partnerbook_referrals_received_by_partner ON partnerbook_referrals (book, partner_id, direction, date, id, status, (${STATUS_CHANGED}), (${THANKED}), (${LOOP_CLOSED}))`
]

/**
 * Per partner of the book, the received referrals dated in the `days` up to and including
 * their latest received one as of `asOf`, only the fields follow-through judges (see
 * `Store.received`): one seek per partner for the latest, then one range of the covering
 * index \`partnerbook_referrals_received_by_partner\` (no row is read). Parameters: asOf,
 * book, book, the window in milliseconds.
 *
 * @internal
 */
export const receivedSql = `WITH latest(pid, t) AS MATERIALIZED (
  SELECT p.id, (SELECT max(date) FROM partnerbook_referrals
    WHERE book = p.book AND partner_id = p.id AND direction = 'received' AND date <= ?)
  FROM partnerbook_partners p WHERE p.book = ?)
SELECT id, partner_id AS partnerId, date, status,
  (${STATUS_CHANGED}) AS statusChangedAt, (${THANKED}) AS thankedAt, (${LOOP_CLOSED}) AS loopClosedAt
FROM latest CROSS JOIN partnerbook_referrals
  ON book = ? AND partner_id = latest.pid AND direction = 'received' AND date > latest.t - ? AND date <= latest.t`

/**
 * One row per partner of the book, with every fact of its digest: each one seek, or one range
 * of a covering index, per partner. Columns `k<i>` and `l<i>` are the first and latest
 * interaction of `query.kinds[i]`; `g<w>`, `r<w>` and `n<w>` the referrals given, received and
 * interactions of window `w`.
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
    `${p(asOf, asOf)}(SELECT count(*) ${own(r)} AND direction = 'given' AND status = 'engaged' AND date <= ? AND ${OUTCOME} <= ?) AS engagedGiven`,
    `${p(asOf, asOf)}(SELECT count(*) ${own(r)} AND direction = 'received' AND status = 'engaged' AND date <= ? AND ${OUTCOME} <= ?) AS engagedReceived`,
    `${p(asOf)}(SELECT count(*) ${own(i)} AND (${POSITIVE}) = 1 AND date <= ?) AS positives`,
    `${p(asOf, query.positiveRank - 1)}(SELECT date ${own(i)} AND (${POSITIVE}) = 1 AND date <= ? ORDER BY date LIMIT 1 OFFSET ?) AS positiveAt`,
    `${p(asOf)}(SELECT min(date) ${own(i)} AND (${KIND}) = 'ideal-client-shared' AND date <= ?) AS shared`
  ]
  query.kinds.forEach((kind, k) => {
    columns.push(`${p(kind, asOf)}(SELECT min(date) ${own(i)} AND (${KIND}) = ? AND date <= ?) AS k${k}`)
    columns.push(`${p(kind, asOf)}(SELECT max(date) ${own(i)} AND (${KIND}) = ? AND date <= ?) AS l${k}`)
  })
  query.windows.forEach((w, k) => {
    const after = w.after.getTime()
    const until = w.until.getTime()
    columns.push(
      `${p(after, until)}(SELECT count(*) ${own(r)} AND direction = 'given' AND date > ? AND date <= ?) AS g${k}`,
      `${p(after, until)}(SELECT count(*) ${own(r)} AND direction = 'received' AND date > ? AND date <= ?) AS r${k}`,
      `${p(after, until)}(SELECT count(*) ${own(i)} AND date > ? AND date <= ?) AS n${k}`
    )
  })
  const inner = `SELECT p.id AS partnerId,\n    ${columns.join(",\n    ")}\n  FROM partnerbook_partners p WHERE p.book = ?`
  params.push(book)
  // The facts that depend on the ones above, in an outer query over them (its placeholders
  // come first in the text). Only what the query asks for.
  const outer: Array<unknown> = []
  const more: Array<string> = []
  if (query.followUpFrom !== undefined) {
    outer.push(book, asOf, book, asOf)
    more.push(`CASE WHEN x.shared IS NULL THEN 0 ELSE
    (SELECT count(*) FROM ${r} WHERE book = ? AND partner_id = x.partnerId AND date > x.shared AND date <= ?) +
    (SELECT count(*) FROM ${i} WHERE book = ? AND partner_id = x.partnerId AND date > x.shared AND date <= ?)
  END AS touchesSinceShared`)
  }
  // The trailing windows end at the partner's own latest touch and latest referral. Every
  // referral dated at or before asOf is at or before both, so `date <= lastReferral` bounds
  // the range (and a partner without referrals counts 0). Index partnerbook_referrals_by_direction.
  if (query.trailingDays !== undefined) {
    const lastTouch = "max(x.lastReferral, coalesce(x.lastInteraction, x.lastReferral))"
    for (const [name, end] of [
      ["Touch", lastTouch],
      ["Referral", "x.lastReferral"]
    ] as const) {
      for (const direction of ["given", "received"] as const) {
        outer.push(book, query.trailingDays * 86_400_000)
        more.push(
          `(SELECT count(*) FROM ${r} WHERE book = ? AND partner_id = x.partnerId AND direction = '${direction}' AND date > ${end} - ? AND date <= x.lastReferral) AS upToLast${name}${direction === "given" ? "Given" : "Received"}`
        )
      }
    }
  }
  if (more.length === 0) return { sql: inner, params }
  return { sql: `SELECT x.*,\n  ${more.join(",\n  ")}\nFROM (${inner}) x`, params: [...outer, ...params] }
}

/** The row of {@link digestFacts}. */
export interface FactsRow {
  readonly partnerId: string
  readonly lastReferral: number | null
  readonly lastInteraction: number | null
  readonly firstGiven: number | null
  readonly lastGiven: number | null
  readonly lastReceived: number | null
  readonly upToLastTouchGiven?: number
  readonly upToLastTouchReceived?: number
  readonly upToLastReferralGiven?: number
  readonly upToLastReferralReceived?: number
  readonly engagedGiven: number
  readonly engagedReceived: number
  readonly positives: number
  readonly positiveAt: number | null
  readonly shared: number | null
  readonly touchesSinceShared?: number
  readonly [k: `${"k" | "l" | "g" | "r" | "n"}${number}`]: number | null
}

/**
 * The touches of the given partners after their own instant and up to `asOf` (the follow-up
 * gaps): per partner one range of `(book, partner_id, date)` in each table (CROSS JOIN keeps
 * the partners as the outer loop). `since` is a JSON array of `[partnerId, since]` pairs.
 *
 * @internal
 */
export const followUpTouches = (book: string, since: string, asOf: number): Statement => ({
  sql: `WITH s(pid, since) AS MATERIALIZED (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
SELECT s.pid AS partnerId, r.date AS date FROM s CROSS JOIN partnerbook_referrals r
  ON r.book = ? AND r.partner_id = s.pid AND r.date > s.since AND r.date <= ?
UNION ALL
SELECT s.pid AS partnerId, i.date AS date FROM s CROSS JOIN partnerbook_interactions i
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
  WHERE book = ? AND direction = 'received' AND (${SETTLED}) IS NULL AND date <= ?
UNION ALL
SELECT id, data FROM partnerbook_referrals
  WHERE book = ? AND direction = 'received' AND (${SETTLED}) > ? AND date <= ?`

/**
 * Puts the digest together from the rows of the statements above (the windows and touches
 * are merged in here, where the partner set is known).
 *
 * @internal
 */
export const assemble = (
  query: Store.DigestQuery,
  facts: ReadonlyArray<FactsRow>,
  touches: ReadonlyMap<string, Array<number>>,
  since: ReadonlyMap<string, number>
): ReadonlyArray<Store.Digest> => {
  const asOf = query.asOf.getTime()
  const n = query.windows.length
  const date = (t: number | null | undefined): Date | null =>
    t === null || t === undefined ? null : new Date(t)
  const out = facts.map((f): Store.Digest => {
    const windows: Array<Store.WindowCounts> = []
    for (let w = 0; w < n; w++) {
      windows.push({
        given: f[`g${w}`] ?? 0,
        received: f[`r${w}`] ?? 0,
        interactions: f[`n${w}`] ?? 0
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
      upToLastTouch: { given: f.upToLastTouchGiven ?? 0, received: f.upToLastTouchReceived ?? 0 },
      upToLastReferral: { given: f.upToLastReferralGiven ?? 0, received: f.upToLastReferralReceived ?? 0 },
      engagedGiven: f.engagedGiven,
      engagedReceived: f.engagedReceived,
      positives: f.positives,
      positiveAt: date(f.positiveAt),
      first,
      last: latest,
      shared: date(f.shared),
      touchesSinceShared: f.touchesSinceShared ?? 0,
      longestGap,
      windows
    }
  })
  return out.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0))
}
