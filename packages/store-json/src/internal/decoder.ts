/**
 * Record decoders for reading a whole file, several times faster than decoding each record
 * with its class schema as one unit, and accepting exactly the same inputs.
 *
 * A record class is a struct of fields followed by the class constructor. The fast path
 * walks the struct itself: every field value is decoded with that field's own schema (so
 * every record is still checked by the schemas, field by field), results of fields that
 * decode a primitive to a primitive are memoised (a book repeats its id, partner ids,
 * statuses and kinds thousands of times), and the instance is built from the decoded fields
 * the way the class constructor builds it (see {@link isPlainClass}). Anything the fast
 * path does not handle exactly like the class schema, and every failure, goes to the class
 * schema's own decoder, so the accepted inputs, the decoded values and the error (path and
 * message) are the schema's. `format.test.ts` checks the equivalence on generated and
 * mutated records. {@link makeEncoder} is the same for encoding.
 *
 * @internal
 */
import { Either, ParseResult, Schema, type SchemaAST } from "effect"

type Decode = (u: unknown) => Either.Either<unknown, ParseResult.ParseError>

interface Step {
  readonly key: string
  readonly optional: boolean
  /** Whether the key is also a property of `Object.prototype` (`constructor`, `toString`...). */
  readonly inherited: boolean
  readonly decode: (u: unknown) => Either.Either<unknown, ParseResult.ParseIssue>
  readonly encode: (u: unknown) => Either.Either<unknown, ParseResult.ParseIssue>
  /** Primitive input -> primitive output (or a Date), while it pays. */
  memo: Map<unknown, unknown> | undefined
  hits: number
  misses: number
}

/** How many distinct values a field memoises before it stops adding. */
const MEMO_LIMIT = 4_096

const options: SchemaAST.ParseOptions = { errors: "first", onExcessProperty: "error" }

/** A record class of core: a `Schema.Class`, with its `fields`. */
export type RecordClass = Schema.Schema.AnyNoContext & { readonly fields: Schema.Struct.Fields }

type Constructor = new (props: unknown, options: { readonly disableValidation: true }) => unknown

const stepsOf = (fields: Schema.Struct.Fields): ReadonlyArray<Step> | undefined => {
  const steps: Array<Step> = []
  for (const key of Object.keys(fields)) {
    const field = fields[key]!
    let ast: SchemaAST.AST
    let optional = false
    if (Schema.isPropertySignature(field)) {
      const ps = field.ast
      // Only plain `Schema.optional(X)`: no renaming, no default, no transformation.
      if (ps._tag !== "PropertySignatureDeclaration" || ps.defaultValue !== undefined || !ps.isOptional) {
        return undefined
      }
      ast = ps.type
      optional = true
    } else {
      ast = (field as Schema.Schema.Any).ast
    }
    const parse = ParseResult.decodeUnknownEither(Schema.make(ast))
    const unparse = ParseResult.encodeUnknownEither(Schema.make(ast))
    steps.push({
      key,
      optional,
      inherited: key in Object.prototype,
      decode: (u) => parse(u, options),
      encode: (u) => unparse(u, options),
      memo: new Map(),
      hits: 0,
      misses: 0
    })
  }
  return steps
}

/**
 * Whether instances of a record class can be built without calling its constructor, as
 * `Object.assign(Object.create(Class.prototype), fields)`: the class is declared directly on
 * the class that `Schema.Class` generates and declares nothing of its own (no constructor, no
 * fields, no methods or getters: bundlers may add a static block naming the class, which does
 * not matter), and its schema adds no default. The constructor of a `Schema.Class` then only
 * copies the fields onto the new instance; skipping it saves a third of the time of decoding
 * a large book. Any doubt: `false`, and the constructor is used.
 */
export const isPlainClass = (Class: Constructor): boolean => {
  try {
    const prototype = Class.prototype as object
    if (Object.getOwnPropertySymbols(prototype).length > 0) return false
    const names = Object.getOwnPropertyNames(prototype)
    if (names.length !== 1 || names[0] !== "constructor") return false
    const parent = Object.getPrototypeOf(prototype) as object | null
    const generated =
      parent !== null &&
      Object.getOwnPropertySymbols(parent).some((symbol) =>
        String(symbol).startsWith("Symbol(effect/Schema/Class/")
      )
    if (!generated) return false
    if (/\bconstructor\s*\(/.test(Function.prototype.toString.call(Class))) return false
    return Reflect.ownKeys(new Class({}, { disableValidation: true }) as object).length === 0
  } catch {
    return false
  }
}

/**
 * The decoder of a record class: the fast path described above, or the class schema's own
 * decoder when the class has fields the fast path does not handle.
 */
export const make = (schema: RecordClass): Decode => {
  const full: Decode = Schema.decodeUnknownEither(schema, options)
  const Class = schema as unknown as Constructor
  const prototype = Class.prototype as object
  // A plain class: the fields go straight onto the new instance. Otherwise into an object
  // handed to the constructor.
  const plain = isPlainClass(Class)
  const steps = stepsOf(schema.fields)
  if (steps === undefined) return full
  return (u) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return full(u)
    const input = u as Record<string, unknown>
    const props: Record<string, unknown> = plain ? Object.create(prototype) : {}
    let present = 0
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      // JSON has no `undefined`: an undefined value is an absent key.
      const value = step.inherited && !Object.hasOwn(input, step.key) ? undefined : input[step.key]
      if (value === undefined) {
        if (step.optional) continue
        return full(u)
      }
      present++
      const memo = step.memo
      const primitive = memo !== undefined && (typeof value === "string" || typeof value === "number")
      if (primitive) {
        const known = memo.get(value)
        if (known !== undefined) {
          step.hits++
          props[step.key] = typeof known === "object" ? new Date((known as Date).getTime()) : known
          continue
        }
      }
      const decoded = step.decode(value)
      if (Either.isLeft(decoded)) return full(u)
      const result = decoded.right
      if (primitive) {
        if (memo.size < MEMO_LIMIT) {
          // A Date is kept as a copy (the record's own may be changed by its user).
          if (result instanceof Date) memo.set(value, new Date(result.getTime()))
          else if (typeof result !== "object") memo.set(value, result)
        }
        // Values that never repeat (ids, notes): stop looking them up.
        if (++step.misses > 1_000 && step.hits < step.misses) step.memo = undefined
      }
      props[step.key] = result
    }
    // A key that is not a field (an excess property, `__proto__` included): the schema decides.
    let keys = 0
    for (const key in input) if (Object.hasOwn(input, key)) keys++
    if (keys !== present) return full(u)
    return Either.right(plain ? props : new Class(props, { disableValidation: true }))
  }
}

type Encode = (record: unknown) => unknown

/**
 * The encoder of a record class, the mirror of {@link make}: each field encoded with its own
 * schema (which checks it on the way), primitive results memoised, the fields in schema
 * order; the class schema's own `encodeSync` for anything else (and its error).
 */
export const makeEncoder = (schema: RecordClass): Encode => {
  const full = Schema.encodeSync(schema, options) as Encode
  const steps = stepsOf(schema.fields)
  const Class = schema as unknown as Constructor
  if (steps === undefined) return full
  const memos = steps.map(() => new Map<unknown, unknown>())
  const open = steps.map(() => true)
  return (record) => {
    if (!(record instanceof Class)) return full(record)
    const input = record as unknown as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      const value = step.inherited && !Object.hasOwn(input, step.key) ? undefined : input[step.key]
      if (value === undefined) {
        if (step.optional) continue
        return full(record)
      }
      const memo = memos[i]!
      const primitive = open[i] && (typeof value === "string" || typeof value === "number")
      if (primitive) {
        const known = memo.get(value)
        if (known !== undefined) {
          out[step.key] = known
          continue
        }
      }
      const encoded = step.encode(value)
      if (Either.isLeft(encoded)) return full(record)
      if (primitive && typeof encoded.right !== "object") {
        if (memo.size < MEMO_LIMIT) memo.set(value, encoded.right)
        else open[i] = false
      }
      out[step.key] = encoded.right
    }
    return out
  }
}
