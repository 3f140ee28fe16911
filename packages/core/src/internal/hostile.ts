/**
 * Checks that run on untrusted input before any Schema sees it: text must be well-formed
 * Unicode (no lone UTF-16 surrogates, which SQLite stores as invalid UTF-8 and a JSON file
 * cannot carry), and nesting is bounded (a Schema error message quotes the value it
 * refused, and formatting a 5,000-deep value overflows the stack).
 */

/** Deeper than any record (a document is about 8 levels deep). */
export const maxDepth = 64

/** What is wrong with an input, and where. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly problem: string
}

const loneSurrogate = /\p{Surrogate}/u

/** The index of the first lone surrogate of `s`, or -1 when it is well-formed Unicode. */
export const loneSurrogateAt = (s: string): number => {
  // `String.prototype.isWellFormed` (Node 20+) answers the common case without a regex.
  const wellFormed = (s as { isWellFormed?: () => boolean }).isWellFormed
  if (wellFormed?.call(s) === true) return -1
  const match = loneSurrogate.exec(s)
  return match === null ? -1 : match.index
}

/** The problem of a string that is not well-formed Unicode, if it is not. */
export const textProblem = (s: string): string | undefined => {
  const at = loneSurrogateAt(s)
  if (at < 0) return undefined
  const unit = s.charCodeAt(at).toString(16).toUpperCase()
  return `expected well-formed Unicode text, found a lone surrogate (U+${unit}) at character ${at}`
}

interface Node {
  readonly value: unknown
  readonly key: string | number
  readonly parent: Node | undefined
  readonly depth: number
}

const pathOf = (node: Node | undefined): Array<string | number> => {
  const path: Array<string | number> = []
  for (let n = node; n !== undefined && n.parent !== undefined; n = n.parent) path.push(n.key)
  return path.reverse()
}

/**
 * The first string (value or key) that is not well-formed Unicode, or the first value nested
 * deeper than {@link maxDepth}; `undefined` when there is none. Iterative: any depth is safe.
 */
export const scan = (input: unknown): Problem | undefined => {
  const stack: Array<Node> = [{ value: input, key: "", parent: undefined, depth: 0 }]
  while (stack.length > 0) {
    const node = stack.pop()!
    const value = node.value
    if (typeof value === "string") {
      const problem = textProblem(value)
      if (problem !== undefined) return { path: pathOf(node), problem }
      continue
    }
    if (typeof value !== "object" || value === null || value instanceof Date) continue
    if (node.depth >= maxDepth) {
      return { path: pathOf(node), problem: `nested more than ${maxDepth} levels deep` }
    }
    const depth = node.depth + 1
    // Pushed in reverse: the first problem reported is the first one written.
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node, depth })
    } else {
      const keys = Object.keys(value)
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!
        const problem = textProblem(key)
        if (problem !== undefined) return { path: [...pathOf(node), key], problem: `the key: ${problem}` }
        stack.push({ value: (value as Record<string, unknown>)[key], key, parent: node, depth })
      }
    }
  }
  return undefined
}
