#!/usr/bin/env bash
# bench/fleet.sh: one app on three hosts behind one port (docs/BENCHMARKS.md, "A fleet app's port"),
# against HAProxy in front of the same app on the same hosts. Three hosts and a client in network
# namespaces on one switch (root only; iproute2), each host a jpm daemon of one cluster. jpm: a fleet
# app (bench/apps/hello.js, one instance a host, `hosts` web-1..3) in HTTP mode on port 8080 of each
# host; wrk through web-1's front, whose requests go to the instances of every host (the other two's
# through their daemons' relay). HAProxy (Debian's package): on web-1, round-robin over hello.js run
# directly on each host's address (port 9000); and in jpm's shape ("haproxy-tls": hello.js on loopback,
# the other hosts' through an HAProxy there over mutual TLS). ROUNDS rounds of each in turn, wrk -c CONNS for
# SECONDS; then, through jpm's front only, a `jpm reload`, web-3's link cut (then healed), web-3's daemon
# stopped 8 s and web-3 lost (its every process killed) under wrk: failed requests (wrk's socket errors,
# non-2xx answers and requests over its 2 s timeout), the longest request (max_ms), and how long until
# web-3's share ran on web-1 and web-2 (share_moved_s). cpu_us: the proxy's CPU time
# a request (jpm: the three daemons; HAProxy: its processes), which the machine's other load does not change much.
# Each round also times requests at RATE a second (8000; 0: not), open loop, through each proxy: its p99 below
# saturation. Usage: sudo bash bench/fleet.sh   (knobs: ROUNDS=3 SECONDS_EACH=10 CONNS=32 C2=1 PREFER=local: web-1's front
# keeps to its own instance; OUTAGES=0: the rounds only; PROFILE=DIR: JFR recordings of web-1's and web-2's daemons; KEEP=1 keeps the
# work folder with the daemons' logs; HEARTBEAT=S the cluster's heartbeat bound; needs wrk and haproxy)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=fleet
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNS=${CONNS:-32}
RATE=${RATE:-8000}
[ "$(id -u)" = 0 ] || die "network namespaces need root"
for tool in ip wrk haproxy node; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[ -f "$root/target/jpm.jar" ] || die "no build: mvn -B -q package -DskipTests"
WORK=$(mktemp -d /tmp/jpm-bench-fleet.XXXXXX)
ID=$$
NET=10.231.$((ID % 200 + 20))
SW=jpmb-sw-$ID
ns() { echo "jpmb-h$1-$ID"; }
JPM=$root/bin/jpm

CG=
cleanup() {
  for n in 1 2 3; do
    ip netns exec "$(ns "$n")" env JPM_HOME="$WORK/h$n" "$JPM" kill >/dev/null 2>&1
  done
  for n in 1 2 3 4; do
    ip netns pids "$(ns "$n")" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$(ns "$n")" 2>/dev/null
  done
  ip netns del "$SW" 2>/dev/null
  # a killed process leaves its group a moment after
  for n in 1 2 3 4; do
    for _ in $(seq 1 50); do [ -z "$CG" ] || [ ! -d "$CG/jpmb-h$n-$ID" ] || rmdir "$CG/jpmb-h$n-$ID" 2>/dev/null || sleep 0.1; done
  done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$SW"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for n in 1 2 3 4; do
  ip netns add "$(ns "$n")"
  ip -n "$(ns "$n")" link set lo up
  ip -n "$SW" link add "port$n" type veth peer name eth0 netns "$(ns "$n")"
  ip -n "$SW" link set "port$n" master br0
  ip -n "$SW" link set "port$n" up
  ip -n "$(ns "$n")" addr add "$NET.$n/24" dev eth0
  ip -n "$(ns "$n")" link set eth0 up
done
# Each host (and the client) in a CPU cgroup of its own, of equal weight: the four share the two cores as
# four machines would, whatever runs in each. Without, the kernel's autogroup made each session a group of its
# own: jpm's front shared one with its host's instance while HAProxy's had one alone, and its p99 was twice
# what it is in equal groups (2026-11-28). HOST_GROUPS=0: none; needs the cpu controller (cgroup v1 or v2).
if [ "${HOST_GROUPS:-1}" = 1 ]; then
  if [ -w /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.shares ]; then
    CG=/sys/fs/cgroup/cpu
  elif grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null \
    && { grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control; }; then
    CG=/sys/fs/cgroup
  else
    log "no CPU cgroups here: the hosts share the cores by the kernel's default grouping"
  fi
  for n in 1 2 3 4; do [ -z "$CG" ] || mkdir "$CG/jpmb-h$n-$ID" || CG=; done
fi
on() {
  local n=$1
  shift
  if [ -n "$CG" ]; then
    # joined before entering the namespace: ip netns exec mounts a /sys of its own, without the cgroups
    sh -c 'echo $$ >"$0" && exec "$@"' "$CG/jpmb-h$n-$ID/cgroup.procs" ip netns exec "$(ns "$n")" "$@"
  else
    ip netns exec "$(ns "$n")" "$@"
  fi
}
# HEARTBEAT=S: the daemons drop a silent member after S seconds (JPM_CLUSTER_HEARTBEAT_TIMEOUT_S), not 10
jpm_on() {
  local n=$1
  shift
  on "$n" env JPM_HOME="$WORK/h$n" ${HEARTBEAT:+JPM_CLUSTER_HEARTBEAT_TIMEOUT_S=$HEARTBEAT} "$JPM" "$@"
}

# the cluster: web-1's secret and certificate on every host
mkdir -m 700 "$WORK/h1" "$WORK/h2" "$WORK/h3"
jpm_on 1 cluster init >/dev/null || die "jpm cluster init"
for n in 2 3; do cp -p "$WORK/h1/cluster.secret" "$WORK/h1/cluster.p12" "$WORK/h$n/"; done
members="\"$NET.1:5701\",\"$NET.2:5701\",\"$NET.3:5701\""
for n in 1 2 3; do
  printf '{"cluster":{"name":"bench","node":"web-%s","listen":"%s:5701","bus_port":5702,"members":[%s]}}\n' \
    "$n" "$NET.$n" "$members" >"$WORK/h$n/jpm.json"
  jpm_on "$n" start "$root/bench/apps/idle.sh" --name "only-web-$n" >/dev/null 2>&1 || die "daemon on web-$n"
done
for _ in $(seq 1 120); do
  [ "$(jpm_on 1 jlist --all 2>/dev/null | grep -o '"only-web-[123]"' | sort -u | wc -l)" = 3 ] && break
  sleep 1
done
cat >"$WORK/eco.config.js" <<EOF
module.exports = { apps: [{ name: 'api', script: '$root/bench/apps/hello.js', instances: 1,
  hosts: ['web-1', 'web-2', 'web-3'], port: 8080, host: '0.0.0.0', balance: 'http'${PREFER:+, prefer: '$PREFER'} }] };
EOF
jpm_on 1 start "$WORK/eco.config.js" >"$WORK/start.out" 2>&1 || die "fleet start: $(tail -1 "$WORK/start.out")"

# answered by all three hosts' instances through web-1's front
pids_through() {
  for _ in $(seq 1 30); do on 4 curl -s -m 5 "http://$NET.1:$1/"; done | sort -u | wc -l
}
seen=3
[ "${PREFER:-}" = local ] && seen=1
for _ in $(seq 1 90); do [ "$(pids_through 8080)" -ge $seen ] && break; sleep 1; done
[ "$(pids_through 8080)" -ge $seen ] || die "web-1's front does not reach the instances ($seen)"

# each daemon started before it relayed anything, so on C1 alone: `jpm update` starts the next with C2,
# as the daemon's own warning says
if [ "${C2:-1}" = 1 ]; then
  for n in 1 2 3; do jpm_on "$n" update >/dev/null 2>&1 || log "update on web-$n failed"; done
  for _ in $(seq 1 90); do [ "$(pids_through 8080)" -ge $seen ] && break; sleep 1; done
fi

# HAProxy on web-1 in front of hello.js on each host's address
for n in 1 2 3; do
  on "$n" env PORT=9000 HOST="$NET.$n" node "$root/bench/apps/hello.js" >/dev/null 2>&1 &
done
cat >"$WORK/haproxy.cfg" <<EOF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend front
  bind $NET.1:8081
  default_backend apps
backend apps
  balance roundrobin
  server web1 $NET.1:9000
  server web2 $NET.2:9000
  server web3 $NET.3:9000
EOF
on 1 haproxy -D -f "$WORK/haproxy.cfg" -p "$WORK/haproxy.pid" || die "haproxy"
for _ in $(seq 1 30); do [ "$(pids_through 8081)" -ge 3 ] && break; sleep 1; done
[ "$(pids_through 8081)" -ge 3 ] || die "HAProxy does not reach the three hello.js"

# HAProxy in jpm's shape: hello.js on each host's loopback only, web-2's and web-3's reached through an
# HAProxy on that host (TCP mode, mutual TLS with one self-signed certificate, as jpm's relay), web-1's
# own directly: the price of keeping instance ports off the network, paid by HAProxy
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=bench \
  -keyout "$WORK/tls.key" -out "$WORK/tls.crt" >/dev/null 2>&1 || die "openssl"
cat "$WORK/tls.crt" "$WORK/tls.key" >"$WORK/tls.pem"
for n in 1 2 3; do
  on "$n" env PORT=9001 HOST=127.0.0.1 node "$root/bench/apps/hello.js" >/dev/null 2>&1 &
done
for n in 2 3; do
  cat >"$WORK/relay$n.cfg" <<EOF
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend relay
  bind $NET.$n:9443 ssl crt $WORK/tls.pem verify required ca-file $WORK/tls.crt
  default_backend instance
backend instance
  server local 127.0.0.1:9001
EOF
  on "$n" haproxy -D -f "$WORK/relay$n.cfg" -p "$WORK/relay$n.pid" || die "haproxy relay on web-$n"
done
cat >"$WORK/haproxy-tls.cfg" <<EOF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend front
  bind $NET.1:8082
  default_backend apps
backend apps
  balance roundrobin
  server web1 127.0.0.1:9001
  server web2 $NET.2:9443 ssl crt $WORK/tls.pem ca-file $WORK/tls.crt verify required
  server web3 $NET.3:9443 ssl crt $WORK/tls.pem ca-file $WORK/tls.crt verify required
EOF
on 1 haproxy -D -f "$WORK/haproxy-tls.cfg" -p "$WORK/haproxy-tls.pid" || die "haproxy with TLS"
for _ in $(seq 1 30); do [ "$(pids_through 8082)" -ge 3 ] && break; sleep 1; done
[ "$(pids_through 8082)" -ge 3 ] || die "HAProxy with TLS does not reach the three hello.js"

# wrk PORT SECONDS: "rps p99_ms failed max_ms"
measure() {
  on 4 wrk -t2 -c"$CONNS" -d"$2"s --latency "http://$NET.1:$1/" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
top = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\b", text)
scale = {"us": 0.001, "ms": 1, "s": 1000}
kinds = dict((k, int(n)) for k, n in re.findall(r"(connect|read|write|timeout) (\d+)", text))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
kinds["non-2xx"] = int(non2xx.group(1)) if non2xx else 0
failed = sum(kinds.values())
# which kinds, when any: wrk counts a request over its 2 s timeout as failed too
detail = "" if not failed else "(" + ",".join("%s:%d" % kv for kv in kinds.items() if kv[1]) + ")"
ms = lambda m: "%.1f" % (float(m.group(1)) * scale[m.group(2)]) if m else "?"
print("%s %s %d%s %s" % (rps.group(1) if rps else "0", ms(p99), failed, detail, ms(top)))'
}

# the CPU time (clock ticks, user + system) of the processes whose pid files are named: what a request
# costs the proxy, whatever else loads the machine
ticks() {
  local total=0 f
  for f in "$@"; do
    [ -s "$f" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$(head -1 "$f")/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
JPM_PIDS=("$WORK/h1/jpm.pid" "$WORK/h2/jpm.pid" "$WORK/h3/jpm.pid")
# the TCP connections web-1 has opened (its namespace's ActiveOpens): a proxy that keeps its connections
# to the instances opens few during a round, one that drops and remakes them pays a handshake each time
opens() { on 1 awk '/^Tcp:/ && ++n == 2 {print $6}' /proc/net/snmp; }
# PORT SECONDS PIDFILE...: "rps p99_ms failed cpu_us_per_request each/pid/file's connections_opened"
costed() {
  local port=$1 secs=$2 before after rps p99 failed opened
  shift 2
  local f each=() b
  for f in "$@"; do each+=("$(ticks "$f")"); done
  before=$(ticks "$@")
  opened=$(opens)
  read -r rps p99 failed _ < <(measure "$port" "$secs")
  opened=$(($(opens) - opened))
  after=$(ticks "$@")
  local per=() i=0
  for f in "$@"; do per+=("$(us_per_request "${each[$i]}" "$(ticks "$f")" "$rps" "$secs")"); i=$((i + 1)); done
  echo "$rps $p99 $failed $(us_per_request "$before" "$after" "$rps" "$secs") $(IFS=/; echo "${per[*]}") $opened"
}
us_per_request() {
  python3 -c "print('%.0f' % (($2 - $1) * 1e6 / $(getconf CLK_TCK) / max($3 * $4, 1)))"
}

# PORT: "p50_ms=.. p99_ms=.. p999_ms=.. failed=.." at RATE requests a second, open loop (bench/rate-latency.js:
# each request timed from when it was due): the latency a proxy adds below saturation. wrk's p99 above is taken
# with the two cores saturated, where it says mostly how the kernel shares them out
at_rate() {
  on 4 env HOST="$NET.1" node "$root/bench/rate-latency.js" "$1" "$RATE" "$SECONDS_EACH" "$CONNS" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("p50_ms=%s p99_ms=%s p999_ms=%s failed=%s" % (d["p50"], d["p99"], d["p999"], d["failed"]))'
}

log "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), jpm $(git -C "$root" rev-parse --short HEAD), $(haproxy -v | head -1)"
# a first run, not counted: each daemon's JIT compiles the relay's paths (twice a round: the daemons
# compile late, -XX:CompileThresholdScaling=5, and one round's worth left the first round's p99 at the
# same rate 30-40 ms while its compiles ran)
measure 8080 $((2 * SECONDS_EACH)) >/dev/null
# PROFILE=DIR: a JFR recording of web-1's and web-2's daemons over the rounds, in DIR (jfr print reads them)
if [ -n "${PROFILE:-}" ]; then
  for n in 1 2; do
    jcmd "$(cat "$WORK/h$n/jpm.pid")" JFR.start name=fleet settings=profile \
      filename="$PROFILE/web-$n.jfr" >/dev/null || log "no JFR on web-$n"
  done
fi
for r in $(seq 1 "$ROUNDS"); do
  read -r j_rps j_p99 j_failed j_cpu j_each j_opens < <(costed 8080 "$SECONDS_EACH" "${JPM_PIDS[@]}")
  read -r h_rps h_p99 h_failed h_cpu h_each h_opens < <(costed 8081 "$SECONDS_EACH" "$WORK/haproxy.pid")
  read -r t_rps t_p99 t_failed t_cpu t_each t_opens < <(costed 8082 "$SECONDS_EACH" "$WORK/haproxy-tls.pid" "$WORK/relay2.pid" "$WORK/relay3.pid")
  echo "round $r jpm rps=$j_rps p99_ms=$j_p99 failed=$j_failed cpu_us=$j_cpu ($j_each) opens=$j_opens" \
    "haproxy rps=$h_rps p99_ms=$h_p99 failed=$h_failed cpu_us=$h_cpu opens=$h_opens" \
    "haproxy-tls rps=$t_rps p99_ms=$t_p99 failed=$t_failed cpu_us=$t_cpu ($t_each) opens=$t_opens" \
    "ratio_rps=$(python3 -c "print('%.2f' % ($j_rps / max($h_rps, 1e-9)))")" \
    "ratio_tls_rps=$(python3 -c "print('%.2f' % ($j_rps / max($t_rps, 1e-9)))")" \
    "load=$(cut -d' ' -f1 /proc/loadavg)"
  if [ "$RATE" != 0 ]; then
    echo "round $r at $RATE req/s jpm $(at_rate 8080) haproxy $(at_rate 8081) haproxy-tls $(at_rate 8082)"
  fi
done

if [ -n "${PROFILE:-}" ]; then
  for n in 1 2; do jcmd "$(cat "$WORK/h$n/jpm.pid")" JFR.stop name=fleet >/dev/null; done
fi
# OUTAGES=0: the rounds only (a look at req/s and p99 without the four outages' minutes)
[ "${OUTAGES:-1}" = 0 ] && exit 0

# a fleet reload from web-2 under load through web-1's front
measure 8080 $((SECONDS_EACH + 10)) >"$WORK/reload.out" &
load=$!
sleep 2
jpm_on 2 reload api >"$WORK/reload.cli" 2>&1 || log "reload: $(tail -1 "$WORK/reload.cli")"
wait "$load"
read -r rps p99 failed max <"$WORK/reload.out"
echo "reload jpm rps=$rps p99_ms=$p99 max_ms=$max failed=$failed"

# api instances online on the hosts named: how many
online_on() {
  local total=0 n
  for n in "$@"; do
    total=$((total + $(jpm_on "$n" jlist 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for p in json.load(sys.stdin) if p["name"] == "api" and p["pm2_env"]["status"] == "online"))' 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# seconds from now until web-1 and web-2 run 3 api instances between them (web-3's share moved)
share_moved_in() {
  local start=$SECONDS
  for _ in $(seq 1 120); do [ "$(online_on 1 2)" -ge 3 ] && break; sleep 0.5; done
  echo "$((SECONDS - start))"
}

# web-3's link cut under load (its daemon and instance live on, unreachable), healed after: requests in
# flight to it and new ones are sent elsewhere; its share runs on web-1 and web-2 once the heartbeat bound
# (JPM_CLUSTER_HEARTBEAT_TIMEOUT_S, 10 s by default) drops it
measure 8080 $((SECONDS_EACH + 10)) >"$WORK/cut.out" &
load=$!
sleep 3
ip -n "$SW" link set port3 down
moved=$(share_moved_in)
wait "$load"
read -r rps p99 failed max <"$WORK/cut.out"
echo "host-cut jpm rps=$rps p99_ms=$p99 max_ms=$max failed=$failed share_moved_s=$moved"
ip -n "$SW" link set port3 up
for _ in $(seq 1 120); do [ "$(online_on 1 2 3)" = 3 ] && [ "$(online_on 3)" = 1 ] && break; sleep 1; done
log "after the heal: $(online_on 1 2 3) api instances online, $(online_on 3) on web-3"

# web-3's daemon stopped 8 s under load (SIGSTOP: its instance lives on, its relay answers nothing): the
# other fronts take web-3's instance out of rotation once its relay is silent for 1 s (balancer.RelayWatch),
# before the heartbeat bound, and send the GETs waiting there elsewhere
measure 8080 $((SECONDS_EACH + 10)) >"$WORK/stop.out" &
load=$!
sleep 3
kill -STOP "$(cat "$WORK/h3/jpm.pid")"
sleep 8
kill -CONT "$(cat "$WORK/h3/jpm.pid")"
wait "$load"
read -r rps p99 failed max <"$WORK/stop.out"
echo "daemon-stopped jpm rps=$rps p99_ms=$p99 max_ms=$max failed=$failed"
for _ in $(seq 1 60); do [ "$(online_on 3)" = 1 ] && break; sleep 1; done

# web-3 lost: every process of its namespace killed under load
measure 8080 $((SECONDS_EACH + 10)) >"$WORK/loss.out" &
load=$!
sleep 3
ip netns pids "$(ns 3)" | xargs -r kill -9
moved=$(share_moved_in)
wait "$load"
read -r rps p99 failed max <"$WORK/loss.out"
echo "host-lost jpm rps=$rps p99_ms=$p99 max_ms=$max failed=$failed share_moved_s=$moved"
