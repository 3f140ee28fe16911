import { Arbitrary, Either, FastCheck as fc, ParseResult, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  Book,
  Client,
  IdealClientProfile,
  Interaction,
  Partner,
  Profession,
  Profile,
  Referral
} from "../src/index.js"

const entities = {
  Profile: Profile.Profile,
  Partner: Partner.Partner,
  Referral: Referral.Referral,
  Interaction: Interaction.Interaction,
  Client: Client.Client,
  IdealClientProfile: IdealClientProfile.IdealClientProfile,
  Taxonomy: Profession.Taxonomy
} as const

/** Encode, go through JSON text (as a store or the wire would), decode. */
const roundTrip = <A, I>(schema: Schema.Schema<A, I>, value: A) => {
  const encoded = Schema.encodeSync(schema)(value)
  const decoded = Schema.decodeUnknownSync(schema)(JSON.parse(JSON.stringify(encoded)))
  return { encoded, decoded }
}

/**
 * The record that comes back equals the one that went in. `Schema.optional` fields admit an
 * explicit `undefined` in memory, which JSON cannot carry: `{ notes: undefined }` and `{}` are
 * the same record, so the comparison is a deep equality that ignores undefined-valued keys
 * (and compares dates by time), plus strict equality of the two encoded JSON forms; where no
 * optional field holds an explicit `undefined`, `Schema.equivalence` must agree as well.
 */
const check = <A, I>(schema: Schema.Schema<A, I>) => {
  const equivalent = Schema.equivalence(schema)
  const json = (x: unknown) => JSON.parse(JSON.stringify(x))
  const hasExplicitUndefined = (x: unknown): boolean =>
    typeof x === "object" &&
    x !== null &&
    !(x instanceof Date) &&
    Object.values(x).some((v) => v === undefined || hasExplicitUndefined(v))
  fc.assert(
    fc.property(Arbitrary.make(schema), (value) => {
      const { encoded, decoded } = roundTrip(schema, value)
      expect(decoded).toEqual(value)
      expect(Object.getPrototypeOf(decoded)).toBe(Object.getPrototypeOf(value))
      expect(json(Schema.encodeSync(schema)(decoded))).toStrictEqual(json(encoded))
      if (!hasExplicitUndefined(value)) expect(equivalent(decoded, value)).toBe(true)
    })
  )
}

describe("encode then decode returns the same record", () => {
  it("Profile", () => check(entities.Profile))
  it("Partner", () => check(entities.Partner))
  it("Referral", () => check(entities.Referral))
  it("Interaction", () => check(entities.Interaction))
  it("Client", () => check(entities.Client))
  it("IdealClientProfile", () => check(entities.IdealClientProfile))
  it("Taxonomy", () => check(entities.Taxonomy))

  it("the default taxonomy", () => {
    const { decoded } = roundTrip(Profession.Taxonomy, Profession.defaultTaxonomy)
    expect(Schema.equivalence(Profession.Taxonomy)(decoded, Profession.defaultTaxonomy)).toBe(true)
  })

  it("dates are ISO-8601 strings on the wire", () => {
    fc.assert(
      fc.property(Arbitrary.make(Referral.Referral), (r) => {
        const encoded = Schema.encodeSync(Referral.Referral)(r)
        expect(encoded.date).toBe(r.date.toISOString())
        expect(typeof JSON.parse(JSON.stringify(encoded)).date).toBe("string")
      })
    )
  })
})

const partnerJson = {
  id: "p1",
  book: "default",
  name: "Carla Chen",
  organization: "Chen & Co. CPAs",
  profession: "cpa",
  kind: "complementary",
  stage: "active",
  alignment: 0.8,
  tags: ["tax"],
  notes: "",
  createdAt: "2025-03-01",
  revision: 0
}

const decodeError = <A, I>(schema: Schema.Schema<A, I>, input: unknown): string => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error("expected a decoding failure")
  expect(ParseResult.isParseError(result.left)).toBe(true)
  return result.left.message
}

describe("decoding bad data", () => {
  it("decodes a good partner, with dates as Date", () => {
    const p = Schema.decodeUnknownSync(Partner.Partner)(partnerJson)
    expect(p).toBeInstanceOf(Partner.Partner)
    expect(p.createdAt).toEqual(new Date("2025-03-01T00:00:00.000Z"))
  })

  it("a bad createdAt gives a ParseError naming the path", () => {
    const message = decodeError(Partner.Partner, { ...partnerJson, createdAt: "yesterday" })
    expect(message).toContain("createdAt")
    expect(message).toContain("yesterday")
  })

  it("a day that does not exist is rejected, not rolled over", () => {
    expect(decodeError(Partner.Partner, { ...partnerJson, createdAt: "2026-02-30" })).toContain("createdAt")
  })

  it("nothing is coerced silently", () => {
    expect(decodeError(Partner.Partner, { ...partnerJson, revision: "0" })).toContain("revision")
    expect(decodeError(Partner.Partner, { ...partnerJson, alignment: "0.8" })).toContain("alignment")
    expect(decodeError(Partner.Partner, { ...partnerJson, createdAt: 1_700_000_000_000 })).toContain(
      "createdAt"
    )
  })

  it("out-of-range values name their field", () => {
    expect(decodeError(Partner.Partner, { ...partnerJson, alignment: 1.2 })).toContain("alignment")
    expect(decodeError(Partner.Partner, { ...partnerJson, kind: "competitor" })).toContain("kind")
    expect(decodeError(Partner.Partner, { ...partnerJson, profession: "Tax Man" })).toContain("profession")
    expect(
      decodeError(Partner.Partner, { ...partnerJson, knowLikeTrust: { know: 3, like: 6, trust: 2 } })
    ).toContain("like")
    expect(decodeError(Partner.Partner, { ...partnerJson, name: "  " })).toContain("name")
  })

  it("nested paths are named", () => {
    const message = decodeError(Profile.Profile, {
      book: "default",
      name: "Ana",
      profession: "estate-planning-attorney",
      idealClient: {
        description: "",
        industries: [],
        regions: [""],
        lifeEvents: [],
        clientTypes: [],
        bands: []
      },
      revision: 0
    })
    expect(message).toContain("idealClient")
    expect(message).toContain("regions")
  })

  it("referrals: bad status, direction, negative value and bad thankedAt", () => {
    const referral = {
      id: "r1",
      book: "default",
      partnerId: "p1",
      direction: "received",
      client: "client-1",
      date: "2026-05-01",
      status: "engaged",
      value: 1200,
      revision: 0
    }
    expect(Schema.decodeUnknownSync(Referral.Referral)(referral).date).toEqual(new Date("2026-05-01"))
    expect(decodeError(Referral.Referral, { ...referral, status: "won" })).toContain("status")
    expect(decodeError(Referral.Referral, { ...referral, direction: "sideways" })).toContain("direction")
    expect(decodeError(Referral.Referral, { ...referral, value: -5 })).toContain("value")
    expect(decodeError(Referral.Referral, { ...referral, thankedAt: "soon" })).toContain("thankedAt")
    expect(decodeError(Referral.Referral, { ...referral, partnerId: "" })).toContain("partnerId")
  })

  it("clients: a bad source and a bad profession asked about", () => {
    const client = {
      id: "c1",
      book: "default",
      label: "client-1",
      acquiredAt: "2026-01-10",
      source: { _tag: "contact", name: "Dana (neighbour)" },
      askedAbout: ["cpa"],
      revision: 0
    }
    expect(Schema.decodeUnknownSync(Client.Client)(client).source).toEqual({
      _tag: "contact",
      name: "Dana (neighbour)"
    })
    expect(decodeError(Client.Client, { ...client, source: { _tag: "partner" } })).toContain("source")
    expect(decodeError(Client.Client, { ...client, askedAbout: ["cpa", "Good Accountant"] })).toContain(
      "askedAbout"
    )
  })

  it("a missing book is named", () => {
    const { book: _, ...withoutBook } = partnerJson
    expect(decodeError(Partner.Partner, withoutBook)).toContain("book")
  })
})

describe("hostile strings and dates", () => {
  const decodeDate = Schema.decodeUnknownEither(Book.IsoDate)
  const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  const daysIn = (y: number, m: number) =>
    m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31
  const p2 = (n: number) => String(n).padStart(2, "0")

  it("a date-time names its day as written: never rolled over, with or without an offset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 9998 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.constantFrom("", "T00:00:00Z", "T23:59:59.999Z", "T12:00+02:00", "T00:30:00-11:00"),
        (y, m, d, time) => {
          const text = `${y}-${p2(m)}-${p2(d)}${time}`
          const decoded = decodeDate(text)
          if (d > daysIn(y, m)) {
            expect(Either.isLeft(decoded)).toBe(true)
          } else {
            expect(Either.isRight(decoded)).toBe(true)
            // In UTC (no offset), the stored day is the written day.
            if (time === "" || time.endsWith("Z")) {
              expect(Either.getOrThrow(decoded).toISOString().slice(0, 10)).toBe(text.slice(0, 10))
            }
          }
        }
      ),
      { numRuns: 500 }
    )
  })

  it("an id with a lone surrogate is refused; well-formed Unicode (emoji, CJK) is not", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }).map((s) => `a${s.trim()}z`),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        (id, unit) => {
          expect(Either.isRight(Schema.decodeUnknownEither(Partner.PartnerId)(id))).toBe(true)
          const bad = `${id.slice(0, 1)}${String.fromCharCode(unit)}${id.slice(1)}`
          expect(Either.isLeft(Schema.decodeUnknownEither(Partner.PartnerId)(bad))).toBe(true)
        }
      )
    )
  })
})
