#!/usr/bin/env bash
# Installs whatever this machine lacks for the drill and the tests, then builds: Debian packages, the Temporal
# CLI and the Kafka jars, node_modules (npm ci) and dist/ (npm run build). `npm run drill`, `npm test` and
# .ci/run all start here. Each step first checks, cheaply, whether it has anything to do, so on a machine that
# has everything this takes about a second. Never asks a question (CI=true runs it without a terminal).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive
step() { printf '==> %s\n' "$*"; }

step "Debian packages"
bash lab/install/apt.sh

step "Temporal CLI and Kafka jars (cached in ${REKINDLE_CACHE:-~/.cache/rekindle})"
bash lab/install/binaries.sh

# node_modules is current when it was installed from this very package-lock.json.
stamp=node_modules/.rekindle-lock.sha256
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sha" ]; then
  echo "node_modules: installed from the current package-lock.json"
else
  step "npm ci (its prepare script builds the CLI into dist/)"
  npm ci --no-audit --no-fund
  echo "$lock_sha" > "$stamp"
fi

# dist/ is current when no source file is newer than the last build.
built=dist/.tsbuildinfo
sources=(cli client codec worker workflows compiler activities audit drill lab tsconfig.json tsconfig.build.json)
if [ -f "$built" ] && [ -z "$(find "${sources[@]}" -newer "$built" \( -name '*.ts' -o -name '*.json' \) -not -path 'lab/state/*' -print -quit)" ]; then
  echo "dist/: built from the current sources"
else
  step "npm run build"
  npm run build
  # tsc leaves its build info alone when nothing changed; mark the check done either way.
  touch "$built"
fi
