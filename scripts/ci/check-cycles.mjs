// Fails on a circular import between the source files of a package (packages/*/src). Every
// relative `import` / `export ... from` / `import("...")` counts, `import type` and
// `export type` included: a type-only cycle is erased at runtime but still ties two modules
// together (neither can be understood, moved or split without the other), so it is reported
// too, marked `(type)`. Each cycle is printed as a chain of files; the exit code is 1 when
// there is one. The imports are read with the TypeScript parser (no new dependency).
// Usage: node scripts/ci/check-cycles.mjs
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")
const ts = createRequire(path.join(root, "package.json"))("typescript")

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return walk(full)
    return /\.(m|c)?tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [full] : []
  })

/** The file a relative specifier names: `./x.js` is `./x.ts` in the sources, `./dir` its index. */
const resolve = (from, specifier) => {
  const base = path.resolve(path.dirname(from), specifier)
  const stem = base.replace(/\.(m|c)?jsx?$/, "")
  const candidates = [base, ...[".ts", ".tsx", ".mts", ".cts"].map((x) => stem + x)]
  candidates.push(...["index.ts", "index.tsx"].map((x) => path.join(base, x)))
  return candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile())
}

/** The relative imports of a file: `[specifier, typeOnly]`. */
const importsOf = (file) => {
  const text = fs.readFileSync(file, "utf8")
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out = []
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)))
      out.push([node.moduleSpecifier.text, typeOnly])
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named = node.exportClause
      const typeOnly =
        node.isTypeOnly ||
        (named !== undefined &&
          ts.isNamedExports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly))
      out.push([node.moduleSpecifier.text, typeOnly])
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      out.push([node.moduleReference.expression.text, node.isTypeOnly])
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      out.push([node.arguments[0].text, false])
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal
      if (ts.isStringLiteral(literal)) out.push([literal.text, true])
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out.filter(([specifier]) => specifier.startsWith("."))
}

// The graph: file -> Map(file -> typeOnly), a value import winning over a type-only one.
const graph = new Map()
const packages = path.join(root, "packages")
for (const pkg of fs.readdirSync(packages).sort()) {
  const src = path.join(packages, pkg, "src")
  if (!fs.existsSync(src)) continue
  for (const file of walk(src).sort()) {
    const edges = new Map()
    for (const [specifier, typeOnly] of importsOf(file)) {
      const target = resolve(file, specifier)
      if (target === undefined) continue
      edges.set(target, (edges.get(target) ?? true) && typeOnly)
    }
    graph.set(file, edges)
  }
}

// Depth-first search: every edge back to a file on the current path closes a cycle.
const cycles = new Map()
const state = new Map() // 1: on the path, 2: done
const stack = []
const dfs = (file) => {
  state.set(file, 1)
  stack.push(file)
  for (const next of [...(graph.get(file)?.keys() ?? [])].sort()) {
    if (!graph.has(next)) continue
    if (state.get(next) === 1) {
      const chain = stack.slice(stack.indexOf(next))
      // One entry per cycle, whatever file the search entered it by.
      const first = chain.indexOf([...chain].sort()[0])
      const rotated = [...chain.slice(first), ...chain.slice(0, first)]
      cycles.set(rotated.join("\n"), rotated)
    } else if (state.get(next) === undefined) dfs(next)
  }
  stack.pop()
  state.set(file, 2)
}
for (const file of [...graph.keys()].sort()) if (state.get(file) === undefined) dfs(file)

const rel = (f) => path.relative(root, f)
if (cycles.size === 0) {
  console.log(`no import cycle among ${graph.size} source files`)
  process.exit(0)
}
for (const chain of cycles.values()) {
  const steps = chain.map((f, i) => {
    const next = chain[(i + 1) % chain.length]
    return `${rel(f)}\n  -> ${graph.get(f).get(next) ? "(type) " : ""}`
  })
  console.error(`import cycle:\n  ${steps.join("")}${rel(chain[0])}`)
}
console.error(`${cycles.size} import cycle(s) among ${graph.size} source files`)
process.exit(1)
