import { describe, expect, it } from "@effect/vitest"
import { Book, BookDocument, Client, Interaction, Partner, Profile, Referral } from "@partnerbook/core"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import * as RecordDecoder from "../src/internal/decoder.js"
import * as Format from "../src/internal/format.js"
import * as State from "../src/internal/state.js"

const bookId = fc
  .constantFrom("default", "Alice", "__proto__", "constructor", "a/b")
  .map((s) => Book.BookId.make(s))

const uniqueById = <A extends { readonly id: string }>(records: ReadonlyArray<A>): Array<A> => [
  ...new Map(records.map((r) => [r.id, r] as const)).values()
]

/** Book documents from the schemas' own arbitraries, every record moved into the book. */
const documentArb = fc
  .record({
    book: bookId,
    profile: fc.option(Arbitrary.make(Profile.Profile), { nil: null }),
    partners: fc.array(Arbitrary.make(Partner.Partner), { maxLength: 5 }),
    referrals: fc.array(Arbitrary.make(Referral.Referral), { maxLength: 5 }),
    interactions: fc.array(Arbitrary.make(Interaction.Interaction), { maxLength: 3 }),
    clients: fc.array(Arbitrary.make(Client.Client), { maxLength: 3 })
  })
  .map((parts) => {
    const doc = BookDocument.make({
      book: Book.BookId.make("x"),
      profile: parts.profile,
      partners: uniqueById(parts.partners),
      referrals: uniqueById(parts.referrals),
      interactions: uniqueById(parts.interactions),
      clients: uniqueById(parts.clients)
    })
    return BookDocument.rebook(doc, parts.book)
  })

const fileJson = (doc: BookDocument.BookDocument, feed: ReadonlyArray<object> = []) => ({
  storeFormat: Format.storeFormat,
  storeVersion: Format.storeVersion,
  ...BookDocument.encode(doc),
  lastSequence: feed.length,
  changes: feed
})

/** The feed a version-1 file gets: one put per record, profile first, then each list in order. */
const migratedFeed = (doc: BookDocument.BookDocument): ReadonlyArray<object> => {
  const out: Array<object> = []
  const add = (entity: string, id: string, revision: number) =>
    out.push({ sequence: out.length + 1, entity, id, op: "put", revision })
  if (doc.profile !== null) add("profile", doc.book, doc.profile.revision)
  for (const [kind, key] of Format.listKeys)
    for (const r of doc[key as "partners"] as ReadonlyArray<{ id: string; revision: number }>)
      add(kind, r.id, r.revision)
  return out
}

const stateOf = (doc: BookDocument.BookDocument): State.BookState => {
  const draft = new State.Draft(State.empty(doc.book))
  if (doc.profile !== null) draft.put("profile", doc.book, Format.entry("profile", doc.profile))
  for (const [kind, key] of Format.listKeys) {
    for (const r of doc[key as "partners"]) draft.put(kind, r.id, Format.entry(kind, r))
  }
  return draft.state()
}

const bytes = (text: string) => new TextEncoder().encode(text)

describe("format", () => {
  it("renders exactly JSON.stringify(file, null, 2), and reads back the same book", () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const rendered = Format.render(stateOf(doc))
        const text = new TextDecoder().decode(rendered)
        expect(text).toBe(`${JSON.stringify(fileJson(doc), null, 2)}\n`)
        const back = Format.parse(rendered, doc.book)
        if (Either.isLeft(back)) throw new Error(JSON.stringify(back.left))
        expect(new TextDecoder().decode(Format.render(back.right))).toBe(text)
      }),
      { numRuns: 100 }
    )
  })

  it("accepts exactly what BookDocument.decode accepts, failing at the same path", () => {
    const mutation = fc.record({
      list: fc.constantFrom("profile", "partners", "referrals", "interactions", "clients"),
      index: fc.nat(4),
      key: fc.constantFrom(
        "id",
        "book",
        "name",
        "date",
        "revision",
        "tags",
        "__proto__",
        "constructor",
        "extra"
      ),
      action: fc.constantFrom("delete", "set"),
      value: fc.jsonValue({ maxDepth: 2 })
    })
    fc.assert(
      fc.property(documentArb, mutation, (doc, m) => {
        const json = JSON.parse(JSON.stringify(fileJson(doc))) as Record<string, unknown>
        const target =
          m.list === "profile"
            ? (json.profile as Record<string, unknown> | null)
            : ((json[m.list] as Array<Record<string, unknown>>)[m.index] ?? null)
        if (target !== null) {
          if (m.action === "delete") delete target[m.key]
          else
            Object.defineProperty(target, m.key, {
              value: m.value,
              enumerable: true,
              writable: true,
              configurable: true
            })
        }
        const { storeFormat: _f, storeVersion: _v, lastSequence: _l, changes: _c, ...plain } = json
        const reference = BookDocument.decode(plain)
        const ours = Format.decodeDocument(json, doc.book)
        // Two extra checks of ours: the file holds the expected book, and no id is repeated.
        const duplicate =
          Either.isRight(reference) &&
          Format.listKeys.some(([, key]) => {
            const ids = (reference.right[key as "partners"] as ReadonlyArray<{ id: string }>).map((r) => r.id)
            return new Set(ids).size !== ids.length
          })
        const otherBook = Either.isRight(reference) && reference.right.book !== doc.book
        if (Either.isRight(reference) && !duplicate && !otherBook) {
          expect(Either.isRight(ours)).toBe(true)
        } else {
          expect(Either.isLeft(ours)).toBe(true)
        }
        if (Either.isLeft(reference) && Either.isLeft(ours)) expect(ours.left.path).toBe(reference.left.path)
      }),
      { numRuns: 300 }
    )
  })

  it("decodes each record exactly like its class schema (the fast path)", () => {
    const kinds = [
      ["profile", Profile.Profile],
      ["partner", Partner.Partner],
      ["referral", Referral.Referral],
      ["interaction", Interaction.Interaction],
      ["client", Client.Client]
    ] as const
    for (const [kind, schema] of kinds) {
      const full = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>, {
        errors: "first",
        onExcessProperty: "error"
      })
      const encode = Schema.encodeSync(schema as Schema.Schema<unknown, unknown>)
      const mutation = fc.record({
        key: fc.constantFrom(...Object.keys(schema.fields), "__proto__", "constructor", "extra"),
        action: fc.constantFrom("keep", "delete", "set"),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom("", " x", "2024-02-30", "2024-01-01", -1, 1.5)
        )
      })
      fc.assert(
        fc.property(
          Arbitrary.make(schema as Schema.Schema<unknown, unknown>),
          fc.array(mutation, { maxLength: 2 }),
          (record, ms) => {
            const json = JSON.parse(JSON.stringify(encode(record))) as Record<string, unknown>
            for (const m of ms) {
              if (m.action === "delete") delete json[m.key]
              else if (m.action === "set") {
                Object.defineProperty(json, m.key, {
                  value: m.value,
                  enumerable: true,
                  writable: true,
                  configurable: true
                })
              }
            }
            // Twice: the second time through the memoised field results.
            for (let i = 0; i < 2; i++) {
              const fast = Format.decoders[kind](json)
              const reference = full(json)
              expect(fast._tag).toBe(reference._tag)
              if (Either.isRight(fast) && Either.isRight(reference)) {
                expect(fast.right).toBeInstanceOf(schema)
                expect(Object.getPrototypeOf(fast.right)).toBe(Object.getPrototypeOf(reference.right))
                expect(Reflect.ownKeys(fast.right as object)).toEqual(
                  Reflect.ownKeys(reference.right as object)
                )
                expect(JSON.stringify(fast.right)).toBe(JSON.stringify(reference.right))
                expect(JSON.stringify(encode(fast.right))).toBe(JSON.stringify(encode(reference.right)))
              }
              if (Either.isLeft(fast) && Either.isLeft(reference))
                expect(fast.left.message).toBe(reference.left.message)
            }
          }
        ),
        { numRuns: 300 }
      )
    }
  })

  it("encodes each record exactly like its class schema (the fast path)", () => {
    const kinds = [
      ["profile", Profile.Profile],
      ["partner", Partner.Partner],
      ["referral", Referral.Referral],
      ["interaction", Interaction.Interaction],
      ["client", Client.Client]
    ] as const
    for (const [kind, schema] of kinds) {
      const full = Schema.encodeSync(schema as Schema.Schema<unknown, unknown>)
      const fast = Format.encoders[kind] as (r: unknown) => unknown
      fc.assert(
        fc.property(Arbitrary.make(schema as Schema.Schema<unknown, unknown>), (record) => {
          // Twice: the second time through the memoised field results.
          for (let i = 0; i < 2; i++) expect(JSON.stringify(fast(record))).toBe(JSON.stringify(full(record)))
        }),
        { numRuns: 300 }
      )
      // Not an instance, or not valid: the schema's own encoder decides (and throws).
      expect(() => fast({})).toThrow()
      const invalid = new (schema as unknown as new (p: unknown, o: unknown) => unknown)(
        {},
        { disableValidation: true }
      )
      expect(() => fast(invalid)).toThrow()
    }
  })

  it("gives every decoded record its own Date, even for a repeated date", () => {
    const raw = (id: string) => ({
      id,
      book: "b",
      partnerId: "p",
      direction: "given",
      client: "c",
      date: "2024-05-01T00:00:00.000Z",
      status: "introduced",
      revision: 1
    })
    const decoded = Array.from({ length: 3 }, (_, i) => Format.decoders.referral(raw(`r${i}`)))
    const dates = decoded.map((d) => (Either.getOrThrow(d) as Referral.Referral).date)
    dates[0]!.setUTCFullYear(1999)
    const later = (Either.getOrThrow(Format.decoders.referral(raw("r9"))) as Referral.Referral).date
    for (const d of [dates[1]!, dates[2]!, later]) expect(d.toISOString()).toBe("2024-05-01T00:00:00.000Z")
    expect(new Set(dates).size).toBe(3)
  })

  it("builds instances without the constructor only for classes that declare nothing", () => {
    for (const schema of [
      Profile.Profile,
      Partner.Partner,
      Referral.Referral,
      Interaction.Interaction,
      Client.Client
    ]) {
      expect(RecordDecoder.isPlainClass(schema as never)).toBe(true)
    }
    class WithMethod extends Schema.Class<WithMethod>("WithMethod")({ a: Schema.String }) {
      get upper() {
        return this.a.toUpperCase()
      }
    }
    class WithDefault extends Schema.Class<WithDefault>("WithDefault")({
      a: Schema.optionalWith(Schema.String, { default: () => "x" })
    }) {}
    class WithConstructor extends Schema.Class<WithConstructor>("WithConstructor")({ a: Schema.String }) {
      constructor(props: { readonly a: string }, options?: { readonly disableValidation?: boolean }) {
        super(props, options)
      }
    }
    class WithField extends Schema.Class<WithField>("WithField")({ a: Schema.String }) {
      readonly extra = 1
    }
    class Grandchild extends WithMethod {}
    for (const schema of [WithMethod, WithDefault, WithConstructor, WithField, Grandchild]) {
      expect(RecordDecoder.isPlainClass(schema as never)).toBe(false)
    }
    // What esbuild's keepNames adds (tsx does) is not a declaration of the class's own.
    class Named extends Schema.Class<Named>("Named")({ a: Schema.String }) {
      static {
        Object.defineProperty(Named, "name", { value: "Named" })
      }
    }
    expect(RecordDecoder.isPlainClass(Named as never)).toBe(true)
  })

  it("keeps __proto__, constructor and prototype as plain data", () => {
    const book = Book.BookId.make("__proto__")
    const text = `{
  "storeFormat": "partnerbook/json-store",
  "storeVersion": 1,
  "format": "partnerbook/book",
  "version": 1,
  "book": "__proto__",
  "profile": null,
  "partners": [
    {
      "id": "__proto__",
      "book": "__proto__",
      "name": "constructor",
      "profession": "prototype",
      "kind": "peer",
      "stage": "identified",
      "tags": ["__proto__", "constructor", "prototype"],
      "notes": "{\\"__proto__\\": {\\"polluted\\": true}}",
      "createdAt": "2024-01-01",
      "revision": 1
    },
    {
      "id": "constructor",
      "book": "__proto__",
      "name": "prototype",
      "profession": "cpa",
      "kind": "peer",
      "stage": "identified",
      "tags": [],
      "notes": "",
      "createdAt": "2024-01-01",
      "revision": 1
    }
  ],
  "referrals": [],
  "interactions": [],
  "clients": []
}`
    const state = Format.parse(bytes(text), book)
    if (Either.isLeft(state)) throw new Error(state.left.reason)
    const partners = state.right.shelves.partner
    expect(partners.ids).toEqual(["__proto__", "constructor"])
    expect((partners.entries[0]!.record as Partner.Partner).tags).toEqual([
      "__proto__",
      "constructor",
      "prototype"
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty("polluted")

    // "__proto__" as a key is an unexpected key, not a prototype.
    const polluting = text.replace('"kind": "peer",', '"__proto__": { "polluted": true }, "kind": "peer",')
    const failed = Format.parse(bytes(polluting), book)
    expect(Either.isLeft(failed) && failed.left.path).toBe("partners.0.__proto__")
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  describe("migrations", () => {
    it("form a chain that ends at the current version", () => {
      let version = Format.oldestVersion
      for (const m of Format.migrations) {
        expect(m.from).toBe(version)
        expect(m.to).toBe(version + 1)
        version = m.to
      }
      expect(version).toBe(Format.storeVersion)
    })

    it("read a version 1 file as the same book with one put change per record", () => {
      fc.assert(
        fc.property(documentArb, (doc) => {
          const { lastSequence: _l, changes: _c, ...v1 } = fileJson(doc)
          const migrated = Format.parse(bytes(JSON.stringify({ ...v1, storeVersion: 1 }, null, 2)), doc.book)
          if (Either.isLeft(migrated)) throw new Error(JSON.stringify(migrated.left))
          expect(new TextDecoder().decode(Format.render(migrated.right))).toBe(
            `${JSON.stringify(fileJson(doc, migratedFeed(doc)), null, 2)}\n`
          )
        }),
        { numRuns: 50 }
      )
    })

    it("refuse a change feed that is out of order or past lastSequence, naming the change", () => {
      const doc = BookDocument.make({
        book: Book.BookId.make("b"),
        profile: null,
        partners: [],
        referrals: [],
        interactions: [],
        clients: []
      })
      const feed = [
        { sequence: 2, entity: "partner", id: "p1", op: "delete" },
        { sequence: 1, entity: "partner", id: "p2", op: "delete" }
      ]
      const bad = Format.parse(bytes(JSON.stringify(fileJson(doc, feed), null, 2)), doc.book)
      expect(Either.isLeft(bad) && bad.left.path).toBe("changes.1.sequence")
      const past = Format.parse(
        bytes(JSON.stringify({ ...fileJson(doc, feed.slice(0, 1)), lastSequence: 1 }, null, 2)),
        doc.book
      )
      expect(Either.isLeft(past) && past.left.path).toBe("changes.0.sequence")
    })

    it("read a version 0 file (collections keyed by id) as the same book as version 1", () => {
      fc.assert(
        fc.property(documentArb, (doc) => {
          const { lastSequence: _l, changes: _c, ...v1 } = fileJson(doc)
          const v0: Record<string, unknown> = { ...v1, storeVersion: 0 }
          for (const [, key] of Format.listKeys) {
            const records = v1[key as "partners"] as ReadonlyArray<{ readonly id: string }>
            v0[key] = Object.fromEntries(records.map(({ id, ...rest }) => [id, rest]))
          }
          const migrated = Format.parse(bytes(JSON.stringify(v0, null, 2)), doc.book)
          if (Either.isLeft(migrated)) throw new Error(JSON.stringify(migrated.left))
          expect(new TextDecoder().decode(Format.render(migrated.right))).toBe(
            `${JSON.stringify(fileJson(doc, migratedFeed(doc)), null, 2)}\n`
          )
        }),
        { numRuns: 50 }
      )
    })

    it("reject a version 0 record that carries its own id, naming it", () => {
      const v0 = `{"storeFormat":"partnerbook/json-store","storeVersion":0,"format":"partnerbook/book","version":1,"book":"b","profile":null,"partners":{"p1":{"id":"p1"}},"referrals":{},"interactions":{},"clients":{}}`
      const result = Format.parse(bytes(v0), Book.BookId.make("b"))
      expect(Either.isLeft(result) && result.left.path).toBe("partners.p1.id")
    })
  })

  describe("syntax errors", () => {
    it("are located by line and column", () => {
      const cases: Array<[string, number]> = [
        ['{"a": 1,\n "b": }', 15],
        ['{"a": [1,', 9],
        ["[1, 2] x", 7],
        ['{"a": tru}', 9],
        ['{"a": "\u0001"}', 7],
        ["", 0]
      ]
      for (const [text, offset] of cases) expect(Format.syntaxErrorOffset(text)).toBe(offset)
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          expect(Format.syntaxErrorOffset(JSON.stringify(value, null, 2))).toBeUndefined()
        })
      )
    })
  })
})
