#!/usr/bin/env bash
# Runs `changeset version` on a scratch copy of the repository (the repository itself is left
# alone), so that a broken changeset (an unknown package, a bad bump, bad front matter) fails
# CI rather than the release, and checks that every package named by a pending changeset gets
# a CHANGELOG.md with its new version and that every changeset was consumed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/partnerbook-changesets.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# The tracked and new files (not node_modules, dist, ...): what a clean clone would hold.
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$root" && xargs -0 tar cf - --no-recursion 2>/dev/null) | (cd "$scratch" && tar xf -)
ln -s "$root/node_modules" "$scratch/node_modules"

cd "$scratch"
shopt -s nullglob
pending=(.changeset/*.md)
pending=("${pending[@]/.changeset\/README.md/}")
if [[ ${#pending[@]} -eq 0 ]]; then
  echo "no pending changeset"
  exit 0
fi
# The packages the changesets name (front matter lines `"@scope/name": bump`).
named="$(sed -n '/^---$/,/^---$/p' "${pending[@]}" | grep -oE '^"[^"]+"' | tr -d '"' | sort -u)"
echo "${#pending[@]} pending changesets for: $(echo "$named" | tr '\n' ' ')"

node_modules/.bin/changeset version

left=(.changeset/*.md)
left=("${left[@]/.changeset\/README.md/}")
[[ ${#left[@]} -eq 0 || -z "${left[*]// /}" ]] || { echo "changesets left unconsumed: ${left[*]}"; exit 1; }
status=0
for name in $named; do
  dir="$(grep -l "\"name\": \"$name\"" packages/*/package.json | head -1 | xargs dirname)"
  [[ -n "$dir" ]] || { echo "a changeset names $name, which is no package here"; status=1; continue; }
  version="$(node -p "require('./$dir/package.json').version")"
  if [[ ! -f "$dir/CHANGELOG.md" ]] || ! grep -q "^## $version\$" "$dir/CHANGELOG.md"; then
    echo "$dir/CHANGELOG.md has no section for $name $version"
    status=1
  else
    echo "$name $version: $dir/CHANGELOG.md"
  fi
done
exit $status
