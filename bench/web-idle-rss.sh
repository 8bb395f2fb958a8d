#!/bin/bash
# What the HTTP server costs an idle daemon: VmRSS, threads and loaded classes 10 s after the first
# ping, in a fresh temporary JPM_HOME each time, for: <before.jar> (no web at all), <after.jar> with
# web off (the default), <after.jar> with web on, and with web on after one GET / and one
# GET /metrics (the API's and the Prometheus writer's classes loaded). 0 apps.
# Usage: bench/web-idle-rss.sh <before.jar> <after.jar> [rounds]
set -u
before=$1 after=$2 rounds=${3:-3}
for round in $(seq "$rounds"); do
  for case in before-off after-off after-on after-on-scraped; do
    jar=$before; [ "${case%%-*}" = after ] && jar=$after
    home=$(mktemp -d /tmp/jpm-bench-web-XXXX)
    case $case in *-on*) echo '{"web":{"enabled":true,"port":0}}' > "$home/jpm.json" ;; esac
    JPM_HOME=$home java -cp "$jar" io.jpm.cli.Main ping >/dev/null 2>&1
    pid=$(cat "$home/jpm.pid")
    if [ "$case" = after-on-scraped ]; then
      for _ in $(seq 50); do port=$(sed -n 's/.*"httpPort" : \([0-9]*\).*/\1/p' "$home/daemon.json"); [ -n "$port" ] && break; sleep 0.1; done
      auth="Authorization: Bearer $(cat "$home/token.readonly")"
      curl -s -o /dev/null -H "$auth" "http://127.0.0.1:$port/"
      curl -s -o /dev/null -H "$auth" "http://127.0.0.1:$port/metrics"
    fi
    sleep 10
    # classes loaded now, from the daemon's AppCDS archive (shared) or not
    counters=$(jcmd "$pid" PerfCounter.print 2>/dev/null)
    count() { echo "$counters" | sed -n "s/^java.cls.$1=//p"; }
    classes=$(( $(count loadedClasses) + $(count sharedLoadedClasses) - $(count unloadedClasses) - $(count sharedUnloadedClasses) ))
    echo "$case round $round: $(grep VmRSS /proc/"$pid"/status | tr -s ' \t' ' ') threads $(ls /proc/"$pid"/task | wc -l) classes $classes (shared $(count sharedLoadedClasses))"
    JPM_HOME=$home java -cp "$jar" io.jpm.cli.Main kill >/dev/null 2>&1
    rm -rf "$home"
  done
done
