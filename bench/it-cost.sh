#!/usr/bin/env bash
# bench/it-cost.sh: what IT classes cost, for docs/ARCHITECTURE.md "Tests and CI time".
#   bench/it-cost.sh 'ClassIT[,OtherIT]' [tag]
# Runs them (mvn -o test-compile failsafe:integration-test failsafe:verify, after a
# `mvn -o package -DskipTests`) in a cpuacct cgroup of their own, so every process they start counts,
# daemons and apps included, and no other build's. Prints the CPU-s and wall of the run (Maven's own
# ~6 CPU-s included: `bench/it-cost.sh NoSuchIT` gives it) and, sampled every 0.2 s, the CPU-s by kind
# of process (daemon, cli-java, chromium, node/npm, shell...), with how many of each: a process that
# ends between two samples loses its last ticks, and one that lives under 0.2 s may be missed. Needs
# root, cgroup v1's cpuacct at /sys/fs/cgroup/cpuacct and python3. Output in target/it-cost/<tag>/.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=$1
tag=${2:-$(printf '%s' "$pattern" | tr -c 'A-Za-z0-9' '_')}
cg=/sys/fs/cgroup/cpuacct/jpm-it-cost-$tag-$$
out=target/it-cost/$tag
mkdir -p "$cg" "$out"
rm -f "$out/stop"
# the cgroup goes at the end, once empty (a process still in it keeps it, and is said below)
trap 'touch "$out/stop"; rmdir "$cg" 2>/dev/null || true' EXIT
python3 - "$cg" "$out/procs" "$out/stop" <<'PY' &
import collections, os, sys, time
cg, out, stop = sys.argv[1:4]
tick = os.sysconf('SC_CLK_TCK')
seen = {}  # pid -> [kind, ticks]
def kind(cmd):
    exe = os.path.basename(cmd.split(' ')[0]) if cmd else '?'
    if 'io.jpm.daemon.DaemonMain' in cmd: return 'daemon'
    if 'plexus-classworlds' in cmd: return 'maven'
    if 'surefirebooter' in cmd: return 'test-jvm'
    if 'java' in exe: return 'cli-java' if ('jpm.jar' in cmd or 'io.jpm' in cmd) else 'java-other'
    if 'chrom' in exe: return 'chromium'
    if exe in ('node', 'npm') or 'npm' in cmd[:60]: return 'node/npm'
    if exe.startswith('python') or 'python3' in cmd[:120]: return 'python'
    if exe in ('bash', 'sh', 'dash'): return 'shell'
    return exe
while not os.path.exists(stop):
    try:
        pids = open(cg + '/cgroup.procs').read().split()
    except OSError:
        break
    for pid in pids:
        try:
            stat = open('/proc/%s/stat' % pid).read()
            fields = stat[stat.rindex(')') + 2:].split()
            ticks = int(fields[11]) + int(fields[12])
            if pid not in seen:
                cmd = open('/proc/%s/cmdline' % pid).read().replace('\0', ' ')
                seen[pid] = [kind(cmd), ticks]
            else:
                seen[pid][1] = ticks
        except (OSError, ValueError, IndexError):
            pass
    time.sleep(0.2)
kinds = collections.defaultdict(lambda: [0, 0.0])
for k, t in seen.values():
    kinds[k][0] += 1
    kinds[k][1] += t / tick
with open(out, 'w') as f:
    f.write(' '.join('%s %d/%.1fs' % (k, n, s) for k, (n, s) in sorted(kinds.items(), key=lambda e: -e[1][1])) + '\n')
PY
sampler=$!
start=$(date +%s.%N)
set +e
(echo "$BASHPID" >"$cg/cgroup.procs"
 exec mvn -B -o test-compile failsafe:integration-test failsafe:verify -Dit.test="$pattern" \
   -Dfailsafe.failIfNoSpecifiedTests=false >"$out/mvn.log" 2>&1)
rc=$?
set -e
end=$(date +%s.%N)
sleep 1
touch "$out/stop"
wait "$sampler"
cpu=$(cat "$cg/cpuacct.usage")
summary=$( (grep -E 'Tests run:.*Fail' "$out/mvn.log" || echo 'no test ran') | tail -1 | sed 's/^\[[A-Z]*\] //')
python3 -c 'import sys; print("%s: exit %s, %.1f CPU-s, %.1f s wall; %s" % (sys.argv[1], sys.argv[2], int(sys.argv[3]) / 1e9, float(sys.argv[5]) - float(sys.argv[4]), sys.argv[6]))' \
  "$tag" "$rc" "$cpu" "$start" "$end" "$summary"
echo "  by kind (count/CPU-s): $(cat "$out/procs")"
left=$(wc -l <"$cg/cgroup.procs")
[ "$left" -eq 0 ] || echo "  $left processes still run in $cg"
exit "$rc"
