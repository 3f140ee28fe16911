/**
 * @since 0.1.0
 */
export * as Arbitraries from "./Arbitraries.js"
/**
 * @since 0.2.0
 */
export * as HostileSuite from "./HostileSuite.js"
/**
 * @since 0.1.0
 */
export * as Model from "./Model.js"
/**
 * @since 0.1.0
 */
export * as StoreSuite from "./StoreSuite.js"
/**
 * Registers the Store conformance suite for an adapter (see `StoreSuite.suite`).
 *
 * @since 0.1.0
 * @category suites
 */
export { suite } from "./StoreSuite.js"
