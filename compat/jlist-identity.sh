#!/bin/sh
# jlist's bytes on a set of scenarios (fork, cluster, env, watch, stopped, errored, module conf,
# pm2-only options, wait_ready, a balanced app), with what varies by time and pid normalised, so two
# builds can be compared byte for byte:
#   compat/jlist-identity.sh /path/to/old/jpm-root > old.txt
#   compat/jlist-identity.sh /path/to/new/jpm-root > new.txt && cmp old.txt new.txt
# A jpm root is a folder with bin/jpm and target/jpm.jar. Both runs use the same folders
# (/tmp/jlist-identity), so the paths listed are the same too.
set -eu
# a fixed, small environment: apps list the client's, and its order must not vary between runs
[ -n "${JLIST_IDENTITY_CLEAN:-}" ] || exec env -i JLIST_IDENTITY_CLEAN=1 PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 "$0" "$@"
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
work=/tmp/jlist-identity
jpm="$root/bin/jpm"
export JPM_HOME="$work/home"
if [ -e "$JPM_HOME/jpm.sock" ] || [ -e "$JPM_HOME/pid" ]; then "$jpm" kill >/dev/null 2>&1 || true; fi
rm -rf "$work"
mkdir -p "$work/apps" "$JPM_HOME"
cd "$work/apps"

cat > idle.js <<'EOF'
process.on('SIGINT', () => process.exit(0));
setInterval(() => {}, 1000);
EOF
printf '#!/bin/sh\nexit 3\n' > crash.sh
chmod +x crash.sh
cat > ready.js <<'EOF'
process.send && process.send('ready');
process.on('message', (m) => { if (m === 'shutdown') process.exit(0); });
setInterval(() => {}, 1000);
EOF
cat > web.js <<'EOF'
require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 0);
EOF
mkdir -p src lib
cat > ecosystem.config.js <<'EOF'
module.exports = { apps: [
  { name: 'envy', script: './idle.js', env: { GREETING: 'hello', NODE_ENV: 'dev' },
    env_production: { NODE_ENV: 'production', name: 'clash' }, args: ['--one', 'two'],
    node_args: '--max-old-space-size=64', namespace: 'backend', log_date_format: 'YYYY-MM-DD',
    merge_logs: true, log_type: 'json', max_memory_restart: '200M', cron_restart: '0 3 * * *',
    stop_exit_codes: [0, 2], kill_timeout: '3s', restart_delay: 100, vizion: false,
    source_map_support: true, instance_var: 'INSTANCE_ID', increment_var: 'PORT_N', log_file: 'combined.log' },
  { name: 'watched', script: './idle.js', watch: ['src', 'lib'], ignore_watch: ['node_modules'] },
  { name: 'ready', script: './ready.js', wait_ready: true, listen_timeout: 8000, shutdown_with_message: true },
  { name: 'web', script: './web.js', port: PUBLIC_PORT, instances: 2 },
  { name: 'rr', script: './web.js', port: PROXY_PORT, balance: 'round-robin', instances: 2 }
] };
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
proxy_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/PUBLIC_PORT/$port/; s/PROXY_PORT/$proxy_port/" ecosystem.config.js
"$jpm" ping >/dev/null
"$jpm" set ident.api_key abc >/dev/null
"$jpm" start idle.js --name fork >/dev/null
"$jpm" start idle.js --name cl -i 2 >/dev/null
"$jpm" start idle.js --name ident >/dev/null
"$jpm" start idle.js --name w --watch >/dev/null
"$jpm" start idle.js --name halted >/dev/null
"$jpm" stop halted >/dev/null
"$jpm" start crash.sh --name broken --max-restarts 2 --min-uptime 60000 >/dev/null
"$jpm" start ecosystem.config.js --env production >/dev/null

# until every app has settled: broken errored, halted stopped, the rest online (and ready in socket mode)
deadline=$(( $(date +%s) + 60 ))
while :; do
  "$jpm" jlist > "$work/jlist.json"
  if python3 - "$work/jlist.json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
want = {"broken": "errored", "halted": "stopped"}
settled = lambda r: r["pm2_env"]["status"] == want.get(r["name"], "online") \
    and (r["jpm"].get("balancer") or {}).get("state") != "waiting"  # socket mode: listening, or listen_timeout over
sys.exit(0 if all(settled(r) for r in rows) else 1)
EOF
  then break; fi
  [ "$(date +%s)" -lt "$deadline" ] || { echo "apps did not settle" >&2; cat "$work/jlist.json" >&2; break; }
  sleep 0.5
done

normalise() {
  # only what varies from run to run: pids, times, usage, ids, ports; and the order of the client's
  # environment, which varies too (pm2_env.env, and its copy at the top of pm2_env), sorted by name
  python3 -c '
import json, re, sys
def n(obj, key):
    if key in obj: obj[key] = "N"
rows = json.loads(sys.stdin.read())
for r in rows:
    for k in ("pid", "monit"): n(r, k)
    e = r["pm2_env"]
    for k in ("pm_uptime", "created_at", "unique_id"): n(e, k)
    env = e.get("env", {})
    for k in env:
        if k == "PORT": env[k] = "N"
        if k in e and k == "PORT": e[k] = "N"
    keys = list(e)
    leading = sorted(keys[:len(env)])
    r["pm2_env"] = {k: e[k] for k in leading + keys[len(env):]}
    r["pm2_env"]["env"] = dict(sorted(env.items())) if "env" in e else None
    if "env" not in e: del r["pm2_env"]["env"]
    j = r.get("jpm", {})
    n(j, "uptime_ms")
    if j.get("last_reason"): j["last_reason"] = re.sub(r"pid [0-9]+", "pid N", j["last_reason"])
    b = j.get("balancer") or {}
    for k in ("private_port", "public_port", "connections", "served", "per_minute", "bytes_in", "bytes_out"): n(b, k)
    if "sockets" in b: b["sockets"] = [re.sub(r":[0-9]+$", ":N", a) for a in b["sockets"]]
print(json.dumps(rows, separators=(",", ":"), ensure_ascii=False))
'
}
# text a reader prints: every number, and the padding that follows their widths (env and prettylist
# list the client's environment in no fixed order: their lines are sorted, env's one-line copy left out)
# (Instant's text drops a created_at's .000: the milliseconds go too)
digits() { sed -E 's/([0-9]{2}:[0-9]{2}:[0-9]{2})\.[0-9]{3}Z/\1Z/g; s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g; s/[0-9]+/N/g; s/ +/ /g; s/[─┌┐└┘├┤┬┴┼]+/-/g'; }
echo "# jlist"
normalise < "$work/jlist.json"
echo
for reader in "describe envy" "describe web" "describe rr" "describe broken" "env 7" "ls" "ls -m" "prettylist" "id cl" "pid cl" "logs envy --nostream --lines 0"; do
  echo "# $reader"
  # shellcheck disable=SC2086
  "$jpm" $reader 2>&1 | digits | case $reader in env*) grep -v '^env: ' | sort ;; prettylist) sed 's/,$//' | sort ;; *) cat ;; esac
done
"$jpm" kill >/dev/null 2>&1 || true
