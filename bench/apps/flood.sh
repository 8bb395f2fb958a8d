#!/usr/bin/env bash
# Writes the numbers 1..$1 to stdout, one per line, as fast as awk can (a few ms per 100k lines).
# With FLOOD_GO (a FIFO) and FLOOD_READY set, first waits at a barrier: creates FLOOD_READY, then reads
# one line from FLOOD_GO (the bench writes one per app once all are ready), so several apps start
# flooding at the same instant. With FLOOD_STAMP set, records there when it starts writing (ns since
# the epoch).
if [ -n "${FLOOD_GO:-}" ]; then
  exec 9<>"$FLOOD_GO"   # read-write: never blocks on a FIFO
  [ -n "${FLOOD_READY:-}" ] && : >"$FLOOD_READY"
  read -r -t 60 -u 9 _
  exec 9<&-
fi
[ -n "${FLOOD_STAMP:-}" ] && date +%s%N >"$FLOOD_STAMP"
exec awk -v n="${1:-200000}" 'BEGIN { for (i = 1; i <= n; i++) print i }'
