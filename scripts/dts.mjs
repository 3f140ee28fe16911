// Emits the type declarations of a package into dist/ with tsc, for both module systems:
// `X.d.ts` for ESM and `X.d.cts` (relative imports rewritten to `.cjs`) for CommonJS.
//
// tsup's bundled declarations (rollup-plugin-dts) lose one side of a name that is both a type
// and a value under `export * as` (`Store.Store`, `Partner.PartnerId`), so they are not used.
// Run from a package folder: `node ../../scripts/dts.mjs`.
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"

const require = createRequire(import.meta.url)
const tsc = require.resolve("typescript/bin/tsc")
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" })

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

const relative = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']*?)\.js(["'])/g
for (const file of walk("dist")) {
  if (!file.endsWith(".d.ts")) continue
  const source = readFileSync(file, "utf8")
  writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), source.replace(relative, "$1$2.cjs$3"))
}
