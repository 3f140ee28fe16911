import { suite } from "@partnerbook/testkit"
import { describe, it } from "vitest"
import { freshLayer, skip, skipReason } from "./fixtures/server.js"

if (skip) {
  describe.skip(`PostgresStore (skipped: ${skipReason})`, () => {
    it("needs a PostgreSQL server", () => {})
  })
} else {
  // The shared conformance suite, each test (and each property run) in a new schema.
  suite("PostgresStore", () => freshLayer())
}
