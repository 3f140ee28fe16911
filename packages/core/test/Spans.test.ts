import { Partnerbook, Store } from "@partnerbook/core"
import { Cause, Effect, Exit, Layer, Option, Tracer } from "effect"
import { describe, expect, it } from "vitest"

/** Every span a program starts, through Effect's own tracer: what a tracing exporter would see. */
const traced = <A, E>(
  program: Effect.Effect<A, E, Partnerbook.Partnerbook>
): Promise<{ readonly exit: Exit.Exit<A, E>; readonly spans: ReadonlyArray<Tracer.Span> }> =>
  Effect.gen(function* () {
    const base = yield* Effect.tracer
    const spans: Array<Tracer.Span> = []
    const recording = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    const exit = yield* Effect.exit(Effect.withTracer(program, recording))
    return { exit, spans }
  }).pipe(Effect.provide(Partnerbook.layer.pipe(Layer.provide(Store.layerMemory))), Effect.runPromise)

const named = (spans: ReadonlyArray<Tracer.Span>, name: string): ReadonlyArray<Tracer.Span> =>
  spans.filter((s) => s.name === name)

const exitOf = (span: Tracer.Span): Exit.Exit<unknown, unknown> => {
  if (span.status._tag !== "Ended") throw new Error(`span ${span.name} did not end`)
  return span.status.exit
}

const failureOf = (span: Tracer.Span): unknown => {
  const exit = exitOf(span)
  return Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
}

describe("every use case is traced under its own name", () => {
  it("a referral's life gives one span per call, named after the method, with the book and the record", async () => {
    const { exit, spans } = await traced(
      Effect.gen(function* () {
        const book = yield* Partnerbook.Partnerbook
        yield* book.setProfile("alice", { name: "Alice", profession: "attorney" })
        const cpa = yield* book.addPartner("alice", { name: "Dana Smith", profession: "cpa" })
        const given = yield* book.giveReferral("alice", { partnerId: cpa.id, date: "2026-11-01" })
        const received = yield* book.receiveReferral("alice", { partnerId: cpa.id, date: "2026-11-02" })
        yield* book.thankReferral("alice", received.id, "2026-11-03")
        yield* book.moveReferral("alice", received.id, "engaged", { date: "2026-11-10", value: 1200 })
        yield* book.closeLoop("alice", received.id, "2026-11-11")
        yield* book.agenda("alice", { asOf: "2026-11-23" })
        return { cpa, given, received }
      })
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (!Exit.isSuccess(exit)) return
    const { cpa, received } = exit.value
    const calls = [
      "Partnerbook.setProfile",
      "Partnerbook.addPartner",
      "Partnerbook.giveReferral",
      "Partnerbook.receiveReferral",
      "Partnerbook.thankReferral",
      "Partnerbook.moveReferral",
      "Partnerbook.closeLoop",
      "Partnerbook.agenda"
    ]
    // In call order, once each: no use case opens a second span of its own name.
    expect(spans.map((s) => s.name).filter((name) => name.startsWith("Partnerbook."))).toEqual(calls)
    for (const name of calls) {
      const [span] = named(spans, name)
      expect(Exit.isSuccess(exitOf(span!))).toBe(true)
      expect(span!.attributes.get("partnerbook.book")).toBe("alice")
    }
    expect(named(spans, "Partnerbook.thankReferral")[0]!.attributes.get("partnerbook.id")).toBe(received.id)
    expect(named(spans, "Partnerbook.closeLoop")[0]!.attributes.get("partnerbook.id")).toBe(received.id)
    expect(named(spans, "Partnerbook.addPartner")[0]!.attributes.get("partnerbook.id")).toBeUndefined()
    expect(cpa.id).toMatch(/^p-/)
  })

  it("a refused call records its typed failure on its span: InvalidInput naming the field, InvalidCommand", async () => {
    const { spans } = await traced(
      Effect.gen(function* () {
        const book = yield* Partnerbook.Partnerbook
        yield* Effect.exit(book.addPartner("alice", { name: "  ", profession: "cpa" }))
        const cpa = yield* book.addPartner("alice", { name: "Dana Smith", profession: "cpa" })
        const given = yield* book.giveReferral("alice", { partnerId: cpa.id, date: "2026-11-01" })
        yield* Effect.exit(book.thankReferral("alice", given.id))
        yield* Effect.exit(book.listReferrals(" alice ", {}))
      })
    )
    const [refused, added] = named(spans, "Partnerbook.addPartner")
    expect(failureOf(refused!)).toMatchObject({ _tag: "InvalidInput", field: "name" })
    expect(Exit.isSuccess(exitOf(added!))).toBe(true)
    expect(failureOf(named(spans, "Partnerbook.thankReferral")[0]!)).toMatchObject({
      _tag: "InvalidCommand",
      command: "thankReferral"
    })
    const [list] = named(spans, "Partnerbook.listReferrals")
    expect(failureOf(list!)).toMatchObject({ _tag: "InvalidInput", field: "book" })
    // A book id that is not one is never written on a span.
    expect(list!.attributes.has("partnerbook.book")).toBe(false)
  })

  it("a use case's span sits under the caller's span, so a request's trace shows what it ran", async () => {
    const { spans } = await traced(
      Effect.gen(function* () {
        const book = yield* Partnerbook.Partnerbook
        const cpa = yield* book.addPartner("alice", { name: "Dana Smith", profession: "cpa" })
        yield* book.deletePartner("alice", cpa.id)
      }).pipe(Effect.withSpan("webhook"))
    )
    const [root] = named(spans, "webhook")
    for (const name of ["Partnerbook.addPartner", "Partnerbook.deletePartner"]) {
      const [span] = named(spans, name)
      expect(Option.map(span!.parent, (p) => p.spanId)).toEqual(Option.some(root!.spanId))
      expect(span!.traceId).toBe(root!.traceId)
    }
  })
})
