import { HostileSuite, suite } from "@partnerbook/testkit"
import { describe, it } from "vitest"
import { freshLayer, skip, skipReason } from "./fixtures/server.js"

if (skip) {
  describe.skip(`PostgresStore (skipped: ${skipReason})`, () => {
    it("needs a PostgreSQL server", () => {})
  })
} else {
  // The shared conformance suite, each test (and each property run) in a new schema.
  suite("PostgresStore", () => freshLayer())
  // Hostile input, in a new schema per test (no fingerprint: the suite then checks that a
  // refusal changed nothing through the store's own reads).
  HostileSuite.suite("PostgresStore", () => ({ layer: freshLayer() }))
}
