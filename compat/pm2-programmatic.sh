#!/usr/bin/env bash
# compat/pm2-programmatic.sh: pm2's own programmatic tests (Unitech/pm2 test/programmatic, mocha files
# that drive pm2 through `require('pm2')`), run from a fetched copy of pm2's repository against pm2
# itself or against jpm through its Node client (clients/node, the jpm-pm2 package), one file at a
# time, each in a fresh copy of the repository's tree with a private HOME (so ~/.pm2 is the run's own).
#
#   compat/pm2-programmatic.sh pm2|jpm [test/programmatic/dump.mocha.js ...]
#
# PM2_GIT     pm2's git directory (a fetched snapshot; nothing of it is copied into this repository)
# PM2_BIN     pm2's install, whose node_modules the tree's lib and fixtures require (default /tmp/pm2/bin/pm2)
# OUT         where results go (default bench/results/pm2-programmatic-<manager>-<time>)
# TIMEOUT     seconds per test file (default 300)
#
# Without files it runs the 25 that use only pm2's public API (compat/README.md says which and why
# the others are left out). Each file runs as pm2's test/unit.sh runs it (`mocha --exit --bail`, the
# tree's .mocharc.js; once, and once more after a `pm2 kill` if it failed) from the tree's root.
# Under pm2, `require('../..')` is the tree's own pm2 (its lib, with the install's node_modules);
# under jpm the tree's index.js is replaced by one line that requires clients/node, bin/pm2 is
# compat/jpm-as-pm2, and the client's daemon is the run's ~/.pm2 with pm2's file names
# (JPM_FILE_NAMES=pm2: pm2.pid, dump.pm2). The tests' devDependencies (mocha, should) are installed
# with npm into the run's temp folder. Prints one line per file: PASS/FAIL/RETRY-PASS, and writes
# each file's output under $OUT.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
manager=${1:?usage: $0 pm2|jpm [test files...]}
shift
case $manager in pm2 | jpm) ;; *) echo "usage: $0 pm2|jpm [test files...]" >&2; exit 2 ;; esac
PM2_GIT=${PM2_GIT:-/work/.mirror/Unitech+pm2/repo}
PM2_BIN=${PM2_BIN:-/tmp/pm2/bin/pm2}
TIMEOUT=${TIMEOUT:-300}
OUT=${OUT:-$root/bench/results/pm2-programmatic-$manager-$(date +%Y%m%d-%H%M%S)}
# the files that drive pm2 through its public API only (compat/README.md, "pm2-programmatic.sh")
PUBLIC=(
  api.backward.compatibility.mocha.js auto_restart.mocha.js cluster.mocha.js conf_update.mocha.js
  custom_action.mocha.js dump.mocha.js env_switching.js filter_env.mocha.js flush.mocha.js id.mocha.js
  inside.mocha.js instances.mocha.js issue_6073_object_env.mocha.js lazy_api.mocha.js logs.js
  max_memory_limit.js misc_commands.js namespace.mocha.js path_resolution.mocha.js programmatic.js
  reload-locker.mocha.js send_data_process.mocha.js signals.js version.mocha.js watcher.js
)
mkdir -p "$OUT"
work=$(mktemp -d "/tmp/pm2-programmatic-$manager.XXXXXX")
trap 'rm -rf "$work"' EXIT

git --git-dir="$PM2_GIT" archive --format=tar HEAD >"$work/tree.tar" || { echo "cannot read $PM2_GIT" >&2; exit 2; }
commit=$(git --git-dir="$PM2_GIT" rev-parse --short HEAD)
if [ $# -eq 0 ]; then
  tests=("${PUBLIC[@]/#/test/programmatic/}")
else
  tests=("$@")
fi
pm2_modules=$(dirname "$(readlink -f "$PM2_BIN")")/../node_modules

# pm2's devDependencies the tests require, at the versions of its package.json, installed once
tar -xOf "$work/tree.tar" package.json >"$work/pm2-package.json"
dev=$(node -e 'const d = require(process.argv[1]).devDependencies; console.log(["mocha", "should"].map((n) => n + "@" + d[n]).join(" "))' "$work/pm2-package.json")
mkdir -p "$work/dev"
# shellcheck disable=SC2086 # two words, each a package
(cd "$work/dev" && echo '{"private": true}' >package.json && npm install --no-audit --no-fund --loglevel=error $dev) >"$OUT/npm-install.log" 2>&1 ||
  { echo "npm install $dev failed: $OUT/npm-install.log" >&2; exit 2; }

# The tree's node_modules: pm2's install's entries (the tree's lib and the fixtures require them),
# and mocha and should, which resolve their own dependencies from where npm put them.
node_modules() { # tree
  mkdir "$1/node_modules"
  local entry
  for entry in "$pm2_modules"/* "$pm2_modules"/.[!.]*; do
    [ -e "$entry" ] && ln -s "$entry" "$1/node_modules/"
  done
  for entry in mocha should; do
    rm -f "$1/node_modules/$entry"
    ln -s "$work/dev/node_modules/$entry" "$1/node_modules/$entry"
  done
}

wrapper() { # tree
  if [ "$manager" = pm2 ]; then
    return # the tree's own bin/pm2 and index.js
  fi
  printf '#!/bin/sh\nexec %q "$@"\n' "$here/jpm-as-pm2" >"$1/bin/pm2"
  chmod +x "$1/bin/pm2"
  printf 'module.exports = require(%s);\n' "'$root/clients/node'" >"$1/index.js"
}

run_once() { # tree test log
  local env=(HOME="$1/.home" PM2_SILENT=true)
  # the client's daemon is the home's ~/.pm2 with pm2's file names, started by jpm-as-pm2's jpm
  [ "$manager" = jpm ] && env+=(JPM_HOME="$1/.home/.pm2" JPM_FILE_NAMES=pm2 JPM_BIN="$root/bin/jpm")
  (cd "$1" && env "${env[@]}" timeout -k 10 "$TIMEOUT" node node_modules/mocha/bin/mocha.js --exit --bail "$2") >"$3" 2>&1 </dev/null
}

clean_up_daemons() { # home tree
  local pid
  (cd "$2" && HOME="$1" timeout 60 bin/pm2 kill) >/dev/null 2>&1
  for pid in $(cat "$1"/.pm2/pm2.pid "$1"/.pm2/jpm.pid 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  # whatever the test left running in this tree: apps carry the tree in their cwd, command line or
  # environment (JPM_HOME, PM2_HOME); one grep and one find over /proc, not three commands a process
  for pid in $( (grep -lsF "$2" /proc/[0-9]*/cmdline /proc/[0-9]*/environ; find /proc/[0-9]*/cwd -maxdepth 0 -lname "$2*") 2>/dev/null |
    cut -d/ -f3 | sort -u); do
    [ "$pid" != $$ ] && [ "$pid" != "$BASHPID" ] && kill -9 "$pid" 2>/dev/null
  done
}

# pm2's version from its package.json: `pm2 --version` would start a daemon in the real ~/.pm2
pm2_version() { node -p "require('$pm2_modules/../package.json').version"; }
echo "# pm2 programmatic tests at $commit against $manager ($( [ "$manager" = pm2 ] && pm2_version || git -C "$root" rev-parse --short HEAD)), $(date -u +%FT%TZ)" | tee "$OUT/summary.txt"
pass=0 fail=0
for t in "${tests[@]}"; do
  tree="$work/$(echo "$t" | tr / _)"
  mkdir -p "$tree/.home" && tar -xf "$work/tree.tar" -C "$tree"
  node_modules "$tree"
  wrapper "$tree"
  log="$OUT/$(echo "${t#test/programmatic/}" | tr / _).log"
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
