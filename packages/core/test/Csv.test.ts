import { Csv, PartnerbookClient, Store } from "@partnerbook/core"
import { Either } from "effect"
import * as fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"

const parsed = (text: string) => {
  const result = Csv.parse(text)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const failure = (text: string) => {
  const result = Csv.parse(text)
  if (Either.isRight(result)) throw new Error("expected a CsvError")
  return result.left
}

/** Writes cells as CSV the way a spreadsheet does: quotes only when needed, doubled quotes. */
const write = (rows: ReadonlyArray<ReadonlyArray<string>>, delimiter: string, eol: string) =>
  rows
    .map((r) =>
      r
        .map((c) => (/[",;\t\r\n]/.test(c) || c.trim() !== c ? `"${c.replace(/"/g, '""')}"` : c))
        .join(delimiter)
    )
    .join(eol)

describe("Csv.parse", () => {
  it("reads back any table a spreadsheet writes, with , or ; and LF or CRLF (property)", () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "b", " ", '"', ",", ";", "\n", "\r\n", "é", "x"),
      maxLength: 8
    })
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,8}[A-Za-z]$/), {
              minLength: width,
              maxLength: width
            }),
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 })
          )
        ),
        fc.constantFrom(",", ";"),
        fc.constantFrom("\n", "\r\n"),
        ([header, rows], delimiter, eol) => {
          fc.pre(new Set(header.map((h) => h.toLowerCase())).size === header.length)
          // Rows of one empty cell are blank lines, which the parser skips.
          const kept = rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ""))
          const table = parsed(`${write([header, ...rows], delimiter, eol)}${eol}`)
          expect(table.header).toEqual(header)
          expect(table.rows.map((r) => r.cells)).toEqual(kept)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("strips a byte-order mark and detects the separator from the header", () => {
    const table = parsed("\uFEFFFull Name;Company\nDana Smith;Smith, Jones & Co\n")
    expect(table.delimiter).toBe(";")
    expect(table.header).toEqual(["Full Name", "Company"])
    expect(table.rows[0]!.cells).toEqual(["Dana Smith", "Smith, Jones & Co"])
  })

  it("counts lines across quoted new lines", () => {
    const table = parsed('name,notes\nA,"two\nlines"\nB,"say ""hi"""\n')
    expect(table.rows.map((r) => r.line)).toEqual([2, 4])
    expect(table.rows[0]!.cells[1]).toBe("two\nlines")
    expect(table.rows[1]!.cells[1]).toBe('say "hi"')
  })

  it("names the line and column of what it cannot read", () => {
    expect(failure('a,b\n1,"open\n\n').message).toMatch(/^line 2, column 2: a quoted field is never closed/)
    expect(failure('a,b\n1,"x"y\n')).toMatchObject({ line: 2, column: 2 })
    expect(failure("a,b\n1,2,3\n")).toMatchObject({ line: 2, column: 3 })
    expect(failure("a,A\n")).toMatchObject({ line: 1, column: 2 })
    expect(failure("")._tag).toBe("CsvError")
  })
})

describe("Csv.importCsv", () => {
  let client: PartnerbookClient.PartnerbookClient | undefined
  afterEach(async () => {
    await client?.close()
    client = undefined
  })

  const open = async () => {
    client = await PartnerbookClient.open({ store: Store.layerMemory })
    return client
  }

  it("recognises common headers (Full Name, Company, First/Last Name) and profession labels", async () => {
    const c = await open()
    const summary = await c.importCsv(
      "partners",
      "First Name,Last Name,Company,Job Title,Alignment\nDana,Smith,Smith CPA,CPA,0.8\nRaj,Patel,,Real Estate Agent,\n"
    )
    expect(summary).toMatchObject({ entity: "partners", partners: 2 })
    const partners = await c.book().listPartners()
    expect(partners.map((p) => [p.name, p.profession, p.organization, p.alignment])).toEqual([
      ["Dana Smith", "cpa", "Smith CPA", 0.8],
      ["Raj Patel", "real-estate-agent", undefined, undefined]
    ])
  })

  it("writes nothing when one row is bad, and names its line and column", async () => {
    const c = await open()
    const error = await c
      .importCsv(
        "partners",
        "Full Name;Profession;Alignment\nDana Smith;cpa;0,5\nRaj Patel;cpa;1,7\nAna;cpa;0\n"
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ _tag: "CsvError", line: 3, column: 3 })
    expect((error as Error).message).toMatch(/line 3, column 3 \(Alignment\): alignment/)
    expect(await c.book().listPartners()).toEqual([])
  })

  it("rolls back every row when a write fails half-way (a duplicate id)", async () => {
    const c = await open()
    await c.book().addPartner({ id: "dana", name: "Dana", profession: "cpa" })
    const error = await c
      .importCsv("partners", "id,name,profession\nraj,Raj,cpa\ndana,Dana Again,cpa\n")
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ _tag: "CsvError", line: 3 })
    expect((await c.book().listPartners()).map((p) => p.id)).toEqual(["dana"])
  })

  it("imports referrals and interactions by partner name or id, with --map for unknown headers", async () => {
    const c = await open()
    const book = c.book()
    await book.addPartner({ id: "dana", name: "Dana Smith", profession: "cpa" })
    const referrals = await c.importCsv(
      "referrals",
      "Referral Partner,Way,Date,Status,Value\nDana Smith,received,2026-11-02,engaged,4000\ndana,gave,2026-11-05,,\n",
      { map: { "Referral Partner": "partner", Way: "direction" } }
    )
    expect(referrals.referrals).toBe(2)
    const list = await book.listReferrals()
    expect(list.map((r) => [r.direction, r.status, r.value])).toEqual([
      ["received", "engaged", 4000],
      ["given", "introduced", undefined]
    ])
    await c.importCsv("interactions", "Partner,Type,Date,Positive\nDana Smith,One on One,2026-11-10,yes\n")
    expect((await book.listInteractions()).map((i) => [i.kind, i.positive])).toEqual([["one-on-one", true]])
    const unknown = await c
      .importCsv("interactions", "Partner,Type\nNobody,check-in\n")
      .catch((e: unknown) => e)
    expect(unknown).toMatchObject({ _tag: "CsvError", line: 2, column: 1 })
    const badMap = await c.importCsv("referrals", "a,b\n", { map: { a: "nope" } }).catch((e: unknown) => e)
    expect((badMap as Error).message).toMatch(/no field "nope"/)
  })

  it("rejects a malformed date naming its line and column", async () => {
    const c = await open()
    await c.book().addPartner({ id: "dana", name: "Dana", profession: "cpa" })
    const error = await c
      .importCsv("referrals", "partner,direction,date\ndana,given,2026-02-30\n")
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ _tag: "CsvError", line: 2, column: 3 })
    expect(await c.book().listReferrals()).toEqual([])
  })
})
