import { DateTime } from "effect"
/** Milliseconds in one day. */
export const DAY_MS = 86_400_000

/** `date` minus `days` whole days. */
export const daysBefore = (date: Date, days: number): Date => new Date(date.getTime() - days * DAY_MS)

/** `date` plus `days` whole days. */
export const daysAfter = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS)

/** Whole days from `from` to `to` (negative when `to` is earlier), rounded down. */
export const daysBetween = (from: Date, to: Date): number =>
  Math.floor((to.getTime() - from.getTime()) / DAY_MS)

/** `YYYY-MM-DD` of a date, in UTC. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10)

/**
 * The instant of 00:00 on a calendar day in a time zone (month 1..12). Where the zone skips
 * midnight (a DST gap), the first instant after it.
 */
export const midnightIn = (
  zone: DateTime.TimeZone.Named,
  year: number,
  month: number,
  day: number
): number => {
  const guess = Date.UTC(year, month - 1, day)
  const offsetAt = (t: number) => DateTime.zonedOffset(DateTime.unsafeMakeZoned(t, { timeZone: zone }))
  const first = offsetAt(guess)
  const t = guess - first
  const second = offsetAt(t)
  return second === first ? t : Math.max(t, guess - second)
}
