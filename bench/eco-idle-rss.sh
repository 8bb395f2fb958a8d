#!/bin/bash
# Idle daemon RSS of two builds of jpm, alternated: VmRSS 10 s after the first ping, in a fresh
# temporary JPM_HOME each time. Usage: bench/eco-idle-rss.sh <before.jar> <after.jar> [rounds]
set -u
before=$1 after=$2 rounds=${3:-3}
for round in $(seq "$rounds"); do
  for jar in "$before" "$after"; do
    home=$(mktemp -d /tmp/jpm-bench-rss-XXXX)
    JPM_HOME=$home java -cp "$jar" io.jpm.cli.Main ping >/dev/null 2>&1
    sleep 10
    pid=$(cat "$home/jpm.pid")
    echo "$jar round $round: $(grep VmRSS /proc/"$pid"/status | tr -s ' \t' ' ') threads $(ls /proc/"$pid"/task | wc -l)"
    JPM_HOME=$home java -cp "$jar" io.jpm.cli.Main kill >/dev/null 2>&1
    rm -rf "$home"
  done
done
