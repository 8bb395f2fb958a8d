#!/usr/bin/env bash
# A shell worker: prints a numbered tick every second and exits cleanly on SIGINT/SIGTERM.
trap 'echo "ticker $JPM_INSTANCE_ID: stopping"; exit 0' INT TERM
n=0
while true; do
  n=$((n + 1))
  echo "ticker $JPM_INSTANCE_ID: tick $n"
  sleep 1 &
  wait $!
done
