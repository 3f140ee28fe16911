import { readdirSync, rmSync, writeFileSync } from "node:fs"
import { library } from "../../tsup.base.js"

// Every module is an entry (`@partnerbook/core/Matrix`, ...) so that the declarations of a
// library built on core can name the types it returns (TS2742). ESM shares code between the
// entries through chunks (esbuild's splitting); CommonJS has no safe splitting, so each module
// file re-exports its namespace from index.cjs: every class exists once per module system.
const modules = readdirSync("src")
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .map((f) => f.slice(0, -3))

export default library({
  entry: ["src/*.ts"],
  onSuccess: async () => {
    for (const name of modules) {
      writeFileSync(`dist/${name}.cjs`, `"use strict"\nmodule.exports = require("./index.cjs").${name}\n`)
      rmSync(`dist/${name}.cjs.map`, { force: true })
    }
  }
})
