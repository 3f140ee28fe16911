// Type-checks every `@example` of the packages' JSDoc (what the API reference shows): each
// block is copied into examples/.jsdoc-examples/<module>-<n>.ts and the folder is compiled
// with the repository's strict settings, the packages resolved to their sources. An example
// that imports a relative path (a template for an adapter's own files) is listed and skipped.
// Usage: node scripts/ci/check-jsdoc-examples.mjs
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")
const out = path.join(root, "examples", ".jsdoc-examples")
fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? walk(full) : e.name.endsWith(".ts") ? [full] : []
  })

let count = 0
for (const pkg of fs.readdirSync(path.join(root, "packages"))) {
  const src = path.join(root, "packages", pkg, "src")
  if (!fs.existsSync(src)) continue
  for (const file of walk(src)) {
    const text = fs.readFileSync(file, "utf8")
    for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const lines = comment[1].split("\n").map((l) => l.replace(/^\s*\* ?/, ""))
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith("@example")) continue
        const body = []
        for (let j = i + 1; j < lines.length && !lines[j].startsWith("@"); j++) body.push(lines[j])
        const code = body.filter((l) => !/^```/.test(l.trim())).join("\n")
        const where = `${path.relative(root, file)}:${text.slice(0, comment.index).split("\n").length}`
        if (/from\s+["']\.{1,2}\//.test(code)) {
          console.log(`skipped ${where} (imports a relative path)`)
          continue
        }
        count += 1
        const name = `${pkg}-${path.basename(file, ".ts")}-${count}.ts`
        fs.writeFileSync(path.join(out, name), `// ${where}\n${code}\nexport {}\n`)
      }
    }
  }
}
if (count === 0) throw new Error("no @example found")

fs.writeFileSync(
  path.join(out, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: { composite: false, noEmit: true, noUnusedLocals: false, rootDir: "." },
      include: ["*.ts"]
    },
    null,
    2
  )
)
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
execFileSync(process.execPath, [tsc, "-p", out], { stdio: "inherit" })
console.log(`${count} @example blocks type-check`)
