/**
 * The conformance suite every Store adapter runs, made of capability suites that can also run
 * one by one (as keyv's test suite does): records, revisions, transactions, external ids, the
 * change feed, the query reads, import and export, the service's CRM commands, and a
 * model-based test against a plain Map. {@link suite} runs them all.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { suite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * suite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.1.0
 */
import type { Store } from "@partnerbook/core"
import type { Layer } from "effect"
import { describe } from "vitest"
import { makeHarness, type Options } from "./internal/storeSuite.js"
import { capabilities } from "./internal/capabilities.js"
export { type CapabilitySuite, type Options, type TestName, testNames } from "./internal/storeSuite.js"

/**
 * Registers the whole conformance suite for an adapter: every capability suite
 * (`recordsSuite`, `revisionsSuite`, `transactionsSuite`, `externalIdsSuite`, `changeFeedSuite`,
 * `readsSuite`, `importExportSuite`, `serviceSuite`, `modelSuite`), each in its own `describe`
 * inside `Store conformance: <name>`. `makeLayer` is called once per test (and once per
 * property run) and must return a fresh, empty, isolated store.
 *
 * @since 0.1.0
 * @category suites
 */
export const suite = (
  name: string,
  makeLayer: () => Layer.Layer<Store.Store, unknown>,
  options: Options = {}
): void => {
  const harness = makeHarness(makeLayer, options)
  describe(`Store conformance: ${name}`, () => {
    for (const capability of capabilities) describe(capability.title, () => capability.register(harness))
  })
}
