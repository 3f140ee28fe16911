/**
 * Opens the book in the folder given as the only argument (read, parse, decode every
 * record) in a process that does nothing else, and prints, as JSON, its resident memory
 * before opening and at its peak, in MB. Used by json.bench.ts.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { Book } from "@partnerbook/core"
import { Effect, Layer } from "effect"
import { JsonStore } from "../src/index.js"

const directory = process.argv[2]
if (directory === undefined) throw new Error("usage: open-child.ts <directory>")
const loadedMB = process.memoryUsage().rss / 2 ** 20
const started = performance.now()
const count = await Effect.runPromise(
  Effect.scoped(
    Effect.flatMap(JsonStore.make({ directory }), (store) => store.referrals.list(Book.defaultBookId))
  ).pipe(
    Effect.map((referrals) => referrals.length),
    Effect.provide(Layer.merge(NodeFileSystem.layer, NodePath.layer))
  )
)
const seconds = (performance.now() - started) / 1000
// maxRSS is in kilobytes.
console.log(JSON.stringify({ count, seconds, loadedMB, peakMB: process.resourceUsage().maxRSS / 1024 }))
