/**
 * Keeps the guides in docs/ honest. A guide shows code and output through two markers, each
 * followed by a fenced block:
 *
 *   <!-- example: examples/matrix.ts -->          the whole file
 *   <!-- example: examples/matrix.ts#build -->    the lines between `// #region build` and
 *                                                 `// #endregion` in that file
 *   <!-- output: examples/matrix.ts -->           what running the file prints
 *
 * Paths are relative to the guide. This test runs every `docs/examples/*.ts` (each must exit
 * with 0 and be shown by some output marker) and checks that every block equals the code and
 * the output of today. After changing an example or a rule on purpose, refresh the guides with
 * `UPDATE_DOCS=1 pnpm exec vitest run examples/test/docs.test.ts` and review the diff.
 */
import { execFile } from "node:child_process"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { beforeAll, describe, expect, it } from "vitest"

const run = promisify(execFile)
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const docs = join(root, "docs")
const snippets = join(docs, "examples")
const update = process.env.UPDATE_DOCS === "1"

const guides = readdirSync(docs, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".md") && !f.split(/[\\/]/).includes("node_modules"))
  .sort()
  .map((f) => join(docs, f))

const scripts = readdirSync(snippets)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .sort()
  .map((f) => join(snippets, f))

const MARKER = /^<!--\s*(example|output):\s*([^\s#]+)(?:#([\w-]+))?\s*-->\s*$/

interface Block {
  readonly kind: "example" | "output"
  readonly file: string
  readonly region: string | undefined
  /** Index of the first line inside the fence, and of the closing fence. */
  readonly start: number
  readonly end: number
}

const blocksOf = (guide: string, lines: ReadonlyArray<string>): Array<Block> => {
  const out: Array<Block> = []
  lines.forEach((line, i) => {
    const m = MARKER.exec(line)
    if (m === null) return
    const where = `${relative(root, guide)}:${i + 1}`
    if (!lines[i + 1]?.startsWith("```"))
      throw new Error(`${where}: a marker must be followed by a fenced block`)
    const end = lines.findIndex((l, j) => j > i + 1 && l.startsWith("```"))
    if (end < 0) throw new Error(`${where}: unclosed fenced block`)
    out.push({
      kind: m[1] as "example" | "output",
      file: resolve(dirname(guide), m[2]!),
      region: m[3],
      start: i + 2,
      end
    })
  })
  return out
}

const REGION = /^\s*\/\/ #(region|endregion)\b/

/** The code a marker shows: the file without region markers, or one region of it. */
const codeOf = (file: string, region: string | undefined): string => {
  const lines = readFileSync(file, "utf8").replace(/\n$/, "").split("\n")
  if (region === undefined) return lines.filter((l) => !REGION.test(l)).join("\n")
  const start = lines.findIndex((l) => l.trim() === `// #region ${region}`)
  if (start < 0) throw new Error(`${relative(root, file)}: no region ${region}`)
  const end = lines.findIndex((l, i) => i > start && /^\s*\/\/ #endregion\b/.test(l))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((l) => !REGION.test(l))
    .join("\n")
}

const outputs = new Map<string, string>()

const runSnippet = async (file: string) => {
  const { stdout } = await run(
    process.execPath,
    ["--conditions=@partnerbook/source", "--import", "tsx", file],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      timeout: 120_000
    }
  )
  return stdout.replace(/\n$/, "")
}

describe("docs", () => {
  beforeAll(async () => {
    for (const file of scripts) outputs.set(file, await runSnippet(file))
  })

  it("has examples and guides", () => {
    expect(scripts.length).toBeGreaterThan(0)
    expect(guides.map((g) => relative(docs, g))).toContain("concepts.md")
  })

  for (const guide of guides) {
    it(`${relative(root, guide)} shows the code and the output of today`, () => {
      const lines = readFileSync(guide, "utf8").split("\n")
      const blocks = blocksOf(guide, lines)
      // Replace from the last block up, so that earlier line numbers stay valid.
      const fixed = [...lines]
      for (const block of [...blocks].reverse()) {
        const actual = block.kind === "example" ? codeOf(block.file, block.region) : outputs.get(block.file)
        if (actual === undefined) throw new Error(`${relative(root, block.file)} is not a docs example`)
        fixed.splice(block.start, block.end - block.start, ...(actual === "" ? [] : actual.split("\n")))
      }
      if (update) writeFileSync(guide, fixed.join("\n"))
      else expect(lines.join("\n")).toBe(fixed.join("\n"))
    })
  }

  it("shows the output of every docs example somewhere", () => {
    const shown = new Set(
      guides.flatMap((g) =>
        blocksOf(g, readFileSync(g, "utf8").split("\n"))
          .filter((b) => b.kind === "output")
          .map((b) => b.file)
      )
    )
    for (const file of scripts) expect(shown, relative(root, file)).toContain(file)
  })
})
