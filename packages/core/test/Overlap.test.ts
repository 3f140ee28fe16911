import { createHmac } from "node:crypto"
import { Overlap } from "@partnerbook/core"
import { Effect, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"

const salt = "s3cret-agreed-over-coffee"

describe("Overlap.normalize", () => {
  it("writes one email address one way", () => {
    for (const written of [
      "ana.ruiz@example.com",
      "  Ana.Ruiz@Example.COM ",
      "mailto:ana.ruiz@example.com",
      "Ana Ruiz <ana.ruiz@EXAMPLE.com>",
      "ana.ruiz@example.com."
    ]) {
      expect(Overlap.normalize(written)).toEqual({ kind: "email", value: "ana.ruiz@example.com" })
    }
    // dots and +tags are part of the address unless Gmail's canonical form is asked for
    expect(Overlap.normalize("ana.ruiz+news@example.com")?.value).toBe("ana.ruiz+news@example.com")
    expect(Overlap.normalize("A.na.Ruiz+news@googlemail.com", { canonicalGmail: true })?.value).toBe(
      "anaruiz@gmail.com"
    )
    expect(Overlap.normalize("a.na.ruiz+news@example.com", { canonicalGmail: true })?.value).toBe(
      "a.na.ruiz+news@example.com"
    )
  })

  it("writes one phone number in E.164", () => {
    for (const written of [
      "(305) 555-0100",
      "305.555.0100",
      "305 555 0100",
      "1-305-555-0100",
      "+1 305 555 0100",
      "+1 (305) 555-0100",
      "001 305 555 0100",
      "tel:+13055550100"
    ]) {
      expect(Overlap.normalize(written)).toEqual({ kind: "phone", value: "+13055550100" })
    }
    const uk = { defaultCountryCode: "44" }
    for (const written of ["020 7946 0018", "+44 20 7946 0018", "+44 (0)20 7946 0018", "0044 20 7946 0018"]) {
      expect(Overlap.normalize(written, uk)).toEqual({ kind: "phone", value: "+442079460018" })
    }
    // Italian numbers keep their leading 0
    expect(Overlap.normalize("06 1234 5678", { defaultCountryCode: "39", trunkPrefix: "" })?.value).toBe(
      "+390612345678"
    )
  })

  it("writes one web domain one way", () => {
    for (const written of [
      "acme.com",
      "ACME.com.",
      "www.acme.com",
      "https://www.acme.com/",
      "http://acme.com:8080/about?x=1#team",
      "HTTPS://WWW.ACME.COM/Contact"
    ]) {
      expect(Overlap.normalize(written)).toEqual({ kind: "domain", value: "acme.com" })
    }
    expect(Overlap.normalize("https://bücher.de/")?.value).toBe("xn--bcher-kva.de")
    expect(Overlap.normalize("www.com")?.value).toBe("www.com")
  })

  it("returns undefined for what is not an identifier", () => {
    for (const junk of [
      "",
      "   ",
      "hello",
      "ana@",
      "@example.com",
      "ana@@example.com",
      "ana ruiz@example.com",
      "ana@example.com/path",
      "555-0100", // a local number: no area code
      "+1 305 555 010",
      "(305) 555-0100 ext 12",
      "1234567890123456789",
      "localhost",
      "http://192.168.0.1/",
      "http://"
    ]) {
      expect(Overlap.normalize(junk), junk).toBeUndefined()
    }
  })

  it("rejects a malformed country code", () => {
    expect(() => Overlap.normalize("305 555 0100", { defaultCountryCode: "+1" })).toThrow(
      /defaultCountryCode/
    )
  })
})

describe("Overlap.hashList and compare", () => {
  it("hashes HMAC-SHA-256(salt, kind:value) in hex, deduplicated and sorted", async () => {
    const hashes = await Overlap.hashList(
      ["Ana@Example.com", "ana@example.com", "(305) 555-0100", "not one"],
      salt
    )
    const expected = ["email:ana@example.com", "phone:+13055550100"]
      .map((text) => createHmac("sha256", salt).update(text).digest("hex"))
      .sort()
    expect(hashes).toEqual(expected)
    expect(Overlap.prepare(["ana@example.com", "not one"]).invalid).toEqual([{ index: 1, input: "not one" }])
  })

  it("finds the clients two lists share", async () => {
    const mine = await Overlap.hashList(
      ["ana@example.com", "(305) 555-0100", "acme.com", "bo@example.com"],
      salt
    )
    const theirs = await Overlap.hashList(["ANA@example.com ", "+1 305 555 0100", "zed@example.org"], salt)
    expect(Overlap.compare(mine, theirs)).toEqual({
      shared: 2,
      mine: 4,
      theirs: 3,
      ratio: 2 / 3,
      jaccard: 2 / 5
    })
    expect(Overlap.compare([], theirs)).toEqual({ shared: 0, mine: 0, theirs: 3, ratio: 0, jaccard: 0 })
  })

  it("rejects an empty salt and entries that are not hashes", async () => {
    await expect(Overlap.hashList(["ana@example.com"], "")).rejects.toMatchObject({
      _tag: "InvalidInput",
      field: "salt"
    })
    expect(() => Overlap.compare(["abc"], [])).toThrow(/mine\[0\]/)
    const failed = await Effect.runPromise(Effect.flip(Overlap.hashListEffect(["ana@example.com"], "")))
    expect(failed._tag).toBe("InvalidInput")
    const hashes = await Effect.runPromise(Overlap.hashListEffect(["ana@example.com"], salt))
    expect(hashes).toEqual(await Overlap.hashList(["ana@example.com"], salt))
  })
})

// People and the many ways a CRM might have written them.
const localArb = fc.constantFrom("ana", "ana.ruiz", "bo", "cy_park", "dee+work", "eli99")
const domainArb = fc.constantFrom("example.com", "acme.co.uk", "smith-law.com", "gmail.com")
const randomCase = (s: string, flips: ReadonlyArray<boolean>) =>
  [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c)).join("")
const pad = fc.constantFrom("", " ", "  ", "\t")

const emailArb = fc.tuple(localArb, domainArb).map(([l, d]) => `${l}@${d}`)
const emailWrittenArb = (email: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      pad,
      pad,
      fc.constantFrom("plain", "mailto", "display", "dot")
    )
    .map(([flips, before, after, form]) => {
      const e = randomCase(email, flips)
      const written =
        form === "mailto"
          ? `mailto:${e}`
          : form === "display"
            ? `Someone <${e}>`
            : form === "dot"
              ? `${e}.`
              : e
      return `${before}${written}${after}`
    })

// North American numbers: area code and exchange 200..999, line 0000..9999
const phoneArb = fc.tuple(
  fc.integer({ min: 200, max: 999 }),
  fc.integer({ min: 200, max: 999 }),
  fc.integer({ min: 0, max: 9999 })
)
const phoneWrittenArb = ([area, exchange, line]: readonly [number, number, number]) => {
  const l = String(line).padStart(4, "0")
  return fc.constantFrom(
    `(${area}) ${exchange}-${l}`,
    `${area}.${exchange}.${l}`,
    `${area}-${exchange}-${l}`,
    `1 ${area} ${exchange} ${l}`,
    `+1 (${area}) ${exchange}-${l}`,
    `+1${area}${exchange}${l}`,
    `001 ${area} ${exchange} ${l}`,
    `${area}${exchange}${l}`
  )
}

const hostArb = fc.tuple(
  fc.constantFrom("acme", "smith-law", "b2b", "x"),
  fc.constantFrom("com", "org", "co.uk")
)
const domainWrittenArb = ([name, tld]: readonly [string, string]) =>
  fc
    .tuple(
      fc.constantFrom("", "http://", "https://", "HTTPS://"),
      fc.constantFrom("", "www.", "WWW."),
      fc.constantFrom("", ":443", ":8080"),
      fc.constantFrom("", "/", "/about", "/a/b?c=d#e"),
      fc.boolean()
    )
    .map(([scheme, www, port, path, upper]) => {
      const host = `${www}${upper ? name.toUpperCase() : name}.${tld}`
      return scheme === "" && port !== "" ? `${host}${path}` : `${scheme}${host}${port}${path}`
    })

describe("Overlap: properties", () => {
  it("the same email, phone or domain written two ways normalises and hashes the same", async () => {
    const sameThing = fc.oneof(
      emailArb.chain((e) => fc.tuple(emailWrittenArb(e), emailWrittenArb(e))),
      phoneArb.chain((p) => fc.tuple(phoneWrittenArb(p), phoneWrittenArb(p))),
      hostArb.chain((h) => fc.tuple(domainWrittenArb(h), domainWrittenArb(h)))
    )
    await fc.assert(
      fc.asyncProperty(sameThing, async ([x, y]) => {
        const a = Overlap.normalize(x)
        expect(a, x).toBeDefined()
        expect(Overlap.normalize(y)).toEqual(a)
        const [hx, hy] = [await Overlap.hashList([x], salt), await Overlap.hashList([y], salt)]
        expect(hx).toEqual(hy)
        expect(Overlap.compare(hx, hy).shared).toBe(1)
      }),
      { numRuns: 200 }
    )
  })

  it("different people never match", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          emailArb,
          phoneArb.map(([a, e, l]) => `${a}-${e}-${String(l).padStart(4, "0")}`)
        ),
        fc.oneof(
          emailArb,
          phoneArb.map(([a, e, l]) => `${a}-${e}-${String(l).padStart(4, "0")}`)
        ),
        async (x, y) => {
          fc.pre(Overlap.normalize(x)?.value !== Overlap.normalize(y)?.value)
          expect(
            Overlap.compare(await Overlap.hashList([x], salt), await Overlap.hashList([y], salt)).shared
          ).toBe(0)
        }
      ),
      { numRuns: 200 }
    )
  })

  // Lists drawn from a small population, each person written in one of their ways.
  const personArb = fc.oneof(
    emailArb.chain(emailWrittenArb),
    phoneArb.chain(phoneWrittenArb),
    hostArb.chain(domainWrittenArb),
    fc.constantFrom("n/a", "call me", "")
  )
  const listArb = fc.array(personArb, { maxLength: 25 })

  it("is symmetric and equals the overlap of the normalised lists in plain text", async () => {
    await fc.assert(
      fc.asyncProperty(listArb, listArb, async (xs, ys) => {
        const [mine, theirs] = [await Overlap.hashList(xs, salt), await Overlap.hashList(ys, salt)]
        const result = Overlap.compare(mine, theirs)
        const mirrored = Overlap.compare(theirs, mine)
        expect(mirrored).toEqual({ ...result, mine: result.theirs, theirs: result.mine })

        const plain = (list: ReadonlyArray<string>) =>
          new Set(
            list.flatMap((x) => {
              const id = Overlap.normalize(x)
              return id === undefined ? [] : [`${id.kind}:${id.value}`]
            })
          )
        const [a, b] = [plain(xs), plain(ys)]
        const shared = [...a].filter((x) => b.has(x)).length
        expect(result.shared).toBe(shared)
        expect(result.mine).toBe(a.size)
        expect(result.theirs).toBe(b.size)
        expect(result.ratio).toBe(Math.min(a.size, b.size) === 0 ? 0 : shared / Math.min(a.size, b.size))
        expect(result.ratio).toBeGreaterThanOrEqual(0)
        expect(result.ratio).toBeLessThanOrEqual(1)
      }),
      { numRuns: 100 }
    )
  })

  it("hashes made with different salts do not match", async () => {
    await fc.assert(
      fc.asyncProperty(
        listArb,
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        async (xs, s1, s2) => {
          fc.pre(s1 !== s2)
          const result = Overlap.compare(await Overlap.hashList(xs, s1), await Overlap.hashList(xs, s2))
          expect(result.shared).toBe(0)
        }
      ),
      { numRuns: 50 }
    )
  })
})
