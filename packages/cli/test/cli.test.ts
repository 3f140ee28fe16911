import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DOMParser } from "@xmldom/xmldom"
import ICAL from "ical.js"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { build, type Result, run, snapshot } from "./bin.js"

// The bin is built once with tsup (about 10 s) and spawned as a user would run it. A spawn takes
// well under a second on an idle machine; the generous timeout is for a loaded CI runner.
vi.setConfig({ testTimeout: 600_000 })
beforeAll(build, 120_000)

// biome-ignore lint/suspicious/noExplicitAny: the parsed output of a command, checked field by field
type Json = any

const dirs: Array<string> = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "partnerbook-cli-"))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const ok = async (p: Promise<Result>) => {
  const r = await p
  expect(r.stderr, r.stderr).toBe("")
  expect(r.status).toBe(0)
  return r
}
const json = async (p: Promise<Result>): Promise<Json> => JSON.parse((await ok(p)).stdout)
/** A failure: non-zero, one line on stderr, nothing on stdout. */
const failed = async (p: Promise<Result>) => {
  const r = await p
  expect(r.status, r.stdout + r.stderr).not.toBe(0)
  expect(r.stdout).toBe("")
  const lines = r.stderr.split("\n").filter((l) => l !== "")
  expect(lines, r.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^partnerbook: /)
  return lines[0]!
}

const keys = (value: object) => Object.keys(value)

describe("a newcomer's session", () => {
  it("goes from --help to a matrix picture, a calendar file and an export imported into another book", async () => {
    const cwd = tempDir()
    const pb = (...args: Array<string>) => run(args, { cwd })
    const help = (await ok(pb("--help"))).stdout
    for (const command of ["init", "partner", "referral", "matrix", "agenda", "import", "demo"])
      expect(help).toContain(command)
    expect((await ok(pb("agenda", "--help"))).stdout).toContain("Example: ")
    // No store yet: how to start, and no file created.
    expect(await failed(pb("agenda"))).toMatch(/partnerbook init .*partnerbook demo/)
    expect(snapshot(cwd)).toEqual({})
    expect(
      await json(pb("--json", "init", "--name", "Ana Ruiz", "--profession", "estate-planning-attorney"))
    ).toMatchObject({
      name: "Ana Ruiz",
      profession: "estate-planning-attorney"
    })
    const dana = await json(
      pb("--json", "partner", "add", "--name", "Dana Smith", "--profession", "cpa", "--alignment", "0.8")
    )
    expect(dana).toMatchObject({ name: "Dana Smith", profession: "cpa", alignment: 0.8 })
    // New ids carry no personal data: a short random id, not one made from the name.
    expect(dana.id).toMatch(/^p-[0-9a-z]{8}$/)
    const received = await json(
      pb(
        "--json",
        "referral",
        "receive",
        "--partner",
        dana.id,
        "--client",
        "client-17",
        "--date",
        "2026-11-02"
      )
    )
    expect(received).toMatchObject({ partnerId: dana.id, direction: "received", status: "introduced" })
    // Global flags may also come after the command.
    const agenda = await json(pb("agenda", "--as-of", "2026-11-10", "--json"))
    expect(agenda.find((i: Json) => i.kind === "thank-you")).toMatchObject({
      partnerId: dana.id,
      referralId: received.id,
      dueAt: "2026-11-04T00:00:00.000Z",
      overdueDays: 6,
      state: "due"
    })
    await json(pb("--json", "referral", "thank", received.id, "--date", "2026-11-03"))
    await json(
      pb(
        "--json",
        "referral",
        "status",
        received.id,
        "--status",
        "engaged",
        "--date",
        "2026-11-06",
        "--value",
        "4000"
      )
    )
    await json(pb("--json", "referral", "close-loop", received.id, "--date", "2026-11-07"))
    await json(pb("--json", "referral", "give", "--partner", dana.id, "--date", "2026-11-08"))
    await json(
      pb(
        "--json",
        "interaction",
        "log",
        "--partner",
        dana.id,
        "--kind",
        "one-on-one",
        "--positive",
        "--date",
        "2026-11-09"
      )
    )
    await json(
      pb(
        "--json",
        "client",
        "add",
        "--label",
        "client-31",
        "--source-contact",
        "Rosa Diaz",
        "--asked-about",
        "financial-advisor",
        "--date",
        "2026-11-09"
      )
    )
    // The matrix as a table, as JSON and as a picture.
    expect((await ok(pb("matrix", "--as-of", "2026-11-10"))).stdout).toContain("Dana Smith")
    const placements = await json(pb("--json", "matrix", "--as-of", "2026-11-10", "--svg", "matrix.svg"))
    expect(placements).toEqual([
      expect.objectContaining({
        partnerId: dana.id,
        quadrant: "opportunity",
        given: 1,
        received: 1,
        activity: 2
      })
    ])
    const svg = new DOMParser().parseFromString(
      readFileSync(join(cwd, "matrix.svg"), "utf8"),
      "image/svg+xml"
    )
    expect(svg.documentElement?.tagName).toBe("svg")
    expect(readFileSync(join(cwd, "matrix.svg"), "utf8")).toContain(">Dana Smith</text>")
    // The calendar file.
    const items = await json(pb("--json", "agenda", "--as-of", "2026-11-10", "--ics", "agenda.ics"))
    const calendar = new ICAL.Component(ICAL.parse(readFileSync(join(cwd, "agenda.ics"), "utf8")))
    expect(calendar.getAllSubcomponents("vevent")).toHaveLength(items.length)
    // Export, then import into an empty second book: the same records.
    const exported = await json(pb("--json", "export", "--out", "book.json"))
    expect(JSON.parse(readFileSync(join(cwd, "book.json"), "utf8"))).toEqual(exported)
    expect(await json(pb("--json", "--book", "copy", "import", "book.json"))).toMatchObject({
      book: "copy",
      partners: 1,
      referrals: 2,
      interactions: 1,
      clients: 1
    })
    expect(await json(pb("--json", "--book", "copy", "partner", "list"))).toEqual(
      (await json(pb("--json", "partner", "list"))).map((p: Json) => ({ ...p, book: "copy" }))
    )
  })
})

describe("--json shapes", () => {
  const cwd = tempDir()
  const store = join(cwd, "demo.db")
  const pb = (...args: Array<string>) => run(["--store", store, "--json", ...args], { cwd })
  const asOf = ["--as-of", "2026-11-23"]

  it("demo builds the sample book in the given store and reports every rule", async () => {
    const demo = await json(pb("demo"))
    expect(demo.imported).toMatchObject({ partners: 10 })
    for (const key of ["matrix", "balance", "agenda", "outreach", "health", "discover", "digest"])
      expect(demo).toHaveProperty(key)
    // Without --store it uses a temporary store and says where.
    const temp = (await ok(run(["demo"], { cwd: tempDir() }))).stdout
    expect(temp).toContain("Referral Partner Matrix")
    const where = /stored in (.*partnerbook-demo-[^/]+)\/demo\.db\./.exec(temp)
    expect(where).not.toBeNull()
    dirs.push(where![1]!)
  })

  it("every report has the contract's fields", async () => {
    const matrix = await json(pb("matrix", ...asOf))
    for (const p of matrix)
      expect(keys(p)).toEqual(
        expect.arrayContaining([
          "partnerId",
          "name",
          "quadrant",
          "alignment",
          "activity",
          "given",
          "received",
          "actions"
        ])
      )
    const balance = await json(pb("balance", ...asOf))
    for (const b of balance)
      expect(keys(b)).toEqual(
        expect.arrayContaining(["partnerId", "name", "state", "given", "received", "net", "persistent"])
      )
    const agenda = await json(pb("agenda", ...asOf))
    expect(agenda.length).toBeGreaterThan(0)
    for (const i of agenda) {
      expect(keys(i)).toEqual(expect.arrayContaining(["kind", "partnerId", "dueAt", "overdueDays", "state"]))
      expect([
        "check-in",
        "thank-you",
        "close-loop",
        "status-follow-up",
        "give-first",
        "one-on-one",
        "share-ideal-client",
        "dormant",
        "missed",
        "fee-review"
      ]).toContain(i.kind)
    }
    const fees = await json(pb("compliance", ...asOf))
    expect(fees.length).toBeGreaterThan(0)
    for (const f of fees)
      expect(keys(f)).toEqual(
        expect.arrayContaining(["referralId", "partnerId", "fee", "professions", "reason"])
      )
    const outreach = await json(pb("outreach", "--week-of", "2026-11-23", "--per-week", "3"))
    expect(outreach).toHaveLength(3)
    for (const p of outreach)
      expect(keys(p)).toEqual(expect.arrayContaining(["partnerId", "name", "lastContactAt", "reason"]))
    const health = await json(pb("health", ...asOf))
    for (const h of health) {
      expect(keys(h)).toEqual(expect.arrayContaining(["partnerId", "name", "score", "light", "components"]))
      expect(["green", "yellow", "red"]).toContain(h.light)
    }
    const discover = await json(pb("discover", ...asOf))
    expect(keys(discover)).toEqual(expect.arrayContaining(["pairings", "askedAbout", "informalReferrers"]))
    for (const p of discover.pairings)
      expect(keys(p)).toEqual(expect.arrayContaining(["profession", "reason"]))
    for (const a of discover.askedAbout)
      expect(keys(a)).toEqual(expect.arrayContaining(["profession", "clients"]))
    for (const r of discover.informalReferrers)
      expect(keys(r)).toEqual(expect.arrayContaining(["contact", "clients"]))
    const digest = await json(pb("digest", "--week-of", "2026-11-23", "--html", join(cwd, "digest.html")))
    expect(keys(digest)).toEqual(
      expect.arrayContaining(["due", "outreach", "quadrantMoves", "oneSided", "matrix"])
    )
    const html = readFileSync(join(cwd, "digest.html"), "utf8")
    expect(html).toContain("<svg")
    for (const p of matrix) expect(html).toContain(p.name.replace(/&/g, "&amp;"))
    const partners = await json(pb("partner", "list"))
    expect(partners).toHaveLength(10)
    const set = await json(pb("partner", "set", partners[0].id, "--stage", "active", "--cadence-days", "30"))
    expect(set).toMatchObject({ id: partners[0].id, stage: "active", cadenceDays: 30 })
    const exported = await json(pb("export"))
    expect(exported.partners).toHaveLength(10)
  })

  it("imports CSV rows, all or nothing", async () => {
    const d = tempDir()
    const csv = join(d, "contacts.csv")
    writeFileSync(
      csv,
      '\uFEFFFull Name;Company;Profession;Notes\n"Lee, Kim";Kim & Co;CPA;"two\nlines"\nRaj Patel;;Real Estate Agent;\n'
    )
    const pbd = (...args: Array<string>) => run(["--store", join(d, "b.db"), "--json", ...args], { cwd: d })
    expect(await json(pbd("import", "--csv", "partners", csv))).toMatchObject({ partners: 2 })
    writeFileSync(
      join(d, "refs.csv"),
      'Who,Direction,Date\nRaj Patel,received,2026-11-01\n"Lee, Kim",given,2026-11-31\n'
    )
    const before = snapshot(d)
    expect(
      await failed(pbd("import", "--csv", "referrals", join(d, "refs.csv"), "--map", "Who=partner"))
    ).toMatch(/line 3, column 3 \(Date\)/)
    expect(snapshot(d)).toEqual(before)
  })
})

describe("bad input leaves the store byte-identical", () => {
  for (const kind of ["sqlite", "json"] as const) {
    it(`on a ${kind} store: one line on stderr, non-zero exit, nothing written`, async () => {
      const cwd = tempDir()
      const store = kind === "sqlite" ? join(cwd, "book.db") : `json:${join(cwd, "books")}`
      const pb = (...args: Array<string>) => run(["--store", store, "--json", ...args], { cwd })
      await json(pb("init", "--name", "Ana Ruiz", "--profession", "estate-planning-attorney"))
      const dana = await json(pb("partner", "add", "--name", "Dana Smith", "--profession", "cpa"))
      const given = await json(pb("referral", "give", "--partner", dana.id, "--date", "2026-11-02"))
      writeFileSync(join(cwd, "bad.csv"), "name,profession\nOk Person,cpa\n,cpa\n")
      writeFileSync(join(cwd, "bad.json"), "{ not json")
      const before = snapshot(cwd)
      const cases: Array<[Array<string>, RegExp]> = [
        [["referral", "give", "--partner", "nobody"], /No partner "nobody"/],
        [["referral", "give", "--partner", dana.id, "--date", "2026-02-30"], /date/],
        [["referral", "give", "--partner", dana.id, "--date", "yesterday"], /date/],
        [["partner", "add", "--name", "X", "--profession", "cpa", "--alignment", "1.5"], /alignment/],
        [["partner", "add", "--name", "X", "--profession", "Not A Slug"], /profession/],
        [
          ["partner", "add", "--name", "X", "--profession", "cpa", "--alignment", "high"],
          /--alignment: expected a number/
        ],
        [["partner", "add", "--profession", "cpa"], /name/],
        [["partner", "set", "nobody", "--stage", "active"], /nobody/],
        [["referral", "thank", given.id], /thank|received/i],
        [["referral", "status", "r-nope", "--status", "engaged"], /r-nope/],
        [["interaction", "log", "--partner", dana.id, "--kind", "nap"], /--kind: expected one of .*"nap"/],
        [
          ["interaction", "log", "--partner", dana.id, "--kind", "check-in", "--positive", "--negative"],
          /positive/
        ],
        [["matrix", "--as-of", "2026-13-01"], /--as-of: expected a date/],
        [["import", join(cwd, "bad.json")], /not a JSON document/],
        [["import", join(cwd, "missing.json")], /no such file/],
        [["import", "--csv", "partners", join(cwd, "bad.csv")], /line 3, column 1/],
        [["import", "--csv", "clients", join(cwd, "bad.csv")], /csv/],
        [["import", join(cwd, "..", "nothing")], /no such file/],
        [["partner", "delete", dana.id], /cascade/],
        [["partner", "delete", "nobody", "--cascade"], /nobody/],
        [["partner", "merge", dana.id, dana.id], /itself/],
        [["partner", "merge", dana.id, "nobody"], /nobody/],
        [["changes", "--after", "-1"], /after/],
        [["changes", "--limit", "many"], /--limit: expected a whole number/],
        [["compliance", "--as-of", "someday"], /--as-of: expected a date/],
        [["frobnicate"], /frobnicate|unknown|Invalid/i]
      ]
      // Every kind of bad input on SQLite; on JSON files (slower to spawn for), every third.
      for (const [args, message] of kind === "sqlite" ? cases : cases.filter((_, i) => i % 3 === 0)) {
        const line = await failed(pb(...args))
        expect(line, args.join(" ")).toMatch(message)
        expect(snapshot(cwd), args.join(" ")).toEqual(before)
      }
      // Importing into a book that is not empty.
      await json(pb("export", "--out", join(cwd, "doc.json")))
      const withDoc = snapshot(cwd)
      expect(await failed(pb("import", join(cwd, "doc.json")))).toMatch(/not empty/)
      expect(snapshot(cwd)).toEqual(withDoc)
    })
  }

  it("a store file that is not a database is reported and left alone", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "notes.db"), "these are my notes, not a database\n".repeat(200))
    const before = snapshot(cwd)
    expect(await failed(run(["--store", "notes.db", "partner", "list"], { cwd }))).toMatch(
      /notes\.db|database|corrupt/i
    )
    expect(
      await failed(run(["--store", "notes.db", "init", "--name", "A", "--profession", "cpa"], { cwd }))
    ).toMatch(/notes\.db|database|corrupt/i)
    expect(snapshot(cwd)).toEqual(before)
  })

  it("a failed first command leaves no store behind", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "bad.csv"), "name,profession\n,cpa\n")
    expect(await failed(run(["import", "--csv", "partners", "bad.csv"], { cwd }))).toMatch(/line 2, column 1/)
    expect(
      await failed(
        run(["--store", "json:books", "init", "--name", "A", "--profession", "Not Valid"], { cwd })
      )
    ).toMatch(/profession/)
    expect(Object.keys(snapshot(cwd))).toEqual(["/bad.csv"])
  })

  it("a postgres:// store that cannot be reached fails in one line, its password hidden", async () => {
    const cwd = tempDir()
    const line = await failed(
      run(["--store", "postgres://u:secret@127.0.0.1:1/db", "init", "--name", "A", "--profession", "cpa"], {
        cwd
      })
    )
    expect(line).toMatch(/127\.0\.0\.1/)
    expect(line).not.toContain("secret")
    expect(snapshot(cwd)).toEqual({})
  })
})

describe("stores and books", () => {
  it("reads PARTNERBOOK_STORE and PARTNERBOOK_BOOK when the flags are absent", async () => {
    const cwd = tempDir()
    const env = { PARTNERBOOK_STORE: `json:${join(cwd, "books")}`, PARTNERBOOK_BOOK: "alice" }
    await ok(run(["init", "--name", "Alice", "--profession", "cpa"], { cwd, env }))
    expect(snapshot(cwd)).toHaveProperty(["/books/alice.json"])
    expect(
      await json(
        run(["--json", "partner", "add", "--name", "Bo", "--profession", "financial-advisor"], { cwd, env })
      )
    ).toMatchObject({ book: "alice" })
    // The flag wins over the variable.
    mkdirSync(join(cwd, "other"))
    expect(
      await json(
        run(
          [
            "--json",
            "--store",
            join(cwd, "other", "x.db"),
            "--book",
            "alice",
            "partner",
            "add",
            "--name",
            "Cy",
            "--profession",
            "cpa"
          ],
          { cwd, env }
        )
      )
    ).toMatchObject({ name: "Cy" })
    expect((await json(run(["--json", "partner", "list"], { cwd, env }))).map((p: Json) => p.name)).toEqual([
      "Bo"
    ])
  })

  it("keeps two books in one store apart", async () => {
    const cwd = tempDir()
    const pb = (book: string, ...args: Array<string>) => run(["--json", "--book", book, ...args], { cwd })
    await json(pb("a", "partner", "add", "--name", "Only In A", "--profession", "cpa"))
    await json(pb("b", "partner", "add", "--name", "Only In B", "--profession", "cpa"))
    expect((await json(pb("a", "partner", "list"))).map((p: Json) => p.name)).toEqual(["Only In A"])
    expect((await json(pb("b", "partner", "list"))).map((p: Json) => p.name)).toEqual(["Only In B"])
    expect(await json(pb("c", "partner", "list"))).toEqual([])
  })
})

describe("a good command line", () => {
  it("prints its version, shell completions, and no colours when not on a terminal", async () => {
    const cwd = tempDir()
    expect((await ok(run(["--version"], { cwd }))).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect((await ok(run(["--completions", "bash"], { cwd }))).stdout).toContain("partnerbook")
    await ok(run(["init", "--name", "Ana", "--profession", "cpa"], { cwd }))
    const out = (await ok(run(["partner", "list"], { cwd, env: { FORCE_COLOR: "1" } }))).stdout
    expect(out.includes("\u001b[")).toBe(false)
  })
})
