#!/usr/bin/env bash
# bench/release.sh: the release artifacts against the dev build and pm2, in one run.
#
# Measures foundation.sh's "first command": `ping` right after `kill`, no daemon running (the CLI
# starts one and waits for its answer), median of RUNS, for
#   dev      bin/jpm + target/jpm.jar (a snapshot, as foundation.sh), on the machine's java
#   tarball  target/dist/jpm-*-linux-*.tar.gz extracted into the work dir, on its own runtime
#   pm2      $PM2_PREFIX/bin/pm2
#   before   with BEFORE=<an older tarball>: that one too, extracted beside (a change's cost in turn)
# in turn within each round (the machine's load moves all three alike), each with its own home.
# Both jpm's record their CDS archives first (one ping, then until the daemon's archive is there),
# so what is measured is every later first command. Then the artifacts' sizes.
#
# Usage: mvn -B -DskipTests package -Pdist && bash bench/release.sh     (about a minute)
# Env knobs: RUNS=10  PM2_PREFIX=/tmp/pm2  KEEP_WORK=1  BEFORE=<tarball>
set -uo pipefail
RUNS=${RUNS:-10}
LOG_TAG=release
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
tarball=$(ls "$root"/target/dist/jpm-*-linux-*.tar.gz 2>/dev/null) || die "no tarball: mvn -B -DskipTests package -Pdist"
deb=$(ls "$root"/target/dist/jpm_*.deb 2>/dev/null || true)
PM2="${PM2_PREFIX:-/tmp/pm2}/bin/pm2"
[ -x "$PM2" ] || die "pm2 not found at $PM2"
WORK=$(mktemp -d /tmp/jpm-bench-release.XXXXXX)
RUN_ID="release-$$-$(date +%s)"
export JPM_BENCH_RUN="$RUN_ID" JPM_BRIDGE_PORT=0 PM2_HOME="$WORK/pm2-home"
homes=("$WORK/dev-home" "$WORK/tar-home" "$WORK/before-home")
cleanup() {
  local rc=$? h
  trap - EXIT INT TERM
  for h in "${homes[@]}"; do JPM_HOME=$h timeout 30 "$WORK/dev/bin/jpm" kill >/dev/null 2>&1; done
  timeout 30 "$PM2" kill >/dev/null 2>&1
  kill_run_processes
  remove_work
  exit "$rc"
}
bench_traps cleanup

mkdir -p "$WORK/dev/bin" "$WORK/dev/target" "$WORK/tar"
cp "$root/bin/jpm" "$WORK/dev/bin/" && cp "$root/target/jpm.jar" "$WORK/dev/target/" || die "snapshot of the dev build"
tar -C "$WORK/tar" -xzf "$tarball" || die "extracting $tarball"
tar_jpm=$(echo "$WORK"/tar/jpm-*/bin/jpm)
jpms=(dev tarball)
if [ -n "${BEFORE:-}" ]; then
  mkdir -p "$WORK/before" && tar -C "$WORK/before" -xzf "$BEFORE" || die "extracting $BEFORE"
  before_jpm=$(echo "$WORK"/before/jpm-*/bin/jpm)
  jpms+=(before)
fi

# cli NAME ARGS...: runs dev, tarball or pm2 with its own home
cli() {
  case $1 in
    dev) JPM_HOME="$WORK/dev-home" timeout 60 "$WORK/dev/bin/jpm" "${@:2}" ;;
    tarball) JPM_HOME="$WORK/tar-home" timeout 60 "$tar_jpm" "${@:2}" ;;
    before) JPM_HOME="$WORK/before-home" timeout 60 "$before_jpm" "${@:2}" ;;
    pm2) timeout 60 "$PM2" "${@:2}" ;;
  esac
}
pidfile() { case $1 in dev) echo "$WORK/dev-home/jpm.pid" ;; tarball) echo "$WORK/tar-home/jpm.pid" ;; before) echo "$WORK/before-home/jpm.pid" ;; pm2) echo "$PM2_HOME/pm2.pid" ;; esac; }
gone() { # pid: waits up to 30 s
  local i
  for i in $(seq 1 300); do [ -d "/proc/$1" ] || return 0; sleep 0.1; done
  die "daemon $1 still running 30 s after kill"
}
now_ns() { date +%s%N; }

for tool in "${jpms[@]}"; do
  cli "$tool" ping >/dev/null 2>&1 || die "$tool: the daemon does not start"
  case $tool in dev) dir="$WORK/dev/target" ;; tarball) dir=${tar_jpm%/bin/jpm}/lib ;; before) dir=${before_jpm%/bin/jpm}/lib ;; esac
  for i in $(seq 1 600); do compgen -G "$dir/jpm-daemon-*.jsa" >/dev/null && break; sleep 0.1; done
  compgen -G "$dir/jpm-daemon-*.jsa" >/dev/null || log "$tool: no daemon archive after 60 s"
  [ -f "$dir/jpm-cli.jsa" ] || log "$tool: no CLI archive"
done
cli pm2 ping >/dev/null 2>&1 || die "pm2 does not start"

log "first command, $RUNS rounds of ${jpms[*]} pm2"
for ((r = 0; r < RUNS; r++)); do
  for tool in "${jpms[@]}" pm2; do
    cli "$tool" ping >/dev/null 2>&1
    pid=$(cat "$(pidfile "$tool")")
    cli "$tool" kill >/dev/null 2>&1
    gone "$pid"
    sleep 0.5
    t0=$(now_ns)
    cli "$tool" ping >/dev/null 2>&1 || die "$tool: cold ping failed"
    echo $((($(now_ns) - t0) / 1000000)) >>"$WORK/$tool.cold"
  done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
tree_bytes() { du -sb "$1" | cut -f1; }

echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS, pm2 $(cli pm2 --version 2>/dev/null | tail -n 1)"
echo
heads="" rules="" cells="" samples=""
for tool in "${jpms[@]}" pm2; do
  heads+=" | $tool" rules+=" | ---:" cells+=" | $(median <"$WORK/$tool.cold")"
  samples+="$tool $(tr '\n' ' ' <"$WORK/$tool.cold")/ "
done
echo "| first command, no daemon (\`ping\` after \`kill\`, median of $RUNS)$heads |"
echo "| ---$rules |"
echo "| ms$cells |"
echo
echo "samples (ms): $samples"
echo
tar_tree=$(dirname "$(dirname "$tar_jpm")")
echo "| artifact | size |"
echo "| --- | ---: |"
echo "| $(basename "$tarball") | $(mib "$(stat -c %s "$tarball")") |"
[ -n "$deb" ] && echo "| $(basename "$deb") | $(mib "$(stat -c %s "$deb")") (Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB) |"
echo "| the tarball extracted (CDS archives recorded) | $(mib "$(tree_bytes "$tar_tree")") |"
echo "| … of which runtime/ | $(mib "$(tree_bytes "$tar_tree/runtime")") |"
echo "| … of which lib/ (jpm.jar, cluster-lib/) | $(mib "$(du -cb "$tar_tree"/lib/jpm.jar "$tar_tree"/lib/cluster-lib | tail -1 | cut -f1)") |"
echo "| … of which the two CDS archives | $(mib "$(du -cb "$tar_tree"/lib/*.jsa | tail -1 | cut -f1)") |"
[ -z "${BEFORE:-}" ] || echo "| before: $(basename "$BEFORE") extracted (CDS archives recorded) | $(mib "$(tree_bytes "${before_jpm%/bin/jpm}")") |"
echo "| dev build: target/jpm.jar + cluster-lib/ (the JDK not counted) | $(mib "$(du -cb "$root/target/jpm.jar" "$root/target/cluster-lib" | tail -1 | cut -f1)") |"
