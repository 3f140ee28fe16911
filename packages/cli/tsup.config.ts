import { readFileSync } from "node:fs"
import { defineConfig } from "tsup"
import { base } from "../../tsup.base.js"

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string
}

const shared = {
  ...base,
  clean: false,
  sourcemap: false,
  platform: "node",
  define: { __PARTNERBOOK_VERSION__: JSON.stringify(version) },
  esbuildOptions(options: { conditions?: Array<string>; alias?: Record<string, string> }) {
    options.conditions = ["@partnerbook/source"]
    // @effect/cli's config-file parsers, unused here (see src/internal/noFileParsers.ts).
    const stub = new URL("./src/internal/noFileParsers.ts", import.meta.url).pathname
    options.alias = { yaml: stub, toml: stub, ini: stub }
  }
} as const

// The command is one self-contained, minified CommonJS file (main.cjs) that a tiny loader
// (bin.cjs) runs through V8's code cache: a start then reads one file and compiles little.
// better-sqlite3 stays external: it loads a native addon. The library entry (index.js) is ESM.
export default defineConfig([
  {
    ...shared,
    entry: { main: "src/main.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    noExternal: [/^(?!better-sqlite3$|pg-native$).*/],
    // pg-native: the optional native binding of `pg`, which the PostgreSQL store never asks for.
    external: ["better-sqlite3", "pg-native"],
    minify: true,
    shims: true
  },
  {
    ...shared,
    entry: { bin: "src/bin.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" })
  },
  {
    ...shared,
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    esbuildOptions: undefined
  }
])
