// Copies every ```ts block of the READMEs, verbatim, into <out>/NN-<readme>.ts, so that the
// consumer smoke test type-checks them against the installed packages and runs them.
// Blocks that import a relative path (`../src/index.js`: a template for an adapter's own
// test, not a program) are listed and skipped.
// Usage: node extract-readme.mjs <repo root> <out folder>
import * as fs from "node:fs"
import * as path from "node:path"

const [root, out] = process.argv.slice(2)
if (!root || !out) throw new Error("usage: node extract-readme.mjs <repo root> <out folder>")
const readmes = [
  "README.md",
  ...fs
    .readdirSync(path.join(root, "packages"))
    .map((name) => path.join("packages", name, "README.md"))
    .filter((file) => fs.existsSync(path.join(root, file)))
]
fs.mkdirSync(out, { recursive: true })
let n = 0
for (const readme of readmes) {
  const text = fs.readFileSync(path.join(root, readme), "utf8")
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1]
    const line = text.slice(0, match.index).split("\n").length
    if (/from\s+["']\.{1,2}\//.test(code)) {
      console.log(`skipped ${readme}:${line} (imports a relative path)`)
      continue
    }
    n += 1
    const name = `${String(n).padStart(2, "0")}-${readme.replace(/[/.]/g, "-")}-${line}.ts`
    // `export {}` makes every block a module (top-level await, no clashing names).
    fs.writeFileSync(path.join(out, name), `${code}\nexport {}\n`)
    console.log(`extracted ${readme}:${line} -> ${name}`)
  }
}
if (n === 0) throw new Error("no ts code block found in the READMEs")
