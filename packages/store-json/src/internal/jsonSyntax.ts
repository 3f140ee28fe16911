/**
 * Where a JSON text is broken: a small validating scanner that finds the first syntax error,
 * and its line and column (Node's `JSON.parse` messages do not always carry a position).
 *
 * @internal
 */

/** Where a JSON syntax error is: 1-based line and column of the first offending character. */
export interface Position {
  readonly line: number
  readonly column: number
}

export const positionOf = (text: string, offset: number): Position => {
  let line = 1
  let start = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}

/**
 * The offset of the first JSON syntax error in `text` (`text.length` when it ends early),
 * found by a small validating scanner: Node's `JSON.parse` messages do not always carry a
 * position. Used only after `JSON.parse` failed; `undefined` if the scanner finds nothing
 * (or the nesting is too deep for it).
 */
export const syntaxErrorOffset = (text: string): number | undefined => {
  let i = 0
  const fail = (at: number): never => {
    throw new SyntaxAt(at)
  }
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
  }
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k)
    i += word.length
  }
  const string = () => {
    i++
    while (true) {
      if (i >= text.length) fail(i)
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail(i)
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === undefined) fail(i + 1)
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(Math.min(i + 2, text.length))
          i += 6
        } else if ('"\\/bfnrt'.includes(e!)) i += 2
        else fail(i + 1)
      } else i++
    }
  }
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (m === null || m[0] === "" || m[0] === "-") fail(i + (m?.[0].length ?? 0))
    i += m![0].length
  }
  const value = (): void => {
    ws()
    if (i >= text.length) fail(i)
    const c = text[i]
    if (c === "{") {
      i++
      ws()
      if (text[i] === "}") {
        i++
        return
      }
      while (true) {
        ws()
        if (text[i] !== '"') fail(i)
        string()
        ws()
        if (text[i] !== ":") fail(i)
        i++
        value()
        ws()
        if (text[i] === ",") {
          i++
          continue
        }
        if (text[i] === "}") {
          i++
          return
        }
        fail(i)
      }
    } else if (c === "[") {
      i++
      ws()
      if (text[i] === "]") {
        i++
        return
      }
      while (true) {
        value()
        ws()
        if (text[i] === ",") {
          i++
          continue
        }
        if (text[i] === "]") {
          i++
          return
        }
        fail(i)
      }
    } else if (c === '"') string()
    else if (c === "t") literal("true")
    else if (c === "f") literal("false")
    else if (c === "n") literal("null")
    else number()
  }
  try {
    value()
    ws()
    if (i < text.length) fail(i)
    return undefined
  } catch (error) {
    if (error instanceof SyntaxAt) return Math.min(error.at, text.length)
    return undefined
  }
}

class SyntaxAt {
  constructor(readonly at: number) {}
}
