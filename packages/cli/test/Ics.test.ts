import type { Agenda } from "@partnerbook/core"
import ICAL from "ical.js"
import { describe, expect, it } from "vitest"
import * as Ics from "../src/Ics.js"

const item = (over: Record<string, unknown> = {}): Agenda.Item =>
  ({
    kind: "thank-you",
    partnerId: "dana-smith",
    name: "Dana Smith",
    referralId: "r-1",
    dueAt: new Date("2026-11-04T00:00:00.000Z"),
    overdueDays: 3,
    priority: 1.5,
    reason: "Dana Smith referred a client on 2026-11-02: send a thank-you",
    ...over
  }) as Agenda.Item

describe("Ics", () => {
  const now = new Date("2026-11-07T09:30:00.000Z")

  it("is RFC 5545 that ical.js reads: all-day events on the due date, stable UIDs, DTSTAMP", () => {
    const long =
      "José Ñúñez-Whitfield, CPA; a very long reason that goes on and on, with commas, semicolons; and more text"
    const items = [
      item(),
      item({
        kind: "check-in",
        referralId: undefined,
        partnerId: "jose",
        name: "José Ñúñez",
        reason: long,
        dueAt: new Date("2026-12-01T00:00:00Z")
      })
    ]
    const text = Ics.render(items, { book: "default", now })
    // CRLF everywhere, no line over 75 octets.
    expect(text.endsWith("\r\n")).toBe(true)
    expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false)
    for (const line of text.split("\r\n"))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    const calendar = new ICAL.Component(ICAL.parse(text))
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v))
    expect(events).toHaveLength(2)
    expect(events[0]!.startDate.isDate).toBe(true)
    expect(events[0]!.startDate.toString()).toBe("2026-11-04")
    expect(events[1]!.startDate.toString()).toBe("2026-12-01")
    expect(events[1]!.description).toBe(long)
    expect(events[1]!.summary).toContain("José Ñúñez")
    expect(events[0]!.uid).toBe("thank-you.dana-smith.r-1.default@partnerbook")
    const stamp = calendar.getAllSubcomponents("vevent")[0]!.getFirstPropertyValue("dtstamp") as ICAL.Time
    expect(stamp.toJSDate().toISOString()).toBe(now.toISOString())
  })

  it("keeps an item's UID when its due date moves, so a calendar updates instead of duplicating", () => {
    const a = Ics.uid("default", item())
    const b = Ics.uid("default", item({ dueAt: new Date("2027-01-01T00:00:00Z"), overdueDays: -20 }))
    expect(a).toBe(b)
    expect(Ics.uid("other", item())).not.toBe(a)
  })

  it("folds without splitting a multi-byte character", () => {
    const folded = Ics.fold(`DESCRIPTION:${"é".repeat(100)}`)
    for (const line of folded.split("\r\n")) {
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
      expect(line.includes("\uFFFD")).toBe(false)
    }
    expect(
      folded
        .split("\r\n")
        .map((l, i) => (i === 0 ? l : l.slice(1)))
        .join("")
    ).toBe(`DESCRIPTION:${"é".repeat(100)}`)
  })
})
