import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  // Every module is an entry (`@partnerbook/core/Matrix`, ...) so that the declarations of a
  // library built on core can name its types (TS2742); shared code goes into chunks, so each
  // class exists once per module system.
  splitting: true,
  format: ["esm", "cjs"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node20",
  tsconfig: "tsconfig.build.json"
})
