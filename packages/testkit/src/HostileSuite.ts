/**
 * The "hostile input" capability suite: what every store, with the Partnerbook service on
 * top, must do with input built to break it. Ids, book ids and text with lone UTF-16
 * surrogates; days that do not exist and Dates out of range; lists over their limits;
 * junk query dates; imports with duplicate ids, dangling references, revisions that would
 * overflow and 5,000-deep nesting; duplicate ids given to every `add`/`log` command.
 *
 * Every refusal must be a typed error (an `Error` with a `_tag`, through the Promise API)
 * that names the field or the record, and must leave the store unchanged: every book's
 * export is the same, and, when the adapter gives a `fingerprint` of its files, so are
 * their bytes.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { HostileSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * HostileSuite.suite("MyStore", () => {
 *   const path = freshTempPath()
 *   return { layer: MyStore.layer({ path }), fingerprint: () => hashFilesUnder(path) }
 * })
 *
 * @since 0.2.0
 */
import { BookDocument, Partner, PartnerbookClient, Store } from "@partnerbook/core"
import { Effect, FastCheck as fc, Layer } from "effect"
import { describe, expect, it } from "vitest"

/**
 * A store under test: its layer and, for a store kept in files, a fingerprint of those
 * files (for example a hash of every file's name and bytes) to prove a refusal wrote nothing.
 *
 * @since 0.2.0
 * @category models
 */
export interface Subject {
  readonly layer: Layer.Layer<Store.Store, unknown>
  /** The store's files, as a string that changes whenever a byte of them does. */
  readonly fingerprint?: () => string
}

/**
 * Options of {@link suite}.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Tests this adapter cannot run, by test name, each with the reason (printed in the test name). */
  readonly skip?: Readonly<Record<string, string>>
  /** Runs per property (default 20). All runs of a property share one store. */
  readonly numRuns?: number
}

/**
 * The names of the suite's tests, for {@link Options.skip}.
 *
 * @since 0.2.0
 * @category constants
 */
export const testNames = [
  "unicode - a lone surrogate in an id, a book id or a text is InvalidInput naming the field",
  "unicode - a store refuses a record with a lone surrogate",
  "dates - a day that does not exist is InvalidInput, never rolled over",
  "dates - a Date outside 1900..9999 or invalid is InvalidInput",
  "limits - 101 tags or 101 askedAbout is InvalidInput naming the field",
  "queries - a junk query date is InvalidInput",
  "ids - an id that exists is InvalidCommand for every kind of record",
  "import - a duplicate id is InvalidData naming the record",
  "import - a reference to a partner not in the document is refused",
  "import - a day that does not exist is InvalidData naming the record",
  "import - 5,000-deep nesting is a typed error, in an import and in a command",
  "revision - import refuses unsafe revisions; an update at the bound is typed and the book stays readable"
] as const

/**
 * A test name of the suite.
 *
 * @since 0.2.0
 * @category models
 */
export type TestName = (typeof testNames)[number]

const BOOK = "hostile"

interface Rejection {
  readonly _tag: string
  readonly message: string
  readonly field?: string
  readonly path?: string
  readonly command?: string
}

/** The error a promise rejects with; fails the test when it resolves. */
const rejection = async (promise: Promise<unknown>): Promise<Rejection> => {
  try {
    const value = await promise
    throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`)
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("expected a rejection")) throw error
    expect(error).toBeInstanceOf(Error)
    expect(typeof (error as Rejection)._tag).toBe("string")
    return error as Rejection
  }
}

const deep = (levels: number): unknown => {
  let value: unknown = "bottom"
  for (let i = 0; i < levels; i++) value = { a: value }
  return value
}

const isLeapYear = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** A string with one lone surrogate somewhere in it. */
const withLoneSurrogate: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.replace(/\s/g, "x")),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.nat(8)
  )
  .map(([s, unit, at]) => {
    const i = Math.min(at, s.length)
    return `x${s.slice(0, i)}${String.fromCharCode(unit)}${s.slice(i)}x`
  })

/**
 * Registers the hostile input suite for an adapter. `makeSubject` is called once per test
 * and must return a fresh, empty, isolated store (a layer, or a {@link Subject} with a
 * fingerprint of its files).
 *
 * @since 0.2.0
 * @category suites
 */
export const suite = (
  name: string,
  makeSubject: () => Layer.Layer<Store.Store, unknown> | Subject,
  options: Options = {}
): void => {
  const numRuns = options.numRuns ?? 20

  /** A client over a fresh store holding a small book, and the state to compare against. */
  const withSeededClient = async (
    f: (
      client: PartnerbookClient.PartnerbookClient,
      book: PartnerbookClient.BookClient,
      unchanged: () => Promise<void>
    ) => Promise<void>
  ): Promise<void> => {
    const made = makeSubject()
    const subject: Subject = Layer.isLayer(made)
      ? { layer: made as Layer.Layer<Store.Store, unknown> }
      : (made as Subject)
    const client = await PartnerbookClient.open({ store: subject.layer })
    try {
      const book = client.book(BOOK)
      await book.setProfile({ name: "Me", profession: "attorney" })
      await book.addPartner({ id: "p", name: "Dana Cruz", profession: "cpa", tags: ["tax"] })
      await book.giveReferral({ partnerId: "p", id: "r", date: "2026-01-05" })
      await book.logInteraction({ partnerId: "p", id: "i", kind: "one-on-one", date: "2026-01-06" })
      await book.addClient({ id: "c", label: "client 1", acquiredAt: "2026-01-07", askedAbout: ["cpa"] })
      const state = async () => {
        const books = await client.books()
        const documents = []
        for (const id of books) documents.push(BookDocument.encode(await client.book(id).exportBook()))
        return JSON.stringify({ books, documents, files: subject.fingerprint?.() })
      }
      const before = await state()
      await f(client, book, async () => expect(await state()).toBe(before))
    } finally {
      await client.close()
    }
  }

  const test = (title: TestName, body: () => Promise<void>, timeout = 120_000): void => {
    const reason = options.skip?.[title]
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body)
    else it(title, body, timeout)
  }

  describe(`Hostile input: ${name}`, () => {
    test("unicode - a lone surrogate in an id, a book id or a text is InvalidInput naming the field", () =>
      withSeededClient(async (client, book, unchanged) => {
        await fc.assert(
          fc.asyncProperty(
            withLoneSurrogate,
            fc.constantFrom("id", "name", "organization", "notes", "tags.0", "book", "client", "label"),
            async (bad, field) => {
              const error = await rejection(
                field === "book"
                  ? client.book(bad).addPartner({ name: "Ana", profession: "cpa" })
                  : field === "client"
                    ? book.giveReferral({ partnerId: "p", client: bad })
                    : field === "label"
                      ? book.addClient({ label: bad })
                      : book.addPartner(
                          field === "tags.0"
                            ? { name: "Ana", profession: "cpa", tags: [bad] }
                            : { name: "Ana", profession: "cpa", [field]: bad }
                        )
              )
              expect(error._tag).toBe("InvalidInput")
              expect(error.field).toBe(field)
              expect(error.message).toContain("lone surrogate")
            }
          ),
          { numRuns }
        )
        // Every other way an id comes in.
        for (const call of [
          () => book.getPartner("p\uD800"),
          () => book.updatePartner("p\uDFFF", { notes: "x" }),
          () => book.moveReferral("r\uD800", "contacted"),
          () => book.logInteraction({ partnerId: "\uDC00p", kind: "note" }),
          () => book.listReferrals({ partnerId: "p\uD800" as never })
        ]) {
          const error = await rejection(call())
          expect(error._tag).toBe("InvalidInput")
          expect(error.message).toContain("lone surrogate")
        }
        await unchanged()
        expect(await client.books()).toEqual([BOOK])
      }))

    test("unicode - a store refuses a record with a lone surrogate", () =>
      withSeededClient(async (client, book, unchanged) => {
        const partner = await book.getPartner("p")
        const error = await rejection(
          client.run(
            Effect.flatMap(Store.Store, (store) =>
              store.partners.put(
                new Partner.Partner({ ...partner, notes: "a\uD800b" }, { disableValidation: true })
              )
            )
          )
        )
        expect(error._tag).toBe("InvalidData")
        expect(error.path).toBe("partner.notes")
        await unchanged()
      }))

    test("dates - a day that does not exist is InvalidInput, never rolled over", () =>
      withSeededClient(async (_client, book, unchanged) => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1900, max: 2200 }),
            fc.integer({ min: 1, max: 12 }),
            fc.constantFrom("", "T00:00:00Z", "T12:30:00.000Z", "T23:59:59+05:30", "T01:00-08:00"),
            async (y, m, time) => {
              const bad = `${pad(y, 4)}-${pad(m)}-${pad(daysInMonth(y, m) + 1)}${time}`
              const error = await rejection(
                book.addPartner({ name: "Ana", profession: "cpa", createdAt: bad })
              )
              expect(error._tag).toBe("InvalidInput")
              expect(error.field).toBe("createdAt")
              const other = await rejection(book.giveReferral({ partnerId: "p", date: bad }))
              expect(other.field).toBe("date")
              const query = await rejection(book.listReferrals({ after: bad as never }))
              expect(query._tag).toBe("InvalidInput")
            }
          ),
          { numRuns }
        )
        const error = await rejection(
          book.addPartner({ name: "Ana", profession: "cpa", createdAt: "2026-02-30T00:00:00Z" })
        )
        expect(error.message).toContain("2026-02-30T00:00:00Z")
        await unchanged()
        // The last day of a month is taken as written, never moved.
        const leap = await book.addPartner({
          name: "Leap",
          profession: "cpa",
          createdAt: "2028-02-29T00:00:00Z"
        })
        expect(leap.createdAt.toISOString()).toBe("2028-02-29T00:00:00.000Z")
        const offset = await book.addPartner({
          name: "Late",
          profession: "cpa",
          createdAt: "2026-04-30T23:00:00-02:00"
        })
        expect(offset.createdAt.toISOString()).toBe("2026-05-01T01:00:00.000Z")
      }))

    test("dates - a Date outside 1900..9999 or invalid is InvalidInput", () =>
      withSeededClient(async (_client, book, unchanged) => {
        const yearZero = new Date(Date.UTC(2000, 0, 1))
        yearZero.setUTCFullYear(0)
        for (const date of [
          yearZero,
          new Date(Date.UTC(1899, 11, 31)),
          new Date(8.64e15),
          new Date(Number.NaN)
        ]) {
          const error = await rejection(book.addPartner({ name: "Ana", profession: "cpa", createdAt: date }))
          expect(error._tag).toBe("InvalidInput")
          expect(error.field).toBe("createdAt")
          const move = await rejection(book.moveReferral("r", "contacted", { date }))
          expect(move.field).toBe("date")
          const asOf = await rejection(book.agenda({ asOf: date }))
          expect(asOf.field).toBe("asOf")
        }
        await unchanged()
      }))

    test("limits - 101 tags or 101 askedAbout is InvalidInput naming the field", () =>
      withSeededClient(async (_client, book, unchanged) => {
        const many = Array.from({ length: 101 }, (_, i) => `t${i}`)
        const add = await rejection(book.addPartner({ name: "Ana", profession: "cpa", tags: many }))
        expect(add).toMatchObject({ _tag: "InvalidInput", field: "tags" })
        const update = await rejection(book.updatePartner("p", { tags: many }))
        expect(update).toMatchObject({ _tag: "InvalidInput", field: "tags" })
        const client = await rejection(book.addClient({ label: "x", askedAbout: many }))
        expect(client).toMatchObject({ _tag: "InvalidInput", field: "askedAbout" })
        await unchanged()
        // The limits themselves are accepted.
        await book.updatePartner("p", { tags: many.slice(0, 100) })
        expect((await book.getPartner("p")).tags).toHaveLength(100)
      }))

    test("queries - a junk query date is InvalidInput", () =>
      withSeededClient(async (_client, book, unchanged) => {
        for (const junk of ["junk", 12, {}, null, new Date(Number.NaN)]) {
          const referrals = await rejection(book.listReferrals({ after: junk as never }))
          expect(referrals).toMatchObject({ _tag: "InvalidInput", field: "query.after" })
          const interactions = await rejection(book.listInteractions({ until: junk as never }))
          expect(interactions).toMatchObject({ _tag: "InvalidInput", field: "query.until" })
        }
        expect(await book.listReferrals({ after: new Date(Date.UTC(2026, 0, 1)) })).toHaveLength(1)
        await unchanged()
      }))

    test("ids - an id that exists is InvalidCommand for every kind of record", () =>
      withSeededClient(async (_client, book, unchanged) => {
        const refusals = [
          await rejection(book.addPartner({ id: "p", name: "Other", profession: "cpa" })),
          await rejection(book.giveReferral({ partnerId: "p", id: "r" })),
          await rejection(book.receiveReferral({ partnerId: "p", id: "r" })),
          await rejection(book.logInteraction({ partnerId: "p", id: "i", kind: "note" })),
          await rejection(book.addClient({ id: "c", label: "other" }))
        ]
        for (const error of refusals) {
          expect(error._tag).toBe("InvalidCommand")
          expect(error.message).toMatch(/^id: an? \w+ with id "\w" already exists/)
        }
        await unchanged()
      }))

    const documentOf = async (book: PartnerbookClient.BookClient, target: string) => {
      const encoded = BookDocument.encode(await book.exportBook()) as unknown as Record<string, unknown>
      const rebook = (x: unknown) => ({ ...(x as object), book: target })
      return {
        ...encoded,
        book: target,
        profile: rebook(encoded.profile),
        partners: (encoded.partners as Array<unknown>).map(rebook),
        referrals: (encoded.referrals as Array<unknown>).map(rebook),
        interactions: (encoded.interactions as Array<unknown>).map(rebook),
        clients: (encoded.clients as Array<unknown>).map(rebook)
      } as Record<string, unknown> & { partners: Array<Record<string, unknown>> }
    }

    test("import - a duplicate id is InvalidData naming the record", () =>
      withSeededClient(async (client, book, unchanged) => {
        const doc = await documentOf(book, "copy")
        for (const list of ["partners", "referrals", "interactions", "clients"] as const) {
          const records = doc[list] as Array<unknown>
          const error = await rejection(
            client.book("copy").importBook({ ...doc, [list]: [...records, { ...(records[0] as object) }] })
          )
          expect(error._tag).toBe("InvalidData")
          expect(error.path).toBe(`${list}.1.id`)
          expect(error.message).toContain("duplicate id")
        }
        await unchanged()
        // The document itself imports, and counts what it stored.
        const summary = await client.book("copy").importBook(doc)
        expect(summary).toMatchObject({ partners: 1, referrals: 1, interactions: 1, clients: 1 })
        // So does the decoded document, as exportBook returns it.
        const again = await client.book("again").importBook(await book.exportBook())
        expect(again).toMatchObject({ book: "again", partners: 1, referrals: 1, interactions: 1, clients: 1 })
      }))

    test("import - a reference to a partner not in the document is refused", () =>
      withSeededClient(async (client, book, unchanged) => {
        const doc = await documentOf(book, "copy")
        const cases = [
          ["referrals", "referrals.0.partnerId", { partnerId: "ghost" }],
          ["interactions", "interactions.0.partnerId", { partnerId: "ghost" }],
          ["clients", "clients.0.source.partnerId", { source: { _tag: "partner", partnerId: "ghost" } }]
        ] as const
        for (const [list, path, change] of cases) {
          const records = doc[list] as Array<object>
          const error = await rejection(
            client.book("copy").importBook({ ...doc, [list]: [{ ...records[0], ...change }] })
          )
          expect(error).toMatchObject({ _tag: "InvalidData", path })
          expect(error.message).toContain('"ghost"')
        }
        await unchanged()
      }))

    test("import - a day that does not exist is InvalidData naming the record", () =>
      withSeededClient(async (client, book, unchanged) => {
        const doc = await documentOf(book, "copy")
        const partners = [{ ...doc.partners[0], createdAt: "2026-02-30T00:00:00Z" }]
        const error = await rejection(client.book("copy").importBook({ ...doc, partners }))
        expect(error).toMatchObject({ _tag: "InvalidData", path: "partners.0.createdAt" })
        await unchanged()
      }))

    test("import - 5,000-deep nesting is a typed error, in an import and in a command", () =>
      withSeededClient(async (client, book, unchanged) => {
        const doc = await documentOf(book, "copy")
        const nested = deep(5_000)
        const inRecord = await rejection(
          client.book("copy").importBook({ ...doc, partners: [{ ...doc.partners[0], notes: nested }] })
        )
        expect(inRecord._tag).toBe("InvalidData")
        expect(inRecord.path?.startsWith("partners.0.notes.a.a")).toBe(true)
        const whole = await rejection(client.book("copy").importBook(nested))
        expect(whole._tag).toBe("InvalidData")
        const command = await rejection(
          book.addPartner({ name: "Ana", profession: "cpa", notes: nested as never })
        )
        expect(command._tag).toBe("InvalidInput")
        expect(command.field?.startsWith("notes.a.a")).toBe(true)
        await unchanged()
      }))

    test("revision - import refuses unsafe revisions; an update at the bound is typed and the book stays readable", () =>
      withSeededClient(async (client, book, unchanged) => {
        const doc = await documentOf(book, "copy")
        for (const revision of [2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e300, -1, 1.5]) {
          const partners = [{ ...doc.partners[0], revision }]
          const error = await rejection(client.book("copy").importBook({ ...doc, partners }))
          expect(error).toMatchObject({ _tag: "InvalidData", path: "partners.0.revision" })
        }
        await unchanged()
        const partners = [{ ...doc.partners[0], revision: Number.MAX_SAFE_INTEGER }]
        await client.book("copy").importBook({ ...doc, partners })
        const copy = client.book("copy")
        const before = JSON.stringify(BookDocument.encode(await copy.exportBook()))
        const error = await rejection(copy.updatePartner("p", { notes: "one more" }))
        expect(error).toMatchObject({ _tag: "InvalidData", path: "partner.revision" })
        expect(JSON.stringify(BookDocument.encode(await copy.exportBook()))).toBe(before)
        const stored = await copy.getPartner("p")
        expect(stored.revision).toBe(Number.MAX_SAFE_INTEGER)
        expect(await copy.listPartners()).toHaveLength(1)
        expect(await copy.matrix({ asOf: "2026-02-01" })).toHaveLength(1)
      }))
  })
}
