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
