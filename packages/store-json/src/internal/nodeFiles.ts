/**
 * The part of `@effect/platform`'s `FileSystem` the store uses, on `node:fs` directly, and a
 * `Path` on `node:path`. `JsonStore.layer` runs on these instead of `@effect/platform-node`,
 * which would pull `@effect/cluster`, `@effect/rpc`, `@effect/workflow` and native packages
 * into every install of a store documented as having no native dependency.
 *
 * @internal
 */
import * as NFS from "node:fs"
import * as NodePath from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { FileSystem, Path } from "@effect/platform"
import type { BadArgument, SystemError, SystemErrorReason } from "@effect/platform/Error"
import { Effect, Option } from "effect"

// Nothing of @effect/platform is loaded at run time (only its types are used), so that the
// package installs without it: it pulls msgpackr, whose optional msgpackr-extract is native.
// The few values below are the platform's own, by the global symbols it registers.
const FileTypeId: FileSystem.FileTypeId = Symbol.for(
  "@effect/platform/FileSystem/File"
) as FileSystem.FileTypeId
const PathTypeId: Path.TypeId = Symbol.for("@effect/platform/Path") as Path.TypeId
const Size = (n: number | bigint): FileSystem.Size => BigInt(n) as FileSystem.Size

/**
 * A failure of a file operation, shaped as `@effect/platform`'s `SystemError` (what the store
 * reads of it: `_tag`, `reason`, `method`, `description` and the Node error as `cause`).
 */
class NodeSystemError extends Error {
  readonly _tag = "SystemError"
  constructor(
    readonly props: {
      readonly reason: SystemErrorReason
      readonly module: "FileSystem"
      readonly method: string
      readonly pathOrDescriptor: string | number
      readonly syscall?: string
      readonly description: string
      readonly cause?: unknown
    }
  ) {
    super(`${props.module}.${props.method} (${props.pathOrDescriptor}): ${props.description}`, {
      cause: props.cause
    })
    Object.assign(this, props)
  }
}

const systemError = (props: NodeSystemError["props"]): SystemError =>
  new NodeSystemError(props) as unknown as SystemError

/** A path that is not a file URL (or the reverse), shaped as the platform's `BadArgument`. */
class NodeBadArgument extends Error {
  readonly _tag = "BadArgument"
  readonly module = "Path"
  constructor(
    readonly method: string,
    readonly description: string,
    cause: unknown
  ) {
    super(`Path.${method}: ${description}`, { cause })
  }
}

const badArgument = (method: string, error: unknown): BadArgument =>
  new NodeBadArgument(method, String(error), error) as unknown as BadArgument

/**
 * The file operations the store performs. `FileSystem.FileSystem` (any platform's) has them
 * all, so `JsonStore.make` keeps running on whatever file system its caller provides.
 *
 * @internal
 */
export type Files = Pick<
  FileSystem.FileSystem,
  | "link"
  | "makeDirectory"
  | "open"
  | "readDirectory"
  | "readFile"
  | "readFileString"
  | "readLink"
  | "remove"
  | "rename"
  | "stat"
>

const reasonOf = (code: string | undefined): SystemErrorReason => {
  switch (code) {
    case "ENOENT":
      return "NotFound"
    case "EACCES":
    case "EPERM":
      return "PermissionDenied"
    case "EEXIST":
      return "AlreadyExists"
    case "EISDIR":
    case "ENOTDIR":
    case "ELOOP":
      return "BadResource"
    case "EBUSY":
      return "Busy"
    default:
      return "Unknown"
  }
}

const failure = (method: string, pathOrDescriptor: string | number, error: unknown): SystemError => {
  const e = error as NodeJS.ErrnoException
  return systemError({
    reason: reasonOf(e?.code),
    module: "FileSystem",
    method,
    pathOrDescriptor,
    ...(e?.syscall === undefined ? {} : { syscall: e.syscall }),
    description: e instanceof Error ? e.message : String(error),
    cause: error
  })
}

/** Runs a callback-style `node:fs` call; its error becomes a `SystemError` naming the path. */
const call = <A>(
  method: string,
  target: string | number,
  run: (done: (error: NodeJS.ErrnoException | null, value: A) => void) => void
): Effect.Effect<A, SystemError> =>
  Effect.async<A, SystemError>((resume) => {
    run((error, value) => resume(error ? Effect.fail(failure(method, target, error)) : Effect.succeed(value)))
  })

const option = <A>(value: A | null | undefined): Option.Option<A> => Option.fromNullable(value)

const infoOf = (stat: NFS.Stats): FileSystem.File.Info => ({
  type: stat.isFile()
    ? "File"
    : stat.isDirectory()
      ? "Directory"
      : stat.isSymbolicLink()
        ? "SymbolicLink"
        : stat.isBlockDevice()
          ? "BlockDevice"
          : stat.isCharacterDevice()
            ? "CharacterDevice"
            : stat.isFIFO()
              ? "FIFO"
              : stat.isSocket()
                ? "Socket"
                : "Unknown",
  mtime: option(stat.mtime),
  atime: option(stat.atime),
  birthtime: option(stat.birthtime),
  dev: stat.dev,
  ino: option(stat.ino),
  mode: stat.mode,
  nlink: option(stat.nlink),
  uid: option(stat.uid),
  gid: option(stat.gid),
  rdev: option(stat.rdev),
  size: Size(stat.size),
  blksize: Option.map(option(stat.blksize), Size),
  blocks: option(stat.blocks)
})

/** An open file: reads and writes advance a position (appends write at the end). */
class NodeFile implements FileSystem.File {
  readonly [FileTypeId]: FileSystem.FileTypeId = FileTypeId
  readonly fd: FileSystem.File.Descriptor
  private position = 0
  private readonly lock = Effect.unsafeMakeSemaphore(1)

  constructor(
    fd: number,
    private readonly append: boolean
  ) {
    this.fd = fd as FileSystem.File.Descriptor
  }

  get stat() {
    return Effect.map(
      call<NFS.Stats>("stat", this.fd, (done) => NFS.fstat(this.fd, done)),
      infoOf
    )
  }

  get sync() {
    return call<void>("sync", this.fd, (done) => NFS.fsync(this.fd, (e) => done(e, undefined)))
  }

  seek(offset: FileSystem.SizeInput, from: FileSystem.SeekMode) {
    return this.lock.withPermits(1)(
      Effect.sync(() => {
        this.position = (from === "start" ? 0 : this.position) + Number(offset)
      })
    )
  }

  read(buffer: Uint8Array) {
    return this.lock.withPermits(1)(
      Effect.map(
        Effect.suspend(() =>
          call<number>("read", this.fd, (done) =>
            NFS.read(this.fd, buffer, 0, buffer.length, this.position, (e, n) => done(e, n))
          )
        ),
        (n) => {
          this.position += n
          return Size(n)
        }
      )
    )
  }

  readAlloc(size: FileSystem.SizeInput) {
    const buffer = Buffer.allocUnsafeSlow(Number(size))
    return Effect.map(this.read(buffer), (n): Option.Option<Uint8Array> => {
      const count = Number(n)
      if (count === 0) return Option.none()
      return Option.some(count === buffer.length ? buffer : Uint8Array.prototype.slice.call(buffer, 0, count))
    })
  }

  truncate(length?: FileSystem.SizeInput) {
    const to = length === undefined ? 0 : Number(length)
    return this.lock.withPermits(1)(
      Effect.map(
        call<void>("truncate", this.fd, (done) => NFS.ftruncate(this.fd, to, (e) => done(e, undefined))),
        () => {
          if (!this.append && this.position > to) this.position = to
        }
      )
    )
  }

  private writeOnce(buffer: Uint8Array): Effect.Effect<number, SystemError> {
    return Effect.suspend(() =>
      call<number>("write", this.fd, (done) =>
        NFS.write(this.fd, buffer, 0, buffer.length, this.append ? null : this.position, (e, n) => done(e, n))
      )
    ).pipe(
      Effect.tap((n) => {
        if (!this.append) this.position += n
      })
    )
  }

  write(buffer: Uint8Array) {
    return this.lock.withPermits(1)(Effect.map(this.writeOnce(buffer), Size))
  }

  writeAll(buffer: Uint8Array) {
    const loop = (rest: Uint8Array): Effect.Effect<void, SystemError> =>
      rest.length === 0
        ? Effect.void
        : Effect.flatMap(this.writeOnce(rest), (n) =>
            n === 0
              ? Effect.fail(
                  systemError({
                    reason: "WriteZero",
                    module: "FileSystem",
                    method: "writeAll",
                    pathOrDescriptor: this.fd,
                    description: "write returned 0 bytes written"
                  })
                )
              : loop(rest.subarray(n))
          )
    return this.lock.withPermits(1)(loop(buffer))
  }
}

const open = (path: string, options?: FileSystem.OpenFileOptions) => {
  const flag = options?.flag ?? "r"
  return Effect.acquireRelease(
    call<number>("open", path, (done) => NFS.open(path, flag, options?.mode, done)),
    (fd) => Effect.async<void>((resume) => NFS.close(fd, () => resume(Effect.void)))
  ).pipe(Effect.map((fd): FileSystem.File => new NodeFile(fd, flag.startsWith("a"))))
}

/**
 * {@link Files} on `node:fs`.
 *
 * @internal
 */
export const files: Files = {
  link: (from, to) => call<void>("link", from, (done) => NFS.link(from, to, (e) => done(e, undefined))),
  makeDirectory: (path, options) =>
    call<void>("makeDirectory", path, (done) =>
      NFS.mkdir(path, { recursive: options?.recursive ?? false, mode: options?.mode ?? 0o777 }, (e) =>
        done(e, undefined)
      )
    ),
  open,
  readDirectory: (path, options) =>
    call<Array<string>>("readDirectory", path, (done) =>
      NFS.readdir(path, { encoding: "utf8", recursive: options?.recursive ?? false }, (e, names) =>
        done(e, names)
      )
    ),
  readFile: (path) => call<Uint8Array>("readFile", path, (done) => NFS.readFile(path, done)),
  readFileString: (path, encoding) =>
    call<string>("readFile", path, (done) =>
      NFS.readFile(path, { encoding: (encoding ?? "utf8") as BufferEncoding }, done)
    ),
  readLink: (path) => call<string>("readLink", path, (done) => NFS.readlink(path, "utf8", done)),
  remove: (path, options) =>
    call<void>("remove", path, (done) =>
      NFS.rm(path, { recursive: options?.recursive ?? false, force: options?.force ?? false }, (e) =>
        done(e, undefined)
      )
    ),
  rename: (from, to) => call<void>("rename", from, (done) => NFS.rename(from, to, (e) => done(e, undefined))),
  stat: (path) =>
    Effect.map(
      call<NFS.Stats>("stat", path, (done) => NFS.stat(path, done)),
      infoOf
    )
}

/**
 * `Path` on `node:path` (the platform's own separators and rules).
 *
 * @internal
 */
export const path: Path.Path = {
  [PathTypeId]: PathTypeId,
  ...NodePath,
  fromFileUrl: (url) =>
    Effect.try({
      try: () => fileURLToPath(url),
      catch: (error) => badArgument("fromFileUrl", error)
    }),
  toFileUrl: (p) =>
    Effect.try({
      try: () => pathToFileURL(p),
      catch: (error) => badArgument("toFileUrl", error)
    })
}
