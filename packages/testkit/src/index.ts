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
 * Registers the Store conformance suite for an adapter: every capability suite below, each in
 * its own `describe` (see `StoreSuite.suite`).
 *
 * @since 0.1.0
 * @category suites
 */
export { suite } from "./StoreSuite.js"
/**
 * The records capability suite (round trips, not found, invalid data, isolation, queries,
 * books, erase). See `StoreSuite.suite` for the whole suite.
 *
 * @since 0.2.0
 * @category suites
 */
export { recordsSuite } from "./suites/Records.js"
/**
 * The revisions capability suite (optimistic concurrency: stale writes are `RevisionConflict`).
 *
 * @since 0.2.0
 * @category suites
 */
export { revisionsSuite } from "./suites/Revisions.js"
/**
 * The transactions capability suite (atomicity, nested transactions).
 *
 * @since 0.2.0
 * @category suites
 */
export { transactionsSuite } from "./suites/Transactions.js"
/**
 * The external ids capability suite (`externalId` uniqueness, `findByExternalId`, retried creates).
 *
 * @since 0.2.0
 * @category suites
 */
export { externalIdsSuite } from "./suites/ExternalIds.js"
/**
 * The change feed capability suite (`Store.changes`).
 *
 * @since 0.2.0
 * @category suites
 */
export { changeFeedSuite } from "./suites/ChangeFeed.js"
/**
 * The query reads capability suite (window, digest, pending, received, and every read use case).
 *
 * @since 0.2.0
 * @category suites
 */
export { readsSuite } from "./suites/Reads.js"
/**
 * The import and export capability suite.
 *
 * @since 0.2.0
 * @category suites
 */
export { importExportSuite } from "./suites/ImportExport.js"
/**
 * The service capability suite (delete with cascade, merge, search).
 *
 * @since 0.2.0
 * @category suites
 */
export { serviceSuite } from "./suites/Service.js"
/**
 * The model-based capability suite (random command sequences against a Map model).
 *
 * @since 0.2.0
 * @category suites
 */
export { modelSuite } from "./suites/ModelBased.js"
