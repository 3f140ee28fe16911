/**
 * @since 0.1.0
 */
export * as JsonStore from "./JsonStore.js"
