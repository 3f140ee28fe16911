/**
 * The `partnerbook` command: every use case of the library from a terminal, on @effect/cli.
 * `partnerbook [--store TARGET] [--book ID] [--json] COMMAND ...`.
 *
 * @since 0.2.0
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Args, type CliApp, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import * as Span from "@effect/cli/HelpDoc/Span"
import {
  Book,
  BookDocument,
  Csv,
  InvalidInput,
  Partnerbook,
  type Referral,
  type Store
} from "@partnerbook/core"
import { Console, Data, Effect, Either, Layer, Option, Schema } from "effect"
import * as Digest from "./Digest.js"
import * as Ics from "./Ics.js"
import { demoAsOf, sampleBook } from "./SampleBook.js"
import * as Reports from "./internal/reports.js"
import { bold, dim, green } from "./internal/text.js"
import * as MatrixSvg from "./MatrixSvg.js"
import * as Target from "./Target.js"

/**
 * The store does not exist yet and the command only reads.
 *
 * @since 0.2.0
 * @category errors
 */
export class NoStore extends Data.TaggedError("NoStore")<{ readonly target: string }> {
  override get message(): string {
    return `No Partnerbook store at ${this.target} yet. Start with: partnerbook init --name "Your Name" --profession cpa (or try: partnerbook demo)`
  }
}

/**
 * A file the command could not read or write.
 *
 * @since 0.2.0
 * @category errors
 */
export class FileError extends Data.TaggedError("FileError")<{
  readonly path: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------
// Global options and the store
// ---------------------------------------------------------------------------------------

const storeOption = Options.text("store").pipe(
  Options.withDescription(
    "Where the book lives: json:FOLDER, postgres://..., sqlite:PATH or a path (default ./partnerbook.db, or $PARTNERBOOK_STORE)."
  ),
  Options.optional
)
const bookOption = Options.text("book").pipe(
  Options.withDescription("The book inside the store (default `default`, or $PARTNERBOOK_BOOK)."),
  Options.optional
)
const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print exactly one JSON document on stdout instead of tables.")
)

const describe = (text: string, ...examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(text),
    ...examples.map((e) => HelpDoc.p(Span.concat(Span.text("Example: "), Span.code(e))))
  ])

const root = Command.make("partnerbook", { store: storeOption, book: bookOption, json: jsonOption })

interface Globals {
  readonly target: Target.Target
  readonly explicitStore: boolean
  readonly book: string
  readonly json: boolean
}

type RootConfig = Command.Command.ParseConfig<{
  store: typeof storeOption
  book: typeof bookOption
  json: typeof jsonOption
}>

const resolveGlobals = (g: RootConfig): Globals => {
  const fromEnv = process.env.PARTNERBOOK_STORE
  const store = Option.getOrElse(g.store, () =>
    fromEnv === undefined || fromEnv === "" ? Target.defaultTarget : fromEnv
  )
  const envBook = process.env.PARTNERBOOK_BOOK
  return {
    target: Target.parse(store),
    explicitStore: Option.isSome(g.store) || (fromEnv !== undefined && fromEnv !== ""),
    book: Option.getOrElse(g.book, () =>
      envBook === undefined || envBook === "" ? Book.defaultBookId : envBook
    ),
    json: g.json
  }
}

const globals: Effect.Effect<Globals, never, Command.Command.Context<"partnerbook">> = Effect.map(
  root,
  resolveGlobals
)

interface Ctx extends Globals {
  readonly service: Partnerbook.Partnerbook
}

/**
 * Runs `body` against the store: `read` commands need an existing store (else a message on
 * how to start); `write` commands create it.
 */
const withBook = <A, E>(
  mode: "read" | "write",
  body: (ctx: Ctx) => Effect.Effect<A, E, Partnerbook.Partnerbook | Store.Store>,
  override?: Partial<Globals>
) =>
  Effect.gen(function* () {
    const g = { ...(yield* globals), ...override }
    if (mode === "read" && !Target.exists(g.target)) {
      return yield* new NoStore({ target: Target.describe(g.target) })
    }
    const layer = Partnerbook.layer.pipe(Layer.provideMerge(Target.layer(g.target)))
    const undo = Target.undoCreation(g.target)
    return yield* Effect.flatMap(Partnerbook.Partnerbook, (service) => body({ ...g, service })).pipe(
      Effect.provide(layer),
      // The store is closed by now: a failed first command leaves no empty store behind.
      Effect.tapError(() => Effect.sync(undo))
    )
  })

const print = (ctx: Pick<Globals, "json">, value: unknown, human: () => string) =>
  Console.log(ctx.json ? JSON.stringify(value, null, 2) : human())

const date = (field: string, text: string): Effect.Effect<Date, InvalidInput.InvalidInput> =>
  Either.match(Schema.decodeUnknownEither(Book.IsoDate)(text), {
    onLeft: () =>
      Effect.fail(
        InvalidInput.make(
          field,
          `expected a date YYYY-MM-DD or an ISO-8601 date-time, got ${JSON.stringify(text)}`
        )
      ),
    onRight: Effect.succeed
  })

const asOfDate = (field: string, value: Option.Option<string>) =>
  Option.match(value, { onNone: () => Effect.succeed(new Date()), onSome: (t) => date(field, t) })

const some = <K extends string, V>(key: K, value: Option.Option<V>): { [P in K]?: V } =>
  (Option.isSome(value) ? { [key]: value.value } : {}) as { [P in K]?: V }

const writeFile = (path: string, content: string) =>
  Effect.try({
    try: () => writeFileSync(path, content),
    catch: (e) =>
      new FileError({ path, reason: e instanceof Error ? e.message.replace(/^[A-Z]+: /, "") : String(e) })
  })

const readFile = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (e) =>
      new FileError({
        path,
        reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(e)
      })
  })

// ---------------------------------------------------------------------------------------
// Options that name themselves in their errors
// ---------------------------------------------------------------------------------------

const invalid = (flag: string, problem: string) =>
  Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${flag}: ${problem}`)))

const isDay = (text: string) => Either.isRight(Schema.decodeUnknownEither(Book.IsoDate)(text))

/** A date option, checked when parsed: `--as-of: expected a date YYYY-MM-DD ..., got "..."`. */
const dateOption = (flag: string, description: string) =>
  Options.text(flag).pipe(
    Options.withDescription(description),
    Options.mapEffect((t) =>
      isDay(t)
        ? Effect.succeed(t)
        : invalid(flag, `expected a date YYYY-MM-DD or an ISO-8601 date-time, got ${JSON.stringify(t)}`)
    ),
    Options.optional
  )

const numberOption = (flag: string, description: string, integer = false) =>
  Options.text(flag).pipe(
    Options.withDescription(description),
    Options.mapEffect((t) => {
      const n = Number(t)
      return t.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))
        ? invalid(flag, `expected ${integer ? "a whole number" : "a number"}, got ${JSON.stringify(t)}`)
        : Effect.succeed(n)
    }),
    Options.optional
  )

const choiceOption = <const A extends string>(flag: string, values: ReadonlyArray<A>, description: string) =>
  Options.text(flag).pipe(
    Options.withDescription(`${description} One of: ${values.join(", ")}.`),
    Options.mapEffect((t) =>
      (values as ReadonlyArray<string>).includes(t)
        ? Effect.succeed(t as A)
        : invalid(flag, `expected one of ${values.join(", ")}, got ${JSON.stringify(t)}`)
    )
  )

// ---------------------------------------------------------------------------------------
// Options shared by commands
// ---------------------------------------------------------------------------------------

const asOf = dateOption("as-of", "The date to look from, YYYY-MM-DD (default today).")
const dateOpt = dateOption("date", "YYYY-MM-DD or ISO-8601 (default today).")
const partnerOpt = Options.text("partner").pipe(
  Options.withDescription("The partner's id (see `partner list`).")
)
const clientLabel = Options.text("client").pipe(
  Options.withDescription("A label for the client (keep personal data out)."),
  Options.optional
)
const valueOpt = numberOption("value", "The business's value.")
const idArg = (name: string) => Args.text({ name }).pipe(Args.withDescription(`The ${name.toLowerCase()}.`))

// ---------------------------------------------------------------------------------------
// init, partner
// ---------------------------------------------------------------------------------------

const init = Command.make(
  "init",
  {
    name: Options.text("name").pipe(Options.withDescription("Your name.")),
    profession: Options.text("profession").pipe(
      Options.withDescription(
        "Your profession id: lower-case words joined by dashes (cpa, estate-planning-attorney)."
      )
    )
  },
  ({ name, profession }) =>
    withBook("write", (ctx) =>
      Effect.flatMap(ctx.service.setProfile(ctx.book, { name, profession }), (p) =>
        print(ctx, p, () =>
          [
            `${green("Saved")} the profile of book ${ctx.book}: ${p.name}, ${p.profession}. Store: ${Target.describe(ctx.target)}`,
            dim('Next: partnerbook partner add --name "Dana Smith" --profession real-estate-agent')
          ].join("\n")
        )
      )
    )
).pipe(
  Command.withDescription(
    describe(
      "Create or update the book's profile (creates the store when it does not exist).",
      'partnerbook init --name "Ana Ruiz" --profession estate-planning-attorney'
    )
  )
)

const kindOpt = choiceOption(
  "kind",
  ["complementary", "peer"],
  "complementary (serves your clients differently) or peer (same profession)."
).pipe(Options.optional)
const alignmentOpt = numberOption("alignment", "Shared ideal clients, 0..1 (set by hand).")
const cadenceOpt = numberOption(
  "cadence-days",
  "Days between check-ins (wins over the default by quadrant).",
  true
)
const organizationOpt = Options.text("organization").pipe(
  Options.withDescription("Their firm."),
  Options.optional
)
const stages = [
  "identified",
  "gave-first",
  "met-one-on-one",
  "ideal-clients-shared",
  "active",
  "dormant",
  "not-a-fit"
] as const

const partnerAdd = Command.make(
  "add",
  {
    name: Options.text("name").pipe(Options.withDescription("The partner's name.")),
    profession: Options.text("profession").pipe(
      Options.withDescription("Their profession id (cpa, real-estate-agent, ...).")
    ),
    kind: kindOpt,
    alignment: alignmentOpt,
    cadenceDays: cadenceOpt,
    organization: organizationOpt
  },
  (o) =>
    withBook("write", (ctx) =>
      Effect.flatMap(
        ctx.service.addPartner(ctx.book, {
          name: o.name,
          profession: o.profession,
          ...some("kind", o.kind),
          ...some("alignment", o.alignment),
          ...some("cadenceDays", o.cadenceDays),
          ...some("organization", o.organization)
        }),
        (p) => print(ctx, p, () => `${green("Added")} ${Reports.partner(p)}`)
      )
    )
).pipe(
  Command.withDescription(
    describe(
      "Add a partner; prints its id.",
      'partnerbook partner add --name "Dana Smith" --profession cpa --alignment 0.8'
    )
  )
)

const partnerList = Command.make("list", {}, () =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.listPartners(ctx.book), (list) =>
      print(ctx, list, () => Reports.partners(list))
    )
  )
).pipe(Command.withDescription(describe("All partners, sorted by name.", "partnerbook partner list")))

const partnerSet = Command.make(
  "set",
  {
    id: idArg("ID"),
    name: Options.text("name").pipe(Options.withDescription("A new name."), Options.optional),
    profession: Options.text("profession").pipe(
      Options.withDescription("A new profession id."),
      Options.optional
    ),
    stage: choiceOption("stage", stages, "The relationship's stage.").pipe(Options.optional),
    kind: kindOpt,
    alignment: alignmentOpt,
    cadenceDays: cadenceOpt,
    organization: organizationOpt,
    notes: Options.text("notes").pipe(Options.withDescription("Replaces the notes."), Options.optional)
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        ctx.service.updatePartner(ctx.book, o.id, {
          ...some("name", o.name),
          ...some("profession", o.profession),
          ...some("stage", o.stage),
          ...some("kind", o.kind),
          ...some("alignment", o.alignment),
          ...some("cadenceDays", o.cadenceDays),
          ...some("organization", o.organization),
          ...some("notes", o.notes)
        }),
        (p) => print(ctx, p, () => `${green("Updated")} ${Reports.partner(p)}`)
      )
    )
).pipe(
  Command.withDescription(
    describe(
      "Change a partner.",
      "partnerbook partner set p-7k2m9q4x --stage met-one-on-one --cadence-days 60"
    )
  )
)

const partnerDelete = Command.make(
  "delete",
  {
    id: idArg("ID"),
    cascade: Options.boolean("cascade").pipe(
      Options.withDescription(
        "Also delete its referrals and interactions (its clients keep no source partner)."
      )
    )
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(ctx.service.deletePartner(ctx.book, o.id, { cascade: o.cascade }), (counts) =>
        print(
          ctx,
          counts,
          () =>
            `${green("Deleted")} partner ${o.id}` +
            (o.cascade
              ? ` with ${counts.referrals} referral(s) and ${counts.interactions} interaction(s)${counts.clients > 0 ? `; ${counts.clients} client(s) now have no source partner` : ""}`
              : "")
        )
      )
    )
).pipe(
  Command.withDescription(
    describe(
      "Delete a partner. A partner with history (referrals, interactions, clients) is refused unless --cascade; to keep the history, merge it into another partner instead.",
      "partnerbook partner delete p-01jd8x --cascade"
    )
  )
)

const partnerMerge = Command.make("merge", { keep: idArg("KEEP"), duplicate: idArg("DUPLICATE") }, (o) =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.mergePartners(ctx.book, o.keep, o.duplicate), (p) =>
      print(ctx, p, () => `${green("Merged")} ${o.duplicate} into ${Reports.partner(p)}`)
    )
  )
).pipe(
  Command.withDescription(
    describe(
      "Merge a duplicate into the partner to keep: its history moves over, empty fields are filled from it, tags are united, and the duplicate is removed.",
      "partnerbook partner merge p-01jd8x p-01jd9q"
    )
  )
)

const partner = Command.make("partner").pipe(
  Command.withDescription(describe("Add, list and change partners.", "partnerbook partner list")),
  Command.withSubcommands([partnerAdd, partnerList, partnerSet, partnerDelete, partnerMerge])
)

// ---------------------------------------------------------------------------------------
// referral, interaction, client
// ---------------------------------------------------------------------------------------

const referralLine = (r: Referral.Referral) =>
  `referral ${bold(r.id)}: ${r.direction} ${r.direction === "given" ? "to" : "from"} ${r.partnerId} on ${r.date.toISOString().slice(0, 10)}, ${r.status}${r.value === undefined ? "" : `, value ${r.value}`}${r.thankedAt === undefined ? "" : `, thanked ${r.thankedAt.toISOString().slice(0, 10)}`}${r.loopClosedAt === undefined ? "" : `, loop closed ${r.loopClosedAt.toISOString().slice(0, 10)}`}`

const logReferral = (direction: "give" | "receive") =>
  Command.make(direction, { partner: partnerOpt, client: clientLabel, date: dateOpt, value: valueOpt }, (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        (direction === "give" ? ctx.service.giveReferral : ctx.service.receiveReferral)(ctx.book, {
          partnerId: o.partner,
          ...some("client", o.client),
          ...some("date", o.date),
          ...some("value", o.value)
        }),
        (r) => print(ctx, r, () => `${green("Logged")} ${referralLine(r)}`)
      )
    )
  ).pipe(
    Command.withDescription(
      describe(
        direction === "give"
          ? "Log a referral you made to a partner."
          : "Log a referral a partner made to you.",
        `partnerbook referral ${direction} --partner p-7k2m9q4x --client client-17 --date 2026-11-02`
      )
    )
  )

const referralStatus = Command.make(
  "status",
  {
    id: idArg("ID"),
    status: choiceOption("status", ["contacted", "engaged", "not-engaged"], "The new status."),
    date: dateOpt,
    value: valueOpt
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        ctx.service.moveReferral(ctx.book, o.id, o.status, {
          ...some("date", o.date),
          ...some("value", o.value)
        }),
        (r) => print(ctx, r, () => `${green("Moved")} ${referralLine(r)}`)
      )
    )
).pipe(
  Command.withDescription(
    describe("Move a referral on.", "partnerbook referral status r-12 --status engaged --value 4000")
  )
)

const referralDated = (name: "thank" | "close-loop") =>
  Command.make(name, { id: idArg("ID"), date: dateOpt }, (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        (name === "thank" ? ctx.service.thankReferral : ctx.service.closeLoop)(
          ctx.book,
          o.id,
          Option.getOrUndefined(o.date)
        ),
        (r) =>
          print(ctx, r, () => `${green(name === "thank" ? "Thanked" : "Loop closed")}: ${referralLine(r)}`)
      )
    )
  ).pipe(
    Command.withDescription(
      describe(
        name === "thank"
          ? "Record the thank-you for a received referral."
          : "Record that the referrer was told the outcome.",
        `partnerbook referral ${name} r-12`
      )
    )
  )

const referral = Command.make("referral").pipe(
  Command.withDescription(
    describe("Log referrals and move them on.", "partnerbook referral receive --partner p-7k2m9q4x")
  ),
  Command.withSubcommands([
    logReferral("give"),
    logReferral("receive"),
    referralStatus,
    referralDated("thank"),
    referralDated("close-loop")
  ])
)

const interactionKinds = [
  "one-on-one",
  "check-in",
  "event",
  "thank-you",
  "shared-content",
  "outreach",
  "ideal-client-shared",
  "note"
] as const

const interactionLog = Command.make(
  "log",
  {
    partner: partnerOpt,
    kind: choiceOption("kind", interactionKinds, "What happened."),
    date: dateOpt,
    positive: Options.boolean("positive").pipe(Options.withDescription("It went well.")),
    negative: Options.boolean("negative").pipe(Options.withDescription("It went badly.")),
    note: Options.text("note").pipe(Options.withDescription("A note."), Options.optional)
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.gen(function* () {
        if (o.positive && o.negative) {
          return yield* InvalidInput.make("positive", "give --positive or --negative, not both")
        }
        const i = yield* ctx.service.logInteraction(ctx.book, {
          partnerId: o.partner,
          kind: o.kind,
          ...some("date", o.date),
          ...(o.positive ? { positive: true } : o.negative ? { positive: false } : {}),
          ...some("notes", o.note)
        })
        yield* print(
          ctx,
          i,
          () =>
            `${green("Logged")} ${i.kind} with ${i.partnerId} on ${i.date.toISOString().slice(0, 10)} (${i.id})`
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Log a touchpoint with a partner.",
      "partnerbook interaction log --partner p-7k2m9q4x --kind one-on-one --positive"
    )
  )
)

const interaction = Command.make("interaction").pipe(
  Command.withDescription(
    describe("Log touchpoints.", "partnerbook interaction log --partner p-7k2m9q4x --kind check-in")
  ),
  Command.withSubcommands([interactionLog])
)

const clientAdd = Command.make(
  "add",
  {
    label: Options.text("label").pipe(
      Options.withDescription("A label for the client (keep personal data out).")
    ),
    sourcePartner: Options.text("source-partner").pipe(
      Options.withDescription("The partner who sent them."),
      Options.optional
    ),
    sourceContact: Options.text("source-contact").pipe(
      Options.withDescription("The informal contact who sent them."),
      Options.optional
    ),
    askedAbout: Options.text("asked-about").pipe(
      Options.withDescription("Professions they asked you about, comma-separated."),
      Options.optional
    ),
    date: dateOpt
  },
  (o) =>
    withBook("write", (ctx) =>
      Effect.gen(function* () {
        if (Option.isSome(o.sourcePartner) && Option.isSome(o.sourceContact)) {
          return yield* InvalidInput.make("source", "give --source-partner or --source-contact, not both")
        }
        const source = Option.isSome(o.sourcePartner)
          ? { _tag: "partner" as const, partnerId: o.sourcePartner.value }
          : Option.isSome(o.sourceContact)
            ? { _tag: "contact" as const, name: o.sourceContact.value }
            : undefined
        const c = yield* ctx.service.addClient(ctx.book, {
          label: o.label,
          ...(source === undefined ? {} : { source }),
          ...(Option.isSome(o.askedAbout)
            ? {
                askedAbout: o.askedAbout.value
                  .split(",")
                  .map((s) => s.trim())
                  .filter((s) => s !== "")
              }
            : {}),
          ...some("acquiredAt", o.date)
        })
        yield* print(
          ctx,
          c,
          () =>
            `${green("Added")} client ${c.label} (${c.id}), from ${c.source._tag === "partner" ? c.source.partnerId : c.source._tag === "contact" ? c.source.name : "elsewhere"}`
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Log a new client of yours and where they came from.",
      'partnerbook client add --label client-31 --source-contact "Rosa Diaz" --asked-about cpa,financial-advisor'
    )
  )
)

const client = Command.make("client").pipe(
  Command.withDescription(describe("Log your new clients.", "partnerbook client add --label client-31")),
  Command.withSubcommands([clientAdd])
)

// ---------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------

const asOfArg = (o: Option.Option<string>) => (Option.isSome(o) ? { asOf: o.value } : {})

const matrix = Command.make(
  "matrix",
  {
    asOf,
    svg: Options.text("svg").pipe(
      Options.withDescription("Also draw the matrix as an SVG picture into FILE."),
      Options.optional
    )
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.gen(function* () {
        const placements = yield* ctx.service.matrix(ctx.book, asOfArg(o.asOf))
        if (Option.isSome(o.svg)) yield* writeFile(o.svg.value, MatrixSvg.render(placements))
        yield* print(ctx, placements, () =>
          [
            Reports.matrix(placements),
            ...(Option.isSome(o.svg) ? ["", `${green("Wrote")} ${o.svg.value}`] : [])
          ].join("\n")
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "The Referral Partner Matrix: alignment against activity.",
      "partnerbook matrix --svg matrix.svg"
    )
  )
)

const balance = Command.make("balance", { asOf }, (o) =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.balance(ctx.book, asOfArg(o.asOf)), (r) =>
      print(ctx, r, () => Reports.balance(r))
    )
  )
).pipe(
  Command.withDescription(
    describe("Given against received, per partner.", "partnerbook balance --as-of 2026-11-23")
  )
)

const agenda = Command.make(
  "agenda",
  {
    asOf,
    ics: Options.text("ics").pipe(
      Options.withDescription("Also write the agenda as an iCalendar file."),
      Options.optional
    )
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.gen(function* () {
        const items = yield* ctx.service.agenda(ctx.book, asOfArg(o.asOf))
        if (Option.isSome(o.ics))
          yield* writeFile(o.ics.value, Ics.render(items, { book: ctx.book, now: new Date() }))
        yield* print(ctx, items, () =>
          [
            Reports.agenda(items),
            ...(Option.isSome(o.ics)
              ? ["", `${green("Wrote")} ${items.length} events to ${o.ics.value}`]
              : [])
          ].join("\n")
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "What is due, most overdue first.",
      "partnerbook agenda",
      "partnerbook agenda --ics partnerbook.ics"
    )
  )
)

const outreach = Command.make(
  "outreach",
  {
    weekOf: dateOption("week-of", "A day of the week to plan (default today)."),
    perWeek: numberOption("per-week", "Partners a week (default 2).", true)
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        ctx.service.outreach(ctx.book, { ...some("weekOf", o.weekOf), ...some("perWeek", o.perWeek) }),
        (r) => print(ctx, r.picks, () => Reports.outreach(r))
      )
    )
).pipe(
  Command.withDescription(describe("This week's outreach rotation.", "partnerbook outreach --per-week 3"))
)

const health = Command.make("health", { asOf }, (o) =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.health(ctx.book, asOfArg(o.asOf)), (r) =>
      print(ctx, r, () => Reports.health(r))
    )
  )
).pipe(Command.withDescription(describe("A health score and light per partner.", "partnerbook health")))

const discover = Command.make("discover", { asOf }, (o) =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.discover(ctx.book, asOfArg(o.asOf)), (d) =>
      print(ctx, d, () => Reports.discover(d))
    )
  )
).pipe(Command.withDescription(describe("Who to look for next (needs `init`).", "partnerbook discover")))

const digest = Command.make(
  "digest",
  {
    weekOf: dateOption("week-of", "A day of the week (default today)."),
    html: Options.text("html").pipe(
      Options.withDescription("Also write the digest as one HTML page."),
      Options.optional
    )
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.gen(function* () {
        const when = yield* asOfDate("weekOf", o.weekOf)
        const d = yield* Digest.make(ctx.book, when)
        if (Option.isSome(o.html)) yield* writeFile(o.html.value, Digest.html(d))
        const { matrix: _matrix, ...rest } = d
        yield* print(ctx, d, () =>
          [
            bold(`The week of ${d.asOf.toISOString().slice(0, 10)}`),
            "",
            bold(`Due (${d.due.length})`),
            Reports.agenda(d.due),
            "",
            bold(`Outreach (${d.outreach.length})`),
            d.outreach.map((p) => `- ${p.name}: ${p.reason}`).join("\n") || "nobody",
            "",
            bold(
              `Quadrant changes since ${d.since.toISOString().slice(0, 10)} (${rest.quadrantMoves.length})`
            ),
            d.quadrantMoves.map((m) => `- ${m.name}: ${m.from} -> ${m.to}`).join("\n") || "none",
            "",
            bold(`One-sided relationships (${d.oneSided.length})`),
            d.oneSided.map((b) => `- ${b.message}`).join("\n") || "none",
            ...(Option.isSome(o.html) ? ["", `${green("Wrote")} ${o.html.value}`] : [])
          ].join("\n")
        )
      })
    )
).pipe(Command.withDescription(describe("The week on one page.", "partnerbook digest --html week.html")))

// ---------------------------------------------------------------------------------------
// export, import
// ---------------------------------------------------------------------------------------

const exportCommand = Command.make(
  "export",
  {
    out: Options.text("out").pipe(
      Options.withDescription("Write the document to FILE instead of stdout."),
      Options.optional
    )
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.gen(function* () {
        const document = BookDocument.encode(yield* ctx.service.exportBook(ctx.book))
        const text = JSON.stringify(document, null, 2)
        if (Option.isSome(o.out)) {
          yield* writeFile(o.out.value, `${text}\n`)
          if (ctx.json) yield* Console.log(text)
          else yield* Console.log(`${green("Exported")} book ${ctx.book} to ${o.out.value}`)
        } else yield* Console.log(text)
      })
    )
).pipe(
  Command.withDescription(
    describe("The whole book as one JSON document.", "partnerbook export --out book.json")
  )
)

/** Prints "Importing... n/total" on a TTY once an import has taken more than a second. */
const progress = () => {
  const started = Date.now()
  let shown = false
  return {
    update: (done: number, total: number) => {
      if (process.stderr.isTTY !== true || Date.now() - started < 1000) return
      shown = true
      process.stderr.write(`\rImporting: ${done}/${total} rows`)
    },
    end: () => {
      if (shown) process.stderr.write("\r\u001b[K")
    }
  }
}

const parseMap = (text: string): Effect.Effect<Record<string, string>, InvalidInput.InvalidInput> => {
  const map: Record<string, string> = {}
  for (const pair of text.split(",")) {
    const at = pair.lastIndexOf("=")
    if (at <= 0 || at === pair.length - 1) {
      return Effect.fail(
        InvalidInput.make("map", `expected COLUMN=FIELD[,COLUMN=FIELD...], got ${JSON.stringify(pair)}`)
      )
    }
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
  }
  return Effect.succeed(map)
}

const importCommand = Command.make(
  "import",
  {
    csv: choiceOption(
      "csv",
      Csv.entities,
      "Read FILE as CSV rows of partners, referrals or interactions."
    ).pipe(Options.optional),
    map: Options.text("map").pipe(
      Options.withDescription(
        'Name columns the importer does not recognise: "Referral Partner=partner,Kind=direction".'
      ),
      Options.optional
    ),
    file: Args.text({ name: "FILE" }).pipe(
      Args.withDescription("A document made by `export`, or a CSV file with --csv.")
    )
  },
  (o) =>
    withBook("write", (ctx) =>
      Effect.gen(function* () {
        const text = yield* readFile(o.file)
        const bar = progress()
        if (Option.isSome(o.csv)) {
          const map = Option.isSome(o.map) ? yield* parseMap(o.map.value) : {}
          const summary = yield* Csv.importCsv(ctx.book, o.csv.value, text, {
            map,
            onProgress: bar.update
          }).pipe(Effect.ensuring(Effect.sync(bar.end)))
          return yield* print(
            ctx,
            summary,
            () =>
              `${green("Imported")} ${summary[o.csv.pipe(Option.getOrThrow)]} ${o.csv.pipe(Option.getOrThrow)} into book ${ctx.book}`
          )
        }
        if (Option.isSome(o.map))
          return yield* InvalidInput.make("map", "--map applies to --csv imports only")
        const json = yield* Effect.try({
          try: () => JSON.parse(text) as unknown,
          catch: (e) =>
            new FileError({
              path: o.file,
              reason: `not a JSON document (${e instanceof Error ? e.message : String(e)})`
            })
        })
        const timer = setTimeout(() => {
          if (process.stderr.isTTY === true) process.stderr.write(`Importing ${o.file}...`)
        }, 1000)
        const summary = yield* ctx.service.importBook(ctx.book, json).pipe(
          Effect.ensuring(
            Effect.sync(() => {
              clearTimeout(timer)
              bar.end()
            })
          )
        )
        yield* print(
          ctx,
          summary,
          () =>
            `${green("Imported")} ${summary.partners} partners, ${summary.referrals} referrals, ${summary.interactions} interactions and ${summary.clients} clients into book ${summary.book}`
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Load a document made by `export` into an empty book, or rows from a spreadsheet (--csv): all or nothing.",
      "partnerbook import book.json",
      'partnerbook import --csv partners contacts.csv --map "Referral Partner=name"'
    )
  )
)

// ---------------------------------------------------------------------------------------
// Waiting for the library
// ---------------------------------------------------------------------------------------

const compliance = Command.make("compliance", { asOf }, (o) =>
  withBook("read", (ctx) =>
    Effect.flatMap(ctx.service.compliance(ctx.book, asOfArg(o.asOf)), (findings) =>
      print(ctx, findings, () =>
        findings.length === 0
          ? "No referral fees to review: no fee was recorded where a regulated profession is involved."
          : findings
              .map(
                (f) =>
                  `${bold(f.referralId)}  ${f.date.toISOString().slice(0, 10)}  ${f.direction} ${f.direction === "given" ? "to" : "from"} ${f.name}, fee ${f.fee}\n  ${f.reason}`
              )
              .join("\n")
      )
    )
  )
).pipe(
  Command.withDescription(
    describe(
      "Referral fees to review: a fee recorded where either side's profession is regulated for referral fees (attorneys, financial advisors and planners, real estate agents, mortgage lenders), with the reason.",
      "partnerbook compliance --json"
    )
  )
)

const changes = Command.make(
  "changes",
  {
    after: numberOption("after", "Only changes after this sequence (default 0: from the start).", true),
    limit: numberOption("limit", "At most this many changes (default 1000, at most 10000).", true)
  },
  (o) =>
    withBook("read", (ctx) =>
      Effect.flatMap(
        ctx.service.changes(ctx.book, { ...some("after", o.after), ...some("limit", o.limit) }),
        (page) =>
          print(ctx, page, () =>
            [
              ...page.changes.map(
                (c) =>
                  `#${c.sequence}  ${c.op.padEnd(6)} ${c.entity.padEnd(11)} ${c.id}${c.revision === undefined ? "" : dim(`  r${c.revision}`)}`
              ),
              dim(
                page.changes.length === 0
                  ? `No changes after ${Option.getOrElse(o.after, () => 0)}; the book is at sequence ${page.last}.`
                  : `The book is at sequence ${page.last}.`
              )
            ].join("\n")
          )
      )
    )
).pipe(
  Command.withDescription(
    describe(
      "The book's change feed: every put and delete, numbered per book (for syncing a CRM or invalidating a cache).",
      "partnerbook changes --after 120 --json"
    )
  )
)

// ---------------------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------------------

const demo = Command.make("demo", {}, () =>
  Effect.gen(function* () {
    const g = yield* globals
    const target = g.explicitStore
      ? g.target
      : Target.parse(join(mkdtempSync(join(tmpdir(), "partnerbook-demo-")), "demo.db"))
    yield* withBook(
      "write",
      (ctx) =>
        Effect.gen(function* () {
          const sample = sampleBook(demoAsOf)
          const document = BookDocument.encode(BookDocument.make({ book: Book.defaultBookId, ...sample }))
          const imported = yield* ctx.service.importBook(ctx.book, document)
          const asOf = demoAsOf
          const [placements, balances, items, rotation, health, discovery, fees, digest] = yield* Effect.all([
            ctx.service.matrix(ctx.book, { asOf }),
            ctx.service.balance(ctx.book, { asOf }),
            ctx.service.agenda(ctx.book, { asOf }),
            ctx.service.outreach(ctx.book, { weekOf: asOf }),
            ctx.service.health(ctx.book, { asOf }),
            ctx.service.discover(ctx.book, { asOf }),
            ctx.service.compliance(ctx.book, { asOf }),
            Digest.make(ctx.book, asOf)
          ])
          const where = Target.describe(target)
          const explore = `partnerbook --store ${target._tag === "json" ? where : JSON.stringify(where)}${ctx.book === "default" ? "" : ` --book ${ctx.book}`}`
          yield* print(
            ctx,
            {
              store: where,
              book: ctx.book,
              asOf,
              imported,
              matrix: placements,
              balance: balances,
              agenda: items,
              outreach: rotation.picks,
              health,
              discover: discovery,
              compliance: fees,
              digest
            },
            () =>
              [
                bold(
                  `Partnerbook demo: the book of ${sample.profile.name} (${sample.profile.profession}), as of ${asOf.toISOString().slice(0, 10)}`
                ),
                `${imported.partners} partners, ${imported.referrals} referrals, ${imported.interactions} interactions and ${imported.clients} clients, stored in ${where}.`,
                "",
                bold("== Referral Partner Matrix (partnerbook matrix)"),
                Reports.matrix(placements),
                "",
                bold("== Balance (partnerbook balance)"),
                Reports.balance(balances),
                "",
                bold("== Agenda (partnerbook agenda)"),
                Reports.agenda(items),
                "",
                bold("== Outreach (partnerbook outreach)"),
                Reports.outreach(rotation),
                "",
                bold("== Health (partnerbook health)"),
                Reports.health(health),
                "",
                bold("== Discover (partnerbook discover)"),
                Reports.discover(discovery),
                "",
                bold("== Referral fees to review (partnerbook compliance)"),
                ...(fees.length === 0
                  ? ["No referral fees to review."]
                  : fees.map(
                      (f) => `${f.name}: fee ${f.fee} on ${f.date.toISOString().slice(0, 10)}. ${f.reason}`
                    )),
                "",
                bold("== Digest (partnerbook digest)"),
                `${digest.due.length} items due, ${digest.outreach.length} outreach picks, ${digest.quadrantMoves.length} quadrant changes in 30 days, ${digest.oneSided.length} one-sided relationships.`,
                "",
                dim(`Explore it: ${explore} agenda --as-of 2026-11-23`),
                dim(`            ${explore} matrix --as-of 2026-11-23 --svg matrix.svg`)
              ].join("\n")
          )
        }),
      { target }
    )
  })
).pipe(
  Command.withDescription(
    describe(
      "Build the sample book (in a temporary store, or the one --store names) and show what every rule says about it.",
      "partnerbook demo",
      "partnerbook --store json:./demo-book demo"
    )
  )
)

// ---------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------

const start = root.pipe(
  Command.withHandler((config) =>
    Effect.gen(function* () {
      const g = resolveGlobals(config)
      if (!Target.exists(g.target)) return yield* new NoStore({ target: Target.describe(g.target) })
      yield* Console.log(
        [
          `Store: ${Target.describe(g.target)}, book ${g.book}.`,
          "What is due: partnerbook agenda   The matrix: partnerbook matrix   Everything: partnerbook --help"
        ].join("\n")
      )
    })
  ),
  Command.withDescription(
    describe(
      "Your referral partners: the Referral Partner Matrix, balances, the agenda and outreach, from a terminal.",
      'partnerbook init --name "Ana Ruiz" --profession estate-planning-attorney',
      "partnerbook demo"
    )
  ),
  Command.withSubcommands([
    init,
    partner,
    referral,
    interaction,
    client,
    matrix,
    balance,
    agenda,
    outreach,
    health,
    discover,
    digest,
    exportCommand,
    importCommand,
    compliance,
    changes,
    demo
  ])
)

/**
 * The global flags, which may also be given after the command (`partnerbook agenda --json`):
 * they are moved in front of it, where @effect/cli reads them.
 *
 * @since 0.2.0
 * @category parsing
 */
export const hoistGlobals = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const globalsFirst: Array<string> = []
  const rest: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === "--") {
      rest.push(...args.slice(i))
      break
    }
    if (a === "--json") globalsFirst.push(a)
    else if ((a === "--store" || a === "--book") && i + 1 < args.length) globalsFirst.push(a, args[++i]!)
    else if (a.startsWith("--store=") || a.startsWith("--book=")) globalsFirst.push(a)
    else rest.push(a)
  }
  return [...globalsFirst, ...rest]
}

/**
 * The version printed by `--version`.
 *
 * @since 0.2.0
 * @category constants
 */
export const version: string =
  typeof __PARTNERBOOK_VERSION__ === "string" ? __PARTNERBOOK_VERSION__ : "0.0.0-dev"

declare const __PARTNERBOOK_VERSION__: string | undefined

/**
 * Runs the command on `process.argv`-like arguments (the first two are node and the script).
 *
 * @since 0.2.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<void, unknown, CliApp.CliApp.Environment> =>
  Command.run(start, { name: "partnerbook", version })([...argv.slice(0, 2), ...hoistGlobals(argv.slice(2))])
