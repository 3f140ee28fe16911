/**
 * The agenda as an iCalendar file (RFC 5545): one all-day event per item on its due date,
 * with a UID made of the item's kind, partner and referral, so that importing a newer file
 * updates the events instead of adding copies. Lines end with CRLF and are folded at 75
 * octets without splitting a character.
 *
 * @since 0.2.0
 */
import type { Agenda } from "@partnerbook/core"

const encoder = new TextEncoder()

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): the rest continues on lines starting with
 * one space. Multi-byte characters are never split.
 *
 * @since 0.2.0
 * @category formatting
 */
export const fold = (line: string): string => {
  const parts: Array<string> = []
  let current = ""
  let octets = 0
  let limit = 75
  for (const ch of line) {
    const size = encoder.encode(ch).length
    if (octets + size > limit) {
      parts.push(current)
      current = ""
      octets = 0
      limit = 74 // the leading space counts
    }
    current += ch
    octets += size
  }
  parts.push(current)
  return parts.join("\r\n ")
}

/**
 * Escapes a TEXT value (RFC 5545 3.3.11).
 *
 * @since 0.2.0
 * @category formatting
 */
export const escapeText = (text: string): string =>
  text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n")

const date = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, "")
const stamp = (d: Date): string => `${d.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`

const summaries: Record<Agenda.Kind, string> = {
  "check-in": "Check in with",
  "thank-you": "Thank",
  "close-loop": "Close the loop with",
  "status-follow-up": "Follow up the referral with",
  "give-first": "Give a referral to",
  "one-on-one": "One-on-one with",
  "share-ideal-client": "Share ideal clients with",
  dormant: "Revive the relationship with",
  missed: "Catch up on missed follow-ups with",
  "fee-review": "Review the referral fee with"
}

/**
 * The stable UID of an agenda item in a book.
 *
 * @since 0.2.0
 * @category formatting
 */
export const uid = (book: string, item: Pick<Agenda.Item, "kind" | "partnerId" | "referralId">): string =>
  `${[item.kind, item.partnerId, item.referralId].filter((x) => x !== undefined).join(".")}.${book}@partnerbook`

/**
 * The iCalendar document of an agenda. `now` is the DTSTAMP of every event.
 *
 * @since 0.2.0
 * @category rendering
 */
export const render = (
  items: ReadonlyArray<Agenda.Item>,
  options: { readonly book: string; readonly now: Date; readonly calendarName?: string }
): string => {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Partnerbook//partnerbook agenda//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(options.calendarName ?? `Partnerbook agenda (${options.book})`)}`
  ]
  for (const item of items) {
    const next = new Date(item.dueAt.getTime() + 86_400_000)
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uid(options.book, item)}`,
      `DTSTAMP:${stamp(options.now)}`,
      `DTSTART;VALUE=DATE:${date(item.dueAt)}`,
      `DTEND;VALUE=DATE:${date(next)}`,
      `SUMMARY:${escapeText(`${summaries[item.kind]} ${item.name}`)}`,
      `DESCRIPTION:${escapeText(item.reason)}`,
      `CATEGORIES:${escapeText(item.kind)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT"
    )
  }
  lines.push("END:VCALENDAR")
  return `${lines.map(fold).join("\r\n")}\r\n`
}
