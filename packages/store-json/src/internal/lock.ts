/**
 * A cross-process lock on one book file: `<file>.lock`, holding the owner's pid, host name
 * and a random token. It is created atomically with its content: the content is written to
 * a unique temp file which is then hard-linked to the lock's name (`link` fails if the name
 * exists, like `O_CREAT | O_EXCL`), so a lock file is never seen empty, even when its owner
 * is killed while creating it. (Where hard links are not supported it is created with `wx`.)
 *
 * Why not proper-lockfile: its only notion of a dead owner is an old mtime, with a minimum
 * of 2 seconds, so every writer killed while holding the lock would block the next writer
 * for 2 seconds or more (a hundred kills, several minutes); it needs the locked file to
 * exist (or `realpath: false`); and by default it throws from a timer when it thinks its
 * lock was compromised. Here a lock is stale as soon as its owner is known to be dead:
 *
 * - same host and `process.kill(pid, 0)` says there is no such process (`ESRCH`); our own
 *   pid with a token this process does not hold (a previous process with the same pid, as
 *   in containers); or a live process with that pid that started at another time than the
 *   owner (the pid was reused: the lock records its owner's start, the boot id and start
 *   tick from `/proc` on Linux), or
 * - the lock's name is a symbolic link (a lock is always a regular file this module
 *   created: whatever the link points to, it is nobody's lock; only the link is removed), or
 * - its mtime is older than `stale` ms. A live owner rewrites its lock file every
 *   `stale / 4` ms (a heartbeat through its own descriptor, so it only touches its own
 *   inode), so this catches owners on another host (a shared folder), frozen processes, and
 *   a pid reused by another program where there is no `/proc` to tell. Containers that share
 *   a folder should not share a host name, or their pids would be compared across namespaces.
 *
 * Breaking a stale lock is itself guarded by `<file>.lock.break` (also exclusive), and the
 * lock is removed only if it is still the one that was judged stale (same inode, mtime and
 * content), so two processes that find the same stale lock cannot both take over. A breaker
 * killed in that few-microsecond window leaves a `.break` file that is ignored once its
 * owner is dead. Release removes the lock only if its name still points to our file (same
 * inode; the token where there are no inode numbers).
 *
 * A heartbeat that fails (a full disk, a network share gone, permissions changed) is not
 * retried at once: it is recorded, logged, and the next one is tried as usual. A writer
 * checks its lock right before it makes its changes visible ({@link Held.verify}): the name
 * must still point to its file, and the last good heartbeat must be recent enough that no
 * other process can have judged the lock stale; otherwise the commit fails with
 * `StoreUnavailable` and nothing is written. A heartbeat failure followed by a good one
 * within the window changes nothing.
 *
 * @internal
 */
import type { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { StoreError } from "@partnerbook/core"
import { Clock, Duration, Effect, Option, Scope } from "effect"
import { randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { hostname } from "node:os"
import { basename, dirname, join } from "node:path"
import * as FileName from "./fileName.js"
import type { Files } from "./nodeFiles.js"

/** Timing of the lock, in milliseconds. */
export interface Options {
  /** Give up waiting for a lock after this long (StoreUnavailable). */
  readonly timeout: number
  /** A lock whose heartbeat is older than this is stale. */
  readonly stale: number
}

interface Owner {
  readonly pid: number
  readonly host: string
  readonly token: string
  readonly since: string
  /** When the owner process started (see {@link startOf}); absent where it is not known. */
  readonly start: string | undefined
}

interface Seen {
  readonly raw: string
  readonly owner: Owner | undefined
  readonly ino: number | undefined
  readonly mtime: number
  /** The lock's name is a symbolic link: never a lock of ours. */
  readonly symlink: boolean
}

const host = hostname()

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return undefined
  }
}

const bootId = readText("/proc/sys/kernel/random/boot_id")?.trim()

/**
 * When the process `pid` of this host started, as `<boot id>:<start tick>` from Linux's
 * `/proc` (field 22 of `/proc/<pid>/stat`); `undefined` where there is no `/proc` or no such
 * process. Two processes that ever had the same pid on one host differ here.
 */
export const startOf = (pid: number): string | undefined => {
  if (bootId === undefined || !Number.isSafeInteger(pid) || pid <= 0) return undefined
  const stat = readText(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  const tick = fields[19]
  return tick === undefined || !/^\d+$/.test(tick) ? undefined : `${bootId}:${tick}`
}

const selfStart = startOf(process.pid)

/** The live clock: waiting for a lock is real time, even under a TestClock. */
const liveClock = Clock.make()

const isAlreadyExists = (e: PlatformError) => e._tag === "SystemError" && e.reason === "AlreadyExists"
const isNotFound = (e: PlatformError) => e._tag === "SystemError" && e.reason === "NotFound"

/** Whether a process with this pid exists on this host (`EPERM`: it does, it is not ours). */
export const isAlive = (pid: number): boolean => {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const parseOwner = (raw: string): Owner | undefined => {
  try {
    const o: unknown = JSON.parse(raw)
    if (typeof o !== "object" || o === null) return undefined
    const { pid, host, token, since, start } = o as Record<string, unknown>
    return typeof pid === "number" && typeof host === "string" && typeof token === "string"
      ? {
          pid,
          host,
          token,
          since: typeof since === "string" ? since : "",
          start: typeof start === "string" ? start : undefined
        }
      : undefined
  } catch {
    return undefined
  }
}

const unavailable = (reason: string, cause?: unknown) =>
  new StoreError.StoreUnavailable(cause === undefined ? { reason } : { reason, cause })

const platformReason = (what: string, e: PlatformError): string =>
  `${what}: ${e._tag === "SystemError" ? (e.description ?? e.reason) : e.message}`

/** Reads a lock file; `None` if there is none. */
const inspect = (fs: Files, path: string): Effect.Effect<Option.Option<Seen>, PlatformError> =>
  Effect.gen(function* () {
    // Not followed: a link to a missing file would look like no lock at all (a busy loop),
    // a link to a fresh file like a live lock (a stall), and its content is none of ours.
    const target = yield* fs.readLink(path).pipe(Effect.option)
    if (Option.isSome(target)) {
      return Option.some<Seen>({
        raw: `-> ${target.value}`,
        owner: undefined,
        ino: undefined,
        mtime: 0,
        symlink: true
      })
    }
    const info = yield* fs.stat(path)
    const raw = yield* fs.readFileString(path)
    return Option.some<Seen>({
      raw,
      owner: parseOwner(raw),
      ino: Option.getOrUndefined(info.ino),
      mtime: Option.match(info.mtime, { onNone: () => 0, onSome: (d) => d.getTime() }),
      symlink: false
    })
  }).pipe(Effect.catchIf(isNotFound, () => Effect.succeedNone))

/**
 * The tokens of the locks this process holds, shared by every copy of this module that is
 * loaded (ESM and CommonJS builds): a lock file with our own pid and a token we do not hold
 * is left over from an earlier process that had the same pid (common in containers).
 */
const heldKey = Symbol.for("@partnerbook/store-json/heldLocks")
const registry = globalThis as { [heldKey]?: Set<string> }
const held: Set<string> = registry[heldKey] ?? new Set<string>()
registry[heldKey] = held

const isStale = (seen: Seen, options: Options): boolean => {
  if (seen.symlink) return true
  const owner = seen.owner
  if (owner !== undefined && owner.host === host) {
    if (owner.pid === process.pid ? !held.has(owner.token) : !isAlive(owner.pid)) return true
    // A live process, but not the owner: its pid was reused after the owner died.
    if (owner.pid !== process.pid && owner.start !== undefined) {
      const now = startOf(owner.pid)
      if (now !== undefined && now !== owner.start) return true
    }
  }
  return Date.now() - seen.mtime > options.stale
}

const describeOwner = (seen: Seen): string =>
  seen.owner === undefined
    ? "an unreadable lock file"
    : `process ${seen.owner.pid} on ${seen.owner.host}${seen.owner.since === "" ? "" : ` since ${seen.owner.since}`}`

/**
 * Removes a stale lock if it is still the one that was seen, under the `.break` guard.
 * Returns whether it is worth retrying right away.
 */
const breakStale = (
  fs: Files,
  path: string,
  seen: Seen,
  options: Options
): Effect.Effect<void, PlatformError> => {
  const guard = `${path}.break`
  const me = JSON.stringify({
    pid: process.pid,
    host,
    token: randomBytes(8).toString("hex"),
    start: selfStart
  })
  return Effect.scoped(
    Effect.gen(function* () {
      const file = yield* fs.open(guard, { flag: "wx" }).pipe(
        Effect.map(Option.some),
        Effect.catchIf(isAlreadyExists, () => Effect.succeedNone)
      )
      if (Option.isNone(file)) {
        // Someone else is breaking it; clear their guard only if they died doing it.
        const other = yield* inspect(fs, guard)
        if (Option.isSome(other) && isStale(other.value, options)) {
          yield* fs.remove(guard).pipe(Effect.catchIf(isNotFound, () => Effect.void))
        }
        return
      }
      yield* Effect.ensuring(
        Effect.gen(function* () {
          yield* file.value.writeAll(new TextEncoder().encode(me))
          const now = yield* inspect(fs, path)
          if (
            Option.isSome(now) &&
            now.value.raw === seen.raw &&
            now.value.ino === seen.ino &&
            now.value.mtime === seen.mtime
          ) {
            yield* fs.remove(path).pipe(Effect.catchIf(isNotFound, () => Effect.void))
          }
        }),
        fs.remove(guard).pipe(Effect.ignore)
      )
    })
  )
}

/** Removes a `.break` guard left by a breaker that died (see the module comment). */
export const clearStaleGuard = (
  fs: Files,
  path: string,
  options: Options
): Effect.Effect<void, StoreError.StoreUnavailable> =>
  inspect(fs, path).pipe(
    Effect.flatMap((seen) =>
      Option.isSome(seen) && isStale(seen.value, options)
        ? fs.remove(path).pipe(Effect.catchIf(isNotFound, () => Effect.void))
        : Effect.void
    ),
    Effect.mapError((e) => unavailable(platformReason(`cannot clear ${path}`, e), e))
  )

const isUnsupported = (e: PlatformError) =>
  e._tag === "SystemError" &&
  ["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(
    (e.cause as NodeJS.ErrnoException)?.code ?? ""
  )

/**
 * Tries once to create the lock file; `None` if it exists. The lock appears with its content
 * at once: the content goes into a temp file that is then hard-linked to the lock's name
 * (`link` fails if the name exists), so no one ever sees an empty lock file, even if we are
 * killed between the two steps. Where hard links are not supported the lock is created
 * with `wx` and written right after. The file stays open in the scope (for the heartbeat).
 */
const tryCreate = (
  fs: Files,
  path: string,
  content: Uint8Array,
  scope: Scope.Scope
): Effect.Effect<Option.Option<FileSystem.File>, PlatformError> =>
  Effect.gen(function* () {
    const attempt = yield* Scope.make()
    const temp = join(
      dirname(path),
      FileName.lockTempNameOf(basename(path), process.pid, randomBytes(8).toString("hex"))
    )
    const result = yield* Effect.gen(function* () {
      const file = yield* fs.open(temp, { flag: "wx" }).pipe(Scope.extend(attempt))
      yield* file.writeAll(content)
      const linked = yield* fs.link(temp, path).pipe(
        Effect.as(true),
        Effect.catchIf(isAlreadyExists, () => Effect.succeed(false)),
        Effect.catchIf(isUnsupported, () =>
          // No hard links here (some network and FAT file systems): create it directly.
          fs.open(path, { flag: "wx" }).pipe(
            Scope.extend(attempt),
            Effect.tap((direct) =>
              direct.writeAll(content).pipe(Effect.tapError(() => fs.remove(path).pipe(Effect.ignore)))
            ),
            Effect.as(true),
            Effect.catchIf(isAlreadyExists, () => Effect.succeed(false))
          )
        )
      )
      return linked ? Option.some(file) : Option.none()
    }).pipe(Effect.ensuring(fs.remove(temp).pipe(Effect.ignore)), Effect.exit)
    if (result._tag === "Success" && Option.isSome(result.value)) {
      yield* Scope.addFinalizer(scope, Scope.close(attempt, result))
    } else {
      yield* Scope.close(attempt, result)
    }
    return yield* result
  })

/**
 * A lock this process holds. Its heartbeat may fail (a full disk, a lost network share,
 * permissions changed under it): then the lock file's mtime grows old and, after `stale`
 * ms, another process may take the lock over while this one still runs. {@link Held.verify}
 * is what a writer calls right before it makes its changes visible.
 */
export interface Held {
  readonly path: string
  /**
   * Succeeds only if the lock is still ours and no other process could have judged it stale
   * before the writer's rename is done: its name still points to our lock file and its last
   * heartbeat (or its creation) is younger than `stale / 2`; between `stale / 2` and
   * `3 * stale / 4` it is renewed first (a heartbeat now), and that renewal must succeed.
   * Otherwise fails with `StoreUnavailable` saying that the lock was lost and why.
   */
  readonly verify: Effect.Effect<void, StoreError.StoreUnavailable>
}

/**
 * Holds the lock on `path` for the rest of the scope, waiting (with jittered backoff) while
 * a live owner holds it and breaking it when it is stale. `wait: false` tries only once and
 * returns `false` instead of waiting.
 */
export const acquire = (
  fs: Files,
  path: string,
  options: Options & { readonly wait?: boolean }
): Effect.Effect<boolean, StoreError.StoreUnavailable, Scope.Scope> =>
  Effect.map(take(fs, path, options), (lock) => lock !== undefined)

/** {@link acquire} (always waiting), returning the lock held, for a writer to `verify` it. */
export const hold = (
  fs: Files,
  path: string,
  options: Options
): Effect.Effect<Held, StoreError.StoreUnavailable, Scope.Scope> =>
  Effect.flatMap(take(fs, path, { ...options, wait: true }), (lock) =>
    lock === undefined
      ? Effect.dieMessage(`${path}: a waiting lock returned without the lock`)
      : Effect.succeed(lock)
  )

/** The lock, or `undefined` when `wait: false` found it held by a live owner. */
const take = (
  fs: Files,
  path: string,
  options: Options & { readonly wait?: boolean }
): Effect.Effect<Held | undefined, StoreError.StoreUnavailable, Scope.Scope> =>
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    const token = randomBytes(12).toString("hex")
    const content = new TextEncoder().encode(
      `${JSON.stringify({ pid: process.pid, host, token, since: new Date().toISOString(), start: selfStart })}\n`
    )
    // Registered before the file exists, so that no other fiber of this process can ever see
    // our lock with a token it does not know.
    held.add(token)
    yield* Effect.addFinalizer(() => Effect.sync(() => held.delete(token)))
    const started = Date.now()
    let delay = 1
    let file: FileSystem.File | undefined
    // When the lock file was last written, at the latest: taken before each write, so that
    // the file's mtime (what other processes judge it by) is never older than this.
    let written = 0
    while (file === undefined) {
      written = Date.now()
      const created = yield* tryCreate(fs, path, content, scope)
      if (Option.isSome(created)) {
        file = created.value
        break
      }
      const seen = yield* inspect(fs, path)
      if (Option.isNone(seen)) continue // released in between: try again now
      if (isStale(seen.value, options)) {
        yield* breakStale(fs, path, seen.value, options)
        continue
      }
      if (options.wait === false) return undefined
      if (Date.now() - started > options.timeout) {
        return yield* Effect.fail(
          unavailable(
            `${path} is locked by ${describeOwner(seen.value)}; gave up after ${Duration.format(Duration.millis(options.timeout))}`
          )
        )
      }
      yield* Effect.sleep(Duration.millis(delay * (0.5 + Math.random())))
      delay = Math.min(delay * 2, 16)
    }
    const lock = file
    const beat = { at: written, failure: undefined as string | undefined }
    // One write at a time: the heartbeat and a writer's renewal share the file's position.
    const writing = yield* Effect.makeSemaphore(1)
    // Heartbeat: rewrite our own lock file (by descriptor, so only our inode) to keep its
    // mtime fresh. A failure is recorded (and logged once until the next success): `verify`
    // refuses a commit once the lock could have been judged stale.
    const heartbeat = writing.withPermits(1)(
      Effect.suspend(() => {
        const at = Date.now()
        return lock.seek(0, "start").pipe(
          Effect.zipRight(lock.writeAll(content)),
          Effect.matchEffect({
            onSuccess: () =>
              Effect.sync(() => {
                beat.at = at
                beat.failure = undefined
              }),
            onFailure: (e) => {
              const first = beat.failure === undefined
              beat.failure = platformReason("the heartbeat write failed", e)
              return first
                ? Effect.logWarning(
                    `${path}: ${beat.failure}; unless a later one succeeds, another process may take the lock over after ${Duration.format(Duration.millis(options.stale))}, and this one will then refuse to commit`
                  )
                : Effect.void
            }
          })
        )
      })
    )
    yield* heartbeat.pipe(
      Effect.delay(Duration.millis(options.stale / 4)),
      Effect.forever,
      Effect.withClock(liveClock),
      Effect.forkScoped
    )
    /** Whether the lock's name still points to our file. */
    const ours: Effect.Effect<boolean, PlatformError> = Effect.all([lock.stat, fs.stat(path)]).pipe(
      Effect.flatMap(([mine, now]) =>
        Option.isSome(mine.ino) && Option.isSome(now.ino)
          ? Effect.succeed(mine.dev === now.dev && mine.ino.value === now.ino.value)
          : // No inode numbers here: compare the token.
            Effect.map(inspect(fs, path), (seen) => Option.isSome(seen) && seen.value.owner?.token === token)
      ),
      Effect.catchIf(isNotFound, () => Effect.succeed(false))
    )
    const lost = (why: string) =>
      unavailable(
        `the lock on ${path} was lost: ${why}; this transaction was not committed and nothing was written`
      )
    const ago = (at: number) => `${Duration.format(Duration.millis(Math.max(0, Date.now() - at)))} ago`
    const stale = Duration.format(Duration.millis(options.stale))
    const verify: Effect.Effect<void, StoreError.StoreUnavailable> = Effect.gen(function* () {
      const why = () =>
        beat.failure === undefined
          ? `its heartbeat was last written ${ago(beat.at)}`
          : `${beat.failure}, and the last good one was written ${ago(beat.at)}`
      if (Date.now() - beat.at >= (options.stale * 3) / 4) {
        return yield* Effect.fail(
          lost(`${why()}, so another process may have judged it stale (after ${stale}) and taken it over`)
        )
      }
      const mine = yield* ours.pipe(
        Effect.mapError((e) => lost(platformReason("cannot check that it is still ours", e)))
      )
      if (!mine) {
        return yield* Effect.fail(
          lost(`the lock file is no longer ours (taken over by another process, or removed); ${why()}`)
        )
      }
      if (Date.now() - beat.at >= options.stale / 2) {
        // Old enough that the rename must not wait for the next heartbeat: renew it now.
        yield* heartbeat
        if (beat.failure !== undefined || Date.now() - beat.at >= (options.stale * 3) / 4) {
          return yield* Effect.fail(lost(`${why()}, and renewing it before the commit failed`))
        }
      }
    })
    // Release: remove the lock only if the name still points to our file (if we stalled
    // past `stale`, someone may have taken it over).
    yield* Effect.addFinalizer(() =>
      ours.pipe(
        Effect.flatMap((mine) => (mine ? fs.remove(path) : Effect.void)),
        Effect.ignore
      )
    )
    return { path, verify } satisfies Held
  }).pipe(
    Effect.withClock(liveClock),
    Effect.mapError((e) =>
      e._tag === "StoreUnavailable" ? e : unavailable(platformReason(`cannot lock ${path}`, e), e)
    )
  )
