/**
 * @since 0.2.0
 */
export * as Cli from "./Cli.js"
/**
 * @since 0.2.0
 */
export * as Digest from "./Digest.js"
/**
 * @since 0.2.0
 */
export * as Ics from "./Ics.js"
/**
 * @since 0.2.0
 */
export * as MatrixSvg from "./MatrixSvg.js"
/**
 * @since 0.2.0
 */
export * as SampleBook from "./SampleBook.js"
/**
 * @since 0.2.0
 */
export * as Target from "./Target.js"
