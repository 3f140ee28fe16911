import { Partner, Profession } from "@partnerbook/core"
import { Either, Schema } from "effect"

// A partner as it arrives from a file, a database or an HTTP request: plain JSON.
const json = {
  id: "carla-chen",
  book: "default",
  name: "Carla Chen",
  organization: "Chen & Associates CPAs",
  profession: "cpa",
  kind: "complementary",
  stage: "active",
  alignment: 0.8,
  tags: ["tax"],
  notes: "Sees the whole financial picture every tax season.",
  createdAt: "2025-03-01",
  revision: 0
}

// Decode once, at the boundary: dates become Date, ids become branded strings.
const carla = Schema.decodeUnknownSync(Partner.Partner)(json)
console.log(carla.name, "is a", carla.kind, carla.profession, "since", carla.createdAt.toISOString())

// Encode to go back to JSON: dates become full ISO-8601 strings.
console.log(Schema.encodeSync(Partner.Partner)(carla).createdAt)

// Bad data is never coerced: the error names the path of the problem.
const bad = Schema.decodeUnknownEither(Partner.Partner)({ ...json, createdAt: "last spring" })
if (Either.isLeft(bad)) console.log(bad.left.message)

// The professions that pair with an estate planning attorney, from the seed articles.
const mine = Profession.ProfessionId.make("estate-planning-attorney")
for (const match of Profession.pairsOf(Profession.defaultTaxonomy, mine)) {
  console.log(`- ${match.profession}: ${match.reason}`)
}
