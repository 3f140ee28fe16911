/**
 * Turns a schema decoding failure into the words a person would use: the path of the field
 * and "expected a date like 2026-11-23, got \"next tuesday\"" or "expected one of introduced,
 * contacted, engaged, not-engaged, got \"won\"", instead of the schema's internals
 * (`Expected DateFromSelf`, or only the first allowed literal).
 *
 * @internal
 */
import { Option, ParseResult, Schema, SchemaAST } from "effect"

/** What a failure says: the path to the offending field and what is wrong with it. */
export interface Problem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const dateAst = Schema.DateFromSelf.ast

/** Does the schema accept a Date (a `Date` itself, a refinement of it, or a string decoded to it)? */
const isDate = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration":
      return (
        ast === dateAst ||
        SchemaAST.getIdentifierAnnotation(ast).pipe(Option.exists((id) => id.includes("Date")))
      )
    case "Refinement":
      return isDate(ast.from)
    case "Transformation":
      return isDate(ast.to)
    case "Suspend":
      return false
    default:
      return false
  }
}

const isUndefined = (ast: SchemaAST.AST) => ast._tag === "UndefinedKeyword"

/** The members of a union, without the `undefined` of an optional field. */
const membersOf = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> | undefined => {
  const stripped = ast._tag === "Refinement" ? ast.from : ast
  return stripped._tag === "Union" ? stripped.types.filter((t) => !isUndefined(t)) : undefined
}

const show = (value: unknown): string => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : value.toISOString()
  if (typeof value === "string") return JSON.stringify(value)
  if (value === undefined) return "nothing"
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** A string that has the shape of an ISO date, so the date schema's own message is the precise one. */
const looksIso = (value: unknown) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)

/** Says what the union accepts, or `undefined` when the generic message is as good. */
const describeUnion = (members: ReadonlyArray<SchemaAST.AST>, actual: unknown): string | undefined => {
  if (members.length > 0 && members.every(SchemaAST.isLiteral)) {
    const allowed = members.map((m) => String((m as SchemaAST.Literal).literal))
    return `expected one of ${allowed.join(", ")}, got ${show(actual)}`
  }
  if (members.some(isDate) && !looksIso(actual) && !(actual instanceof Date)) {
    return `expected a date like 2026-11-23, got ${show(actual)}`
  }
  return undefined
}

const first = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): Problem => {
  switch (issue._tag) {
    case "Pointer":
      return first(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])])
    case "Composite": {
      const members = membersOf(issue.ast)
      if (members !== undefined) {
        const message = describeUnion(members, issue.actual)
        if (message !== undefined) return { path, message }
      }
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues]
      return issues.length > 0 ? first(issues[0] as ParseResult.ParseIssue, path) : fallback(issue, path)
    }
    case "Type": {
      const members = membersOf(issue.ast)
      const message =
        members !== undefined
          ? describeUnion(members, issue.actual)
          : SchemaAST.isLiteral(issue.ast)
            ? describeUnion([issue.ast], issue.actual)
            : isDate(issue.ast) && !looksIso(issue.actual)
              ? describeUnion([issue.ast], issue.actual)
              : undefined
      return message !== undefined ? { path, message } : fallback(issue, path)
    }
    case "Refinement":
      // A failure of the refined schema itself is walked into; the filter's own message
      // ("between 0 and 1") is the precise one.
      return issue.kind === "From" ? first(issue.issue, path) : fallback(issue, path)
    case "Transformation":
      return issue.kind === "Encoded" ? first(issue.issue, path) : fallback(issue, path)
    default:
      return fallback(issue, path)
  }
}

const fallback = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): Problem => {
  const formatted = ParseResult.ArrayFormatter.formatIssueSync(issue)[0]
  return {
    path: [...path, ...(formatted?.path ?? [])],
    message: formatted?.message ?? ParseResult.TreeFormatter.formatIssueSync(issue)
  }
}

/**
 * The first problem of a decoding failure, in plain words.
 *
 * @internal
 */
export const problemOf = (error: ParseResult.ParseError): Problem => first(error.issue, [])
