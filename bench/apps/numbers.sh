#!/bin/bash
# bench/daemon-kill.sh's writer: 1, 2, 3, ... one number a line, about one a millisecond, until stopped.
i=0
while :; do
  i=$((i + 1))
  echo "$i"
  sleep 0.001
done
