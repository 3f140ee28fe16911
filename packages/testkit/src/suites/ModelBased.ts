/**
 * The model-based capability suite: random command sequences (fast-check `fc.commands`, small
 * id pools so that commands collide, two books) agree with a plain Map model (see `Model`).
 *
 * @since 0.2.0
 */
import { Store } from "@partnerbook/core"
import { Effect, FastCheck as fc, ManagedRuntime } from "effect"
import { A, B, type Capability, type CapabilitySuite, capabilitySuite } from "../internal/storeSuite.js"
import * as Model from "../Model.js"

/** The model capability: its title and its tests. */
export const capability: Capability = {
  title: "model",
  register: ({ makeLayer, numRuns, test }) => {
    test("model - random command sequences agree with a Map model", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(Model.commands([A, B]), { size: "+1", maxCommands: 40 }),
          async (cmds) => {
            const runtime = ManagedRuntime.make(makeLayer())
            try {
              const store = await runtime.runPromise(Store.Store)
              await fc.asyncModelRun(
                () => ({
                  model: Model.empty(),
                  real: { store, run: <X, E>(e: Effect.Effect<X, E>) => runtime.runPromise(Effect.either(e)) }
                }),
                cmds
              )
            } finally {
              await runtime.dispose()
            }
          }
        ),
        { numRuns: Math.max(5, Math.floor(numRuns / 2)) }
      )
    }, 120_000)
  }
}

/**
 * Registers the model-based test for an adapter: random sequences of puts, gets, removes, lists,
 * failing transactions, change feed reads, external id lookups, merges and erasures over two
 * books agree with a Map model.
 *
 * Runs alone, like every capability suite; it touches every capability, so an adapter that
 * implements only some of them leaves this one out.
 *
 * @example
 * // packages/my-store/test/MyStore.test.ts
 * import { modelSuite } from "@partnerbook/testkit"
 * import { MyStore } from "../src/index.js"
 * modelSuite("MyStore", () => MyStore.layer({ path: freshTempPath() }))
 *
 * @since 0.2.0
 * @category suites
 */
export const modelSuite: CapabilitySuite = capabilitySuite(capability)
