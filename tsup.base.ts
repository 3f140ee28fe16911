/**
 * The build every package shares (each packages/<name>/tsup.config.ts calls it): Node 20, the
 * package's tsconfig.build.json, and for a library ESM + CommonJS with source maps in a clean
 * dist (the declarations come from scripts/dts.mjs, not from tsup).
 */
import { defineConfig, type Options } from "tsup"

/** What every build of every package shares, the CLI's included. */
export const base = {
  target: "node20",
  tsconfig: "tsconfig.build.json"
} as const satisfies Options

/** A library: `src/index.ts` unless `options.entry` says otherwise, as ESM and CommonJS. */
export const library = (options: Options = {}) =>
  defineConfig({
    ...base,
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: false,
    clean: true,
    sourcemap: true,
    ...options
  })
