#!/usr/bin/env bash
# compat/pm2-e2e.sh: pm2's own end-to-end suite (Unitech/pm2 test/e2e), run from a fetched copy of
# pm2's repository against pm2 itself or against jpm, one test file at a time, each in a fresh copy
# of the repository's tree with a private HOME (so ~/.pm2 is the run's own).
#
#   compat/pm2-e2e.sh pm2|jpm [test/e2e/cli/reload.sh ...]
#
# PM2_GIT     pm2's git directory (a fetched snapshot; nothing of it is copied into this repository)
# PM2_BIN     pm2 itself, for `pm2` runs (installed into a private prefix), default /tmp/pm2/bin/pm2
# OUT         where results go (default bench/results/pm2-e2e-<manager>-<time>)
# TIMEOUT     seconds per test file (default 420)
# SED         a sed script applied to each test file before it runs (kept out of the tests' environment),
#             to see whether a file passes past one known difference, e.g.
#             SED="s/^ispec \"should delete broken dump\"/spec \"replaced\"/" compat/pm2-e2e.sh jpm test/e2e/cli/resurrect.sh
#
# Each test file runs as pm2's runTest does (once, and once more if it failed) from the tree's root,
# where the suite's include.sh finds `bin/pm2`. That file is replaced by a wrapper: pm2's own binary,
# or jpm through compat/jpm-as-pm2, which maps PM2_HOME (or ~/.pm2) to JPM_HOME and gives the home pm2's
# file names (pm2.pid, dump.pm2). Prints one line per file:
# PASS/FAIL/RETRY-PASS, and writes each file's output under $OUT.
# test/e2e/binaries/pm2-dev.sh runs `pkill -f Daemon`, which matches every pm2 God daemon and every jpm
# daemon (io.jpm.daemon.DaemonMain) of the machine, and the suite writes fixed names in /tmp: run it
# in a PID and mount namespace of its own with a /tmp of its own, e.g.
#   compat/private-tmp compat/pm2-e2e.sh jpm
set -uo pipefail
sed_script=${SED:-}
unset SED # apps list their environment: the script must not be in what the tests grep
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
manager=${1:?usage: $0 pm2|jpm [test files...]}
shift
PM2_GIT=${PM2_GIT:-/work/.mirror/Unitech+pm2/repo}
PM2_BIN=${PM2_BIN:-/tmp/pm2/bin/pm2}
TIMEOUT=${TIMEOUT:-420}
OUT=${OUT:-$root/bench/results/pm2-e2e-$manager-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
work=$(mktemp -d "/tmp/pm2-e2e-$manager.XXXXXX")
trap 'rm -rf "$work"' EXIT

git --git-dir="$PM2_GIT" archive --format=tar HEAD >"$work/tree.tar" || { echo "cannot read $PM2_GIT" >&2; exit 2; }
commit=$(git --git-dir="$PM2_GIT" rev-parse --short HEAD)
if [ $# -eq 0 ]; then
  mapfile -t tests < <(tar -tf "$work/tree.tar" | grep -E '^test/e2e/.*\.sh$' | grep -v -e '/include\.sh$' -e '/\.#' | sort)
else
  tests=("$@")
fi
pm2_modules=$(dirname "$(readlink -f "$PM2_BIN")")/../node_modules

wrapper() {
  local bin=$1
  if [ "$manager" = pm2 ]; then
    printf '#!/bin/sh\nexec %q "$@"\n' "$PM2_BIN" >"$bin/pm2"
    printf '#!/bin/sh\nexec %q "$@"\n' "$(dirname "$PM2_BIN")/pm2-runtime" >"$bin/pm2-runtime"
    printf '#!/bin/sh\nexec %q "$@"\n' "$(dirname "$PM2_BIN")/pm2-dev" >"$bin/pm2-dev"
  else
    printf '#!/bin/sh\nexec %q "$@"\n' "$here/jpm-as-pm2" >"$bin/pm2"
    printf '#!/bin/sh\nJPM_AS_PM2_RUNTIME=1 exec %q "$@"\n' "$here/jpm-as-pm2" >"$bin/pm2-runtime"
    printf '#!/bin/sh\nJPM_AS_PM2_DEV=1 exec %q "$@"\n' "$here/jpm-as-pm2" >"$bin/pm2-dev"
    # pm2 the library (the tree's index.js, which fixtures such as startProcessInsidePm2.js require
    # from inside an app) is jpm's Node client, as pm2 the command is jpm
    printf 'module.exports = require(%s);\n' "'$root/clients/node'" >"$bin/../index.js"
  fi
  chmod +x "$bin"/pm2*
}

# The tree's node_modules: pm2's install's, as in pm2's checkout. For jpm, every entry of it but
# @opentelemetry, which is the manager's own tracing packages (otel-install.sh resolves them from
# the tree, where pm2's install-otel puts them): jpm's install-otel puts them in JPM_HOME/otel, the
# run's ~/.pm2/otel, so the tree's @opentelemetry links there (missing until they are installed).
node_modules() { # tree
  if [ "$manager" = pm2 ]; then
    ln -sfn "$pm2_modules" "$1/node_modules"
    return
  fi
  mkdir "$1/node_modules"
  local entry
  for entry in "$pm2_modules"/* "$pm2_modules"/.[!.]*; do
    [ -e "$entry" ] && [ "${entry##*/}" != @opentelemetry ] && ln -s "$entry" "$1/node_modules/"
  done
  ln -s "$1/.home/.pm2/otel/node_modules/@opentelemetry" "$1/node_modules/@opentelemetry"
}

run_once() { # tree test log
  (cd "$1" && HOME="$1/.home" PM2_SILENT=true timeout -k 10 "$TIMEOUT" bash "$2") >"$3" 2>&1 </dev/null
}

clean_up_daemons() { # home tree
  local pid
  (cd "$2" && HOME="$1" timeout 60 bin/pm2 kill) >/dev/null 2>&1
  for pid in $(cat "$1"/.pm2/pm2.pid "$1"/.pm2/jpm.pid 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  # whatever the test left running in this tree (apps carry the tree in their cwd or command line,
  # daemons of another home under it, such as pm2-dev's ~/.pm2-dev, in their environment)
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    case "$(readlink "$d/cwd" 2>/dev/null) $(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) $(tr '\0' '\n' <"$d/environ" 2>/dev/null | grep -E '^(JPM|PM2)_HOME=')" in
      *"$2"*) kill -9 "$pid" 2>/dev/null ;;
    esac
  done
}

[ -z "$sed_script" ] || echo "# test files changed by: sed '$sed_script'" | tee "$OUT/sed.txt"
echo "# pm2 e2e suite at $commit against $manager ($( [ "$manager" = pm2 ] && "$PM2_BIN" --version 2>/dev/null | tail -n 1 || git -C "$root" rev-parse --short HEAD)), $(date -u +%FT%TZ)" | tee "$OUT/summary.txt"
pass=0 fail=0
for t in "${tests[@]}"; do
  tree="$work/$(echo "$t" | tr / _)"
  mkdir -p "$tree/.home" && tar -xf "$work/tree.tar" -C "$tree"
  node_modules "$tree"
  [ -z "$sed_script" ] || sed -i "$sed_script" "$tree/$t"
  wrapper "$tree/bin"
  log="$OUT/$(echo "${t#test/e2e/}" | tr / _).log"
  start=$(date +%s)
  if run_once "$tree" "$t" "$log"; then verdict=PASS
  else
    clean_up_daemons "$tree/.home" "$tree"
    mv "$log" "$log.first"
    if run_once "$tree" "$t" "$log"; then verdict=RETRY-PASS; else verdict=FAIL; fi
  fi
  clean_up_daemons "$tree/.home" "$tree"
  case $verdict in FAIL) fail=$((fail + 1)) ;; *) pass=$((pass + 1)) ;; esac
  printf '%-10s %4ss %s\n' "$verdict" "$(( $(date +%s) - start ))" "$t" | tee -a "$OUT/summary.txt"
  rm -rf "$tree"
done
echo "# $pass passed, $fail failed of ${#tests[@]}" | tee -a "$OUT/summary.txt"
