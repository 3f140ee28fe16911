/**
 * Rows from a spreadsheet or a CRM export: a CSV parser (quoted fields, embedded new lines,
 * doubled quotes, a byte-order mark, `,` `;` or tab detected from the header line), the
 * common header names of partners, referrals and interactions, and an all-or-nothing import:
 * every row is checked first, and only then are they written, in one store transaction.
 * Every error names the line and the column.
 *
 * @example
 * import { Csv } from "@partnerbook/core"
 *
 * const table = Csv.parse("Full Name;Company\nDana Smith;Smith CPA\n")
 * // table.header: ["Full Name", "Company"], table.rows[0].cells: ["Dana Smith", "Smith CPA"]
 *
 * @since 0.2.0
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import type { InvalidInput } from "./InvalidInput.js"
import type { PartnerId } from "./Partner.js"
import * as Partnerbook from "./Partnerbook.js"
import * as Profession from "./Profession.js"
import type { Status } from "./Referral.js"
import * as Store from "./Store.js"

/**
 * A CSV file that cannot be read or a row that cannot be imported. `line` is the 1-based line
 * of the file (a quoted field may span lines: the line where the problem is), `column` the
 * 1-based column, `0` when the problem is about the whole row or file.
 *
 * @since 0.2.0
 * @category errors
 */
export class CsvError extends Schema.TaggedError<CsvError>("@partnerbook/core/CsvError")("CsvError", {
  line: Schema.Number,
  column: Schema.Number,
  message: Schema.String
}) {}

/**
 * One record of the file: its cells and the line it starts on.
 *
 * @since 0.2.0
 * @category models
 */
export interface Row {
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

/**
 * A parsed file: the header row and the data rows (blank lines skipped).
 *
 * @since 0.2.0
 * @category models
 */
export interface Table {
  readonly delimiter: Delimiter
  readonly header: ReadonlyArray<string>
  readonly headerLine: number
  readonly rows: ReadonlyArray<Row>
}

/**
 * The field separators the parser knows.
 *
 * @since 0.2.0
 * @category models
 */
export type Delimiter = "," | ";" | "\t"

const delimiters: ReadonlyArray<Delimiter> = [",", ";", "\t"]

/**
 * The separator of the first line: the one of `,`, `;` and tab that occurs most often outside
 * quotes (`,` when none does).
 *
 * @since 0.2.0
 * @category parsing
 */
export const detectDelimiter = (text: string): Delimiter => {
  const counts = new Map<string, number>()
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') quoted = !quoted
    else if (!quoted && (c === "\n" || c === "\r")) break
    else if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  let best: Delimiter = ","
  for (const d of delimiters) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d
  return best
}

/**
 * Parses CSV text (RFC 4180, plus `;` and tab separators and a leading byte-order mark). The
 * first non-blank record is the header. Fails with a {@link CsvError} naming the line and the
 * column: an unterminated quote, text after a closing quote, a row with more cells than the
 * header, an empty or duplicate header.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parse = (
  input: string,
  options: { readonly delimiter?: Delimiter } = {}
): Either.Either<Table, CsvError> => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const delimiter = options.delimiter ?? detectDelimiter(text)
  const records: Array<Row> = []
  let line = 1
  let i = 0
  const fail = (l: number, column: number, message: string) =>
    Either.left(new CsvError({ line: l, column, message: `line ${l}, column ${column}: ${message}` }))
  while (i < text.length) {
    const start = line
    const cells: Array<string> = []
    let cell = ""
    for (;;) {
      if (text[i] === '"') {
        const quoteLine = line
        i++
        for (;;) {
          if (i >= text.length) return fail(quoteLine, cells.length + 1, "a quoted field is never closed")
          const c = text[i]!
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (c === "\n") line++
          if (c === "\r" && text[i + 1] !== "\n") line++
          cell += c
          i++
        }
        const next = text[i]
        if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
          return fail(line, cells.length + 1, `unexpected ${JSON.stringify(next)} after a closing quote`)
        }
      } else {
        while (i < text.length) {
          const c = text[i]!
          if (c === delimiter || c === "\n" || c === "\r") break
          if (c === '"') {
            return fail(line, cells.length + 1, "a quote inside an unquoted field (quote the whole field)")
          }
          cell += c
          i++
        }
      }
      cells.push(cell)
      cell = ""
      if (text[i] === delimiter) {
        i++
        continue
      }
      if (text[i] === "\r") i++
      if (text[i] === "\n") i++
      line++
      break
    }
    if (!(cells.length === 1 && cells[0]!.trim() === "")) records.push({ line: start, cells })
  }
  const [head, ...rows] = records
  if (head === undefined) return fail(1, 0, "the file is empty: expected a header line")
  const header = head.cells.map((h) => h.trim())
  const seen = new Map<string, number>()
  for (const [index, name] of header.entries()) {
    if (name === "") return fail(head.line, index + 1, "the header has an empty column name")
    const key = name.toLowerCase()
    if (seen.has(key)) return fail(head.line, index + 1, `the header names ${JSON.stringify(name)} twice`)
    seen.set(key, index)
  }
  for (const row of rows) {
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim() !== "")) {
      return fail(
        row.line,
        header.length + 1,
        `${row.cells.length} cells but the header has ${header.length} columns`
      )
    }
  }
  return Either.right({ delimiter, header, headerLine: head.line, rows })
}

// ---------------------------------------------------------------------------------------
// Fields and header names
// ---------------------------------------------------------------------------------------

/**
 * What a file holds: one import creates records of one kind.
 *
 * @since 0.2.0
 * @category models
 */
export type Entity = "partners" | "referrals" | "interactions"

/**
 * The kinds of records a CSV import creates.
 *
 * @since 0.2.0
 * @category constants
 */
export const entities: ReadonlyArray<Entity> = ["partners", "referrals", "interactions"]

/**
 * The fields each kind of row can fill, and the header names recognised for each
 * (compared without case, spaces or punctuation: "Full Name", "full_name" and "FULLNAME" are
 * the same). `firstName` and `lastName` are joined into the partner's name.
 *
 * @since 0.2.0
 * @category constants
 */
export const headerNames: Readonly<Record<Entity, Readonly<Record<string, ReadonlyArray<string>>>>> = {
  partners: {
    id: ["id", "partnerid"],
    name: ["name", "fullname", "contact", "contactname", "partner", "partnername", "displayname"],
    firstName: ["firstname", "givenname", "first"],
    lastName: ["lastname", "surname", "familyname", "last"],
    profession: ["profession", "occupation", "jobtitle", "title", "role", "specialty", "speciality"],
    organization: ["organization", "organisation", "company", "companyname", "firm", "business", "employer"],
    kind: ["kind", "partnerkind", "relationship"],
    stage: ["stage", "status"],
    alignment: ["alignment", "overlap", "clientoverlap"],
    cadenceDays: ["cadencedays", "cadence", "checkinevery", "checkindays"],
    tags: ["tags", "tag", "labels", "groups"],
    notes: ["notes", "note", "comments", "comment", "description"],
    createdAt: ["createdat", "created", "dateadded", "added", "since"]
  },
  referrals: {
    id: ["id", "referralid"],
    partner: ["partner", "partnerid", "partnername", "referrer", "referredby", "referredto", "contact"],
    direction: ["direction", "way", "type"],
    client: ["client", "clientlabel", "clientname", "referredclient", "lead", "customer"],
    date: ["date", "referraldate", "referredon", "created", "createdat"],
    value: ["value", "amount", "revenue", "dealvalue"],
    fee: ["fee", "referralfee"],
    status: ["status", "outcome", "stage"],
    notes: ["notes", "note", "comments", "comment", "description"]
  },
  interactions: {
    id: ["id", "interactionid"],
    partner: ["partner", "partnerid", "partnername", "contact", "contactname", "with"],
    kind: ["kind", "type", "activity", "activitytype", "interaction"],
    date: ["date", "when", "activitydate", "createdat"],
    positive: ["positive", "sentiment", "wentwell", "mood"],
    notes: ["notes", "note", "comments", "comment", "description", "subject"]
  }
}

const normalise = (header: string): string =>
  header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")

/**
 * Which column fills which field: the `map` (`{ "Column header": "field" }`) first, then the
 * recognised header names. Columns that fill no field are ignored.
 *
 * @since 0.2.0
 * @category parsing
 */
export const columns = (
  entity: Entity,
  table: Pick<Table, "header" | "headerLine">,
  map: Readonly<Record<string, string>> = {}
): Either.Either<ReadonlyMap<string, number>, CsvError> => {
  const fields = headerNames[entity]
  const result = new Map<string, number>()
  const mapped = new Set<number>()
  for (const [column, field] of Object.entries(map)) {
    if (!(field in fields)) {
      return Either.left(
        new CsvError({
          line: 0,
          column: 0,
          message: `--map ${column}=${field}: ${entity} have no field ${JSON.stringify(field)} (fields: ${Object.keys(fields).join(", ")})`
        })
      )
    }
    const index = table.header.findIndex((h) => h.toLowerCase() === column.trim().toLowerCase())
    if (index < 0) {
      return Either.left(
        new CsvError({
          line: table.headerLine,
          column: 0,
          message: `--map ${column}=${field}: the header has no column ${JSON.stringify(column)} (columns: ${table.header.join(", ")})`
        })
      )
    }
    result.set(field, index)
    mapped.add(index)
  }
  for (const [field, names] of Object.entries(fields)) {
    if (result.has(field)) continue
    const index = table.header.findIndex((h, i) => !mapped.has(i) && names.includes(normalise(h)))
    if (index >= 0) {
      result.set(field, index)
      mapped.add(index)
    }
  }
  const required: Record<Entity, ReadonlyArray<ReadonlyArray<string>>> = {
    partners: [["name", "firstName", "lastName"], ["profession"]],
    referrals: [["partner"], ["direction"]],
    interactions: [["partner"], ["kind"]]
  }
  for (const anyOf of required[entity]) {
    if (!anyOf.some((f) => result.has(f))) {
      return Either.left(
        new CsvError({
          line: table.headerLine,
          column: 0,
          message: `line ${table.headerLine}: no column for ${entity} field ${JSON.stringify(anyOf[0])} (recognised headers: ${fields[anyOf[0]!]!.join(", ")}; or name it with --map COLUMN=${anyOf[0]})`
        })
      )
    }
  }
  return Either.right(result)
}

// ---------------------------------------------------------------------------------------
// Rows to commands
// ---------------------------------------------------------------------------------------

/**
 * What an import wrote.
 *
 * @since 0.2.0
 * @category models
 */
export interface Summary {
  readonly book: string
  readonly entity: Entity
  readonly partners: number
  readonly referrals: number
  readonly interactions: number
}

/**
 * Options of {@link importCsv}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ImportOptions {
  /** Column header to field, over the recognised names: `{ "Referral Partner": "partner" }`. */
  readonly map?: Readonly<Record<string, string>>
  /** Called after each row is written, with the rows done and the total. */
  readonly onProgress?: (done: number, total: number) => void
  /** Profession labels to recognise ("CPA" -> `cpa`). Default: the default taxonomy. */
  readonly taxonomy?: Profession.Taxonomy
}

type Command =
  | { readonly row: Row; readonly kind: "partner"; readonly input: Partnerbook.AddPartner }
  | {
      readonly row: Row
      readonly kind: "referral"
      readonly direction: "given" | "received"
      readonly input: Partnerbook.LogReferral
      readonly status: Status | undefined
    }
  | { readonly row: Row; readonly kind: "interaction"; readonly input: Partnerbook.LogInteraction }

interface Cell {
  readonly value: string
  readonly column: number
}

const rowError = (row: Row, column: number, header: string | undefined, problem: string): CsvError =>
  new CsvError({
    line: row.line,
    column,
    message: `line ${row.line}, column ${column}${header === undefined ? "" : ` (${header})`}: ${problem}`
  })

const professionOf = (taxonomy: Profession.Taxonomy, text: string): string => {
  const key = normalise(text)
  const known = taxonomy.professions.find((p) => normalise(p.label) === key || normalise(p.id) === key)
  if (known !== undefined) return known.id
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
}

const directions: Record<string, "given" | "received"> = {
  given: "given",
  give: "given",
  gave: "given",
  sent: "given",
  out: "given",
  outgoing: "given",
  made: "given",
  received: "received",
  receive: "received",
  got: "received",
  in: "received",
  incoming: "received"
}

const booleans: Record<string, boolean> = {
  yes: true,
  y: true,
  true: true,
  "1": true,
  positive: true,
  good: true,
  "+": true,
  no: false,
  n: false,
  false: false,
  "0": false,
  negative: false,
  bad: false,
  "-": false
}

const issueOf = (error: ParseResult.ParseError): { readonly field: string; readonly message: string } => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return { field: String(issue?.path[0] ?? ""), message: issue?.message ?? error.message }
}

/**
 * Turns the rows of a table into validated commands, or the first row's error naming its line
 * and column. `partners` resolves the `partner` column of referrals and interactions: an id,
 * or a name that exactly one partner has (case-insensitive).
 */
const commands = (
  entity: Entity,
  table: Table,
  fields: ReadonlyMap<string, number>,
  partners: ReadonlyArray<{ readonly id: PartnerId; readonly name: string }>,
  taxonomy: Profession.Taxonomy
): Either.Either<ReadonlyArray<Command>, CsvError> => {
  const byId = new Map(partners.map((p) => [p.id as string, p.id] as const))
  const byName = new Map<string, Array<PartnerId>>()
  for (const p of partners) {
    const key = p.name.trim().toLowerCase()
    byName.set(key, [...(byName.get(key) ?? []), p.id])
  }
  const decimalComma = table.delimiter === ";"
  const out: Array<Command> = []
  try {
    for (const row of table.rows) out.push(command(row))
  } catch (error) {
    if (error instanceof CsvError) return Either.left(error)
    throw error
  }
  return Either.right(out)

  function command(row: Row): Command {
    const cell = (field: string): Cell | undefined => {
      const index = fields.get(field)
      if (index === undefined) return undefined
      const value = (row.cells[index] ?? "").trim()
      return value === "" ? undefined : { value, column: index + 1 }
    }
    const at = (field: string): Cell => cell(field) ?? { value: "", column: (fields.get(field) ?? -1) + 1 }
    const fail = (c: Cell, problem: string): never => {
      throw rowError(row, c.column, c.column === 0 ? undefined : table.header[c.column - 1], problem)
    }
    const number = (field: string): number | undefined => {
      const c = cell(field)
      if (c === undefined) return undefined
      const text = (decimalComma ? c.value.replace(",", ".") : c.value).replace(/^[$€£]/, "")
      const n = Number(text)
      return text === "" || !Number.isFinite(n)
        ? fail(c, `${field}: expected a number, got ${JSON.stringify(c.value)}`)
        : n
    }
    const partnerOf = (): PartnerId => {
      const c = at("partner")
      if (c.value === "") return fail(c, "partner: empty")
      const id = byId.get(c.value)
      if (id !== undefined) return id
      const named = byName.get(c.value.toLowerCase()) ?? []
      if (named.length === 1) return named[0]!
      return named.length === 0
        ? fail(
            c,
            `partner: no partner with the id or name ${JSON.stringify(c.value)} (import the partners first)`
          )
        : fail(
            c,
            `partner: ${named.length} partners are named ${JSON.stringify(c.value)}: use their ids (${named.join(", ")})`
          )
    }
    const check = (schema: Schema.Schema.AnyNoContext, input: unknown, ofField: (f: string) => string) => {
      const result = Schema.decodeUnknownEither(schema)(input)
      if (Either.isLeft(result)) {
        const issue = issueOf(result.left)
        fail(at(ofField(issue.field)), `${ofField(issue.field)}: ${issue.message}`)
      }
    }
    const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
      (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
    const text = (field: string) => cell(field)?.value
    if (entity === "partners") {
      const name =
        text("name") ?? [text("firstName"), text("lastName")].filter((x) => x !== undefined).join(" ")
      const profession = cell("profession")
      const tags = text("tags")
        ?.split(/[,;|]/)
        .map((t) => t.trim())
        .filter((t) => t !== "")
      const input: Partnerbook.AddPartner = {
        name,
        profession: profession === undefined ? "" : professionOf(taxonomy, profession.value),
        ...optional("id", text("id")),
        ...optional("organization", text("organization")),
        ...optional("kind", text("kind")?.toLowerCase() as Partnerbook.AddPartner["kind"]),
        ...optional(
          "stage",
          text("stage")?.toLowerCase().replace(/\s+/g, "-") as Partnerbook.AddPartner["stage"]
        ),
        ...optional("alignment", number("alignment")),
        ...optional("cadenceDays", number("cadenceDays")),
        ...optional("tags", tags),
        ...optional("notes", text("notes")),
        ...optional("createdAt", text("createdAt"))
      }
      check(Partnerbook.AddPartner, input, (f) => (f === "name" && !fields.has("name") ? "firstName" : f))
      return { row, kind: "partner", input }
    }
    if (entity === "referrals") {
      const partnerId = partnerOf()
      const d = at("direction")
      const direction = directions[d.value.toLowerCase()]
      if (direction === undefined) {
        return fail(d, `direction: expected given or received, got ${JSON.stringify(d.value)}`)
      }
      const s = cell("status")
      const status = s?.value.toLowerCase().replace(/\s+/g, "-")
      if (s !== undefined && !["introduced", "contacted", "engaged", "not-engaged"].includes(status!)) {
        fail(
          s,
          `status: expected introduced, contacted, engaged or not-engaged, got ${JSON.stringify(s.value)}`
        )
      }
      const input: Partnerbook.LogReferral = {
        partnerId,
        ...optional("id", text("id")),
        ...optional("client", text("client")),
        ...optional("date", text("date")),
        ...optional("value", number("value")),
        ...optional("fee", number("fee")),
        ...optional("notes", text("notes"))
      }
      check(Partnerbook.LogReferral, input, (f) => (f === "partnerId" ? "partner" : f))
      return {
        row,
        kind: "referral",
        direction,
        input,
        status: status === undefined || status === "introduced" ? undefined : (status as Status)
      }
    }
    const partnerId = partnerOf()
    const p = cell("positive")
    const positive = p === undefined ? undefined : booleans[p.value.toLowerCase()]
    if (p !== undefined && positive === undefined) {
      fail(p, `positive: expected yes or no, got ${JSON.stringify(p.value)}`)
    }
    const input: Partnerbook.LogInteraction = {
      partnerId,
      kind: (text("kind")?.toLowerCase().replace(/\s+/g, "-") ?? "") as Partnerbook.LogInteraction["kind"],
      ...optional("id", text("id")),
      ...optional("date", text("date")),
      ...optional("positive", positive),
      ...optional("notes", text("notes"))
    }
    check(Partnerbook.LogInteraction, input, (f) => (f === "partnerId" ? "partner" : f))
    return { row, kind: "interaction", input }
  }
}

/**
 * Imports the rows of a CSV file into a book: partners, referrals (a `direction` column says
 * given or received; a `status` column moves them on) or interactions. Every row is parsed and
 * validated before anything is written; then all are written in one store transaction, so a
 * failure (a duplicate id, a store error) leaves the book as it was. Errors are
 * {@link CsvError}s naming the line and the column.
 *
 * @since 0.2.0
 * @category import
 */
export const importCsv = (
  book: string,
  entity: Entity,
  text: string,
  options: ImportOptions = {}
): Effect.Effect<Summary, CsvError | Partnerbook.PartnerbookError, Partnerbook.Partnerbook | Store.Store> =>
  Effect.gen(function* () {
    if (!entities.includes(entity)) {
      return yield* new CsvError({
        line: 0,
        column: 0,
        message: `expected partners, referrals or interactions, got ${JSON.stringify(entity)}`
      })
    }
    const service = yield* Partnerbook.Partnerbook
    const store = yield* Store.Store
    const table = yield* parse(text)
    const fields = yield* columns(entity, table, options.map)
    const partners = entity === "partners" ? [] : yield* service.listPartners(book)
    const todo = yield* commands(
      entity,
      table,
      fields,
      partners,
      options.taxonomy ?? Profession.defaultTaxonomy
    )
    const write = (command: Command): Effect.Effect<unknown, Partnerbook.PartnerbookError> => {
      switch (command.kind) {
        case "partner":
          return service.addPartner(book, command.input)
        case "interaction":
          return service.logInteraction(book, command.input)
        case "referral": {
          const log = command.direction === "given" ? service.giveReferral : service.receiveReferral
          const status = command.status
          return status === undefined
            ? log(book, command.input)
            : Effect.flatMap(log(book, command.input), (r) =>
                service.moveReferral(
                  book,
                  r.id,
                  status,
                  command.input.date === undefined ? {} : { date: command.input.date }
                )
              )
        }
      }
    }
    yield* store.transaction(
      Effect.forEach(
        todo,
        (command, index) =>
          write(command).pipe(
            Effect.tap(() => Effect.sync(() => options.onProgress?.(index + 1, todo.length))),
            Effect.catchIf(
              (e): e is InvalidInput | Partnerbook.InvalidCommand =>
                e._tag === "InvalidInput" || e._tag === "InvalidCommand",
              (e) => Effect.fail(rowError(command.row, 0, undefined, e.message))
            )
          ),
        { discard: true }
      )
    )
    const n = todo.length
    return {
      book,
      entity,
      partners: entity === "partners" ? n : 0,
      referrals: entity === "referrals" ? n : 0,
      interactions: entity === "interactions" ? n : 0
    }
  })
