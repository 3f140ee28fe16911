import { StoreSuite } from "@partnerbook/testkit"
import { describe, expect, it } from "vitest"
import { capabilities } from "../src/internal/capabilities.js"
import type { Harness } from "../src/internal/storeSuite.js"

describe("capability suites", () => {
  it("together register every test of the conformance suite exactly once", () => {
    const registered: Array<string> = []
    const unused = () => Promise.reject(new Error("registration only: no test runs here"))
    const harness: Harness = {
      makeLayer: () => {
        throw new Error("registration only: no store is made here")
      },
      numRuns: 1,
      withStore: unused,
      withService: unused,
      test: (title) => {
        registered.push(title)
      }
    }
    for (const capability of capabilities) capability.register(harness)
    expect([...registered].sort()).toEqual([...StoreSuite.testNames].sort())
    expect(new Set(capabilities.map((c) => c.title)).size).toBe(capabilities.length)
  })
})
