import { readFileSync } from "node:fs"
import { defineConfig } from "tsup"

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string
}

// One self-contained file per entry: the command starts faster when Node resolves and reads
// one module instead of hundreds (Effect, @effect/cli, the stores). better-sqlite3 stays
// external: it loads a native addon.
export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: false,
  target: "node20",
  tsconfig: "tsconfig.build.json",
  noExternal: [/^(?!better-sqlite3$).*/],
  external: ["better-sqlite3"],
  splitting: true,
  platform: "node",
  define: { __PARTNERBOOK_VERSION__: JSON.stringify(version) },
  esbuildOptions(options) {
    options.conditions = ["@partnerbook/source"]
  },
  banner: ({ format }) =>
    format === "esm"
      ? {
          js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);'
        }
      : {}
})
