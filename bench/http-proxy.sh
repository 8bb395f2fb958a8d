#!/usr/bin/env bash
# bench/http-proxy.sh: jpm's HTTP mode against the reverse proxies a user would otherwise put in
# front (nginx, HAProxy), same two backends' app, same run, taking turns:
#   direct     one hello.js instance, no proxy (the ceiling)
#   nginx      2 workers, upstream keepalive 64, HTTP/1.1 to the backends
#   haproxy    2 threads, leastconn, http-reuse always
#   jpm        jpm start -i 2 --port P --balance http, the daemon with its usual flags (the Netty relay)
#   jpm-vertx  the same with JPM_HTTP_RELAY=0: HTTP mode on Vert.x's HttpServer and HttpClient (the public-API
#              path the relay must beat by more than 15% to stay: docs/BENCHMARKS.md)
#   jpm-c1     the same with JPM_DAEMON_OPTS: the usual flags plus -XX:TieredStopAtLevel=1 (C1 only,
#              the daemon's flags before the relay), no AppCDS archive
#   jpm-nio    the usual flags, JPM_NATIVE_TRANSPORT=0 (the JDK's NIO instead of epoll), the relay
#   jpm-base   with BASE=<another jpm checkout, built>: that tree's jpm, its usual flags
# nginx and HAProxy get two hello.js of their own on fixed ports; jpm runs its own two instances.
# Each case: a $WARMUP s (3) wrk warm-up, then `wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency`. For jpm, the
# daemon's CPU (utime+stime) over the measured run is divided by the requests: CPU per request; the
# same for nginx (master and workers) and HAProxy.
# Every line ends with the 1-minute load average when it was measured (only a quiet machine's
# req/s mean anything: below ~1). Prints a markdown table.
# Usage: bash bench/http-proxy.sh   (about 3 minutes; ROUNDS=2 DURATION=8 CASES="jpm jpm-vertx jpm-c1 jpm-nio"
# PROXIES="direct nginx haproxy": the others measured each round)
# Needs wrk, nginx, haproxy (Debian packages wrk, nginx-light, haproxy), node, target/jpm.jar.
set -uo pipefail
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-3}
CASES=${CASES:-jpm jpm-vertx jpm-nio${BASE:+ jpm-base}}
PROXIES=${PROXIES:-direct nginx haproxy}
LOG_TAG=http-proxy
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
WORK=$(mktemp -d /tmp/jpm-bench-proxy.XXXXXX)
RUN_ID="proxy-$$-$(date +%s)"
export JPM_BENCH_RUN="$RUN_ID"
JPM="$root/bin/jpm"
export JPM_HOME="$WORK/jpm-home"
. "$root/bench/lib.sh"

stop_proxies() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  bench_cleanup
}
bench_traps stop_proxies

for tool in wrk nginx haproxy node; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[ -f "$root/target/jpm.jar" ] || die "build jpm first: mvn -B -DskipTests package"

b1=$(free_port); b2=$(free_port); p_nginx=$(free_port); p_haproxy=$(free_port); p_jpm=$(free_port)
PORT=$b1 node "$app" & PORT=$b2 node "$app" &
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$b1/" >/dev/null && curl -sf "http://127.0.0.1:$b2/" >/dev/null && break; sleep 0.1; done
cat > "$WORK/nginx.conf" <<NG
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; daemon on;
events { worker_connections 1024; }
http { access_log off;
  upstream hello { server 127.0.0.1:$b1; server 127.0.0.1:$b2; keepalive 64; }
  server { listen 127.0.0.1:$p_nginx;
    location / { proxy_pass http://hello; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NG
cat > "$WORK/haproxy.cfg" <<HA
global
  nbthread 2
  pidfile $WORK/haproxy.pid
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend hello
  bind 127.0.0.1:$p_haproxy
  default_backend hello
backend hello
  balance leastconn
  http-reuse always
  server a 127.0.0.1:$b1
  server b 127.0.0.1:$b2
HA
nginx -c "$WORK/nginx.conf" || die "nginx did not start"
haproxy -D -f "$WORK/haproxy.cfg" || die "haproxy did not start"

# the daemon's own flags (cli/transport/DaemonJvm) plus C1 only: what it ran before the relay
C1_OPTS="-Xms4m -Xmx128m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss512k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=16m -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000 -Xshare:auto"

load1() { cut -d' ' -f1 /proc/loadavg; }

# CPU ticks (utime+stime) of the given pids, summed
daemon_cpu() { local p; for p in "$@"; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s+=$1} END{print s+0}'; }

# measure port ["pid ..."]: one wrk run; prints "req/s p99 cpu-per-request-us errors" (CPU: the
# proxy's: jpm's daemon, nginx's master and workers, HAProxy's process)
measure() {
  local port=$1 pid=${2:-} a b out n
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$port/" >/dev/null 2>&1
  [ -n "$pid" ] && a=$(daemon_cpu $pid)
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port/")
  n=$(echo "$out" | awk '/requests in/{print $1}')
  [ -n "$pid" ] && b=$(daemon_cpu $pid)
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '/ 99%/{print $2}')" \
    "$([ -n "$pid" ] && echo $(( (b - a) * 10000 / n )) || echo -)" \
    "$(echo "$out" | awk '/Socket errors|Non-2xx/{s+=$NF} END{print s+0}')"
}

jpm_case() { # case: start jpm's daemon as the case says, two instances in HTTP mode; prints its pid
  local jpm="$JPM" opts="" native="" relay=""
  case $1 in
    jpm-c1) opts=$C1_OPTS ;;
    jpm-nio) native=0 ;;
    jpm-vertx) relay=0 ;;
    jpm-base) jpm="$BASE/bin/jpm" ;;
  esac
  rm -rf "$JPM_HOME"
  if [ -n "$opts" ]; then export JPM_DAEMON_OPTS="$opts"; else unset JPM_DAEMON_OPTS; fi
  if [ -n "$native" ]; then export JPM_NATIVE_TRANSPORT="$native"; else unset JPM_NATIVE_TRANSPORT; fi
  if [ -n "$relay" ]; then export JPM_HTTP_RELAY="$relay"; else unset JPM_HTTP_RELAY; fi
  "$jpm" start "$app" -i 2 --port "$p_jpm" --balance http --name hello >/dev/null 2>&1 || die "jpm start ($1)"
  for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$p_jpm/" >/dev/null 2>&1 && break; sleep 0.1; done
  python3 -c "import json;print(json.load(open('$JPM_HOME/daemon.json'))['pid'])"
}

echo "| round | case | req/s | p99 | failed | proxy CPU per request | daemon RSS after | load average |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$ROUNDS"); do
  for name in $PROXIES; do
    port=$b1; pid=""
    [ $name = nginx ] && port=$p_nginx && pid="$(cat "$WORK/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')"
    [ $name = haproxy ] && port=$p_haproxy && pid=$(cat "$WORK/haproxy.pid")
    read -r rps p99 cpu failed <<< "$(measure "$port" "$pid")"
    echo "| $round | $name | $rps | $p99 | $failed | $([ "$cpu" = - ] || echo "$cpu µs") | | $(load1) |"
  done
  for name in $CASES; do
    pid=$(jpm_case "$name")
    read -r rps p99 cpu failed <<< "$(measure "$p_jpm" "$pid")"
    echo "| $round | $name | $rps | $p99 | $failed | $cpu µs | $(awk '/VmRSS/{print $2}' /proc/$pid/status) kB | $(load1) |"
    "$([ $name = jpm-base ] && echo "$BASE/bin/jpm" || echo "$JPM")" kill >/dev/null 2>&1
  done
done
