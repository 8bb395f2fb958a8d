#!/bin/bash
# bench/daemon-kill.sh's writer: 1, 2, 3, ... one number a line, about one a millisecond, until stopped.
# NUMBERS_LAST=FILE (bench/outages.sh): the last number written into stdout, rewritten after each line,
# so the lines that were in a pipe no one read (the writer killed by SIGPIPE) can be counted.
i=0
while :; do
  i=$((i + 1))
  echo "$i"
  [ -n "${NUMBERS_LAST:-}" ] && echo "$i" >"$NUMBERS_LAST"
  sleep 0.001
done
