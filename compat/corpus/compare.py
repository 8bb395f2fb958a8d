#!/usr/bin/env python3
"""Run a corpus of real pm2 ecosystem files under pm2 and under jpm, side by side, and compare.

How to run (from anywhere; Python 3 standard library only, Linux, root for the mount sandbox):

    python3 compat/corpus/compare.py                      # every file in sources.tsv
    python3 compat/corpus/compare.py --only 03,15,23      # some files
    JPM_BIN=/path/to/other/bin/jpm python3 compat/corpus/compare.py   # another jpm build

Inputs:
  compat/corpus/sources.tsv   one row per file (id, repository, path, commit, format, what it
                              exercises, executables, support files, run_from)
  CORPUS_DIR (--corpus)       the files' text, gathered by gather.sh: <id>-<owner>-<repo>/<path>
                              (default /work/corpus/files; never committed)
  JPM_BIN (--jpm)             the jpm to test (default: bin/jpm of this checkout)
  PM2_BIN (--pm2)             the pm2 to compare with (default /tmp/pm2/bin/pm2)

For each file, once for pm2 and once for jpm, in a fresh project folder at the same path:
copy the file (and its support files) to its original relative path, create stand-in programs
for every script and command it names (where pm2 resolves them and where the file's folder
would), run `<manager> start <file>` from the run folder (the repository root unless sources.tsv
says otherwise) with a private PM2_HOME / JPM_HOME and a private HOME, wait until the states
settle, read `jlist` and the stand-ins' own first line from the log files, then `kill` the daemon
and remove the homes. Files with env_production get a second case with `--env production`.
Start commands run in a private mount namespace where /root, /home, /srv, /opt and /var/log are
empty tmpfs (/root/.pyenv bound back), so absolute paths in the files touch nothing real.

Output: bench/results/corpus-<time>/ (git-ignored): <case>.json per case (both views, the
differences, the CLI output), summary.tsv and summary.txt; the summary is also printed.
See compat/corpus/README.md for what is compared and normalised.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RUN_ROOT = '/tmp/jpm-corpus-run'
SANDBOXED = ['/root', '/home', '/srv', '/opt', '/var/log']
SETTLING = {'launching', 'stopping', 'waiting restart'}
ALWAYS_ENV = ['NODE_ENV', 'PORT', 'NODE_APP_INSTANCE']

# ---------------------------------------------------------------- stand-ins

NODE_STANDIN = r'''#!/usr/bin/env node
const keys = %(keys)s;
const env = {};
for (const k of keys) if (process.env[k] !== undefined) env[k] = process.env[k];
console.log(JSON.stringify({standin: %(me)s, argv: process.argv, cwd: process.cwd(), env}));
if (process.send) process.send('ready');
setInterval(() => {}, 1 << 30);
'''

# valid sh and valid JavaScript: run by sh or bash it re-executes itself under node
POLYGLOT_STANDIN = '#!/bin/sh\n\':\' //; exec node "$0" "$@"\n' + NODE_STANDIN.split('\n', 1)[1]

PY_STANDIN = r'''#!/usr/bin/env python3
import json, os, sys, time
keys = %(keys)s
env = {k: os.environ[k] for k in keys if k in os.environ}
print(json.dumps({"standin": %(me)s, "argv": sys.argv, "cwd": os.getcwd(), "env": env}), flush=True)
while True:
    time.sleep(3600)
'''

SH_STANDIN = r'''#!/bin/sh
printf '{"standin": "%%s", "argv0": "%%s", "args": "%%s", "cwd": "%%s"}\n' %(me)s "$0" "$*" "$(pwd)"
while :; do sleep 3600; done
'''

PY_INTERPRETER_STANDIN = '#!/bin/sh\nexec python3 "$@"\n'

# Loads an ecosystem file the way pm2 7's Common.parseConfig does (JSON evaluated as a
# JavaScript expression, YAML with pm2's js-yaml, JS required), only to know what to stand in.
LOADER = r'''
const fs = require('fs'), path = require('path'), vm = require('vm');
const [file, yamlPath] = process.argv.slice(1);
let conf;
try {
  if (/\.ya?ml/.test(file)) conf = require(yamlPath).load(fs.readFileSync(file, 'utf8'));
  else if (/\.json/.test(file)) conf = vm.runInThisContext('(' + fs.readFileSync(file, 'utf8') + ')');
  else { conf = require(path.resolve(file)); if (conf && conf.default && !conf.apps) conf = conf.default; }
} catch (e) { console.log(JSON.stringify({error: String(e && e.message || e)})); process.exit(0); }
let apps = conf && (conf.apps || conf.pm2);
if (!apps) apps = Array.isArray(conf) ? conf : (conf && (conf.script || conf.name) ? [conf] : []);
if (!Array.isArray(apps)) apps = [apps];
console.log(JSON.stringify({apps}, (k, v) => typeof v === 'function' ? String(v) : v));
'''


def lang_of(script, interpreter):
    """The language a stand-in must be written in for this script and interpreter."""
    base = os.path.basename(interpreter or '')
    if base and base != 'none':
        if base.startswith('python'):
            return 'py'
        if base in ('bash', 'sh', 'zsh', 'dash'):
            return 'sh'
        if base.startswith('node') or base in ('bun', 'ts-node', 'tsx'):
            return 'node'
    ext = os.path.splitext(script)[1]
    return {'.py': 'py', '.sh': 'sh', '.bash': 'sh'}.get(ext, 'node')


def standin_text(lang, me, keys):
    fill = {'keys': json.dumps(keys), 'me': json.dumps(me)}
    if lang == 'py':
        return PY_STANDIN % fill
    if lang == 'sh':
        return SH_STANDIN % {'me': shlex.quote(me)}
    if lang == 'poly':
        return POLYGLOT_STANDIN % fill
    return NODE_STANDIN % fill


class Project:
    """One project folder for one case, with its stand-ins."""

    def __init__(self, row, corpus, proj):
        self.row, self.proj = row, proj
        self.src = os.path.join(corpus, '%s-%s' % (row['id'], row['repository'].replace('/', '-')))
        self.file = row['path']
        self.run_dir = os.path.normpath(os.path.join(proj, row.get('run_from') or '.'))
        self.file_dir = os.path.dirname(os.path.join(proj, self.file))
        self.shims = os.path.join(os.path.dirname(proj), 'shims')
        self.executables = set(filter(None, (row.get('exec') or '').split(',')))
        self.notes = []
        self.made = {}

    def inside(self, p):
        return os.path.abspath(p).startswith(self.proj + os.sep)

    def build(self, yaml_module):
        for d in (self.proj, self.shims):
            shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.src, self.proj, symlinks=True)
        os.makedirs(self.shims)
        os.makedirs(self.run_dir, exist_ok=True)
        out = subprocess.run(['node', '-e', LOADER, os.path.join(self.proj, self.file), yaml_module],
                             cwd=self.run_dir, capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, HOME=os.path.dirname(self.proj)))
        try:
            loaded = json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            loaded = {'error': (out.stderr or out.stdout).strip()[-300:]}
        if 'error' in loaded:
            self.notes.append('not loaded for stand-ins: ' + loaded['error'])
            return []
        apps = [a for a in loaded['apps'] if isinstance(a, dict)]
        keys = sorted(set(ALWAYS_ENV) | {k for a in apps for e, v in a.items()
                                         if (e == 'env' or e.startswith('env_')) and isinstance(v, dict)
                                         for k in v})
        plans = []
        for app in apps:
            plans.extend(self.plan(app, keys))
        # deepest first, so a script that is a folder of another app's script gets an index.js
        for path, lang, mode in sorted(plans, key=lambda p: -p[0].count('/')):
            self.write(path, lang, mode, keys)
        return apps

    def cwd_bases(self, app):
        cwd = app.get('cwd')
        if isinstance(cwd, str) and cwd:
            if os.path.isabs(cwd):
                return [cwd]
            return list(dict.fromkeys([os.path.normpath(os.path.join(self.run_dir, cwd)),
                                       os.path.normpath(os.path.join(self.file_dir, cwd))]))
        return list(dict.fromkeys([self.run_dir, self.file_dir]))

    def plan(self, app, keys):
        script = app.get('script') or app.get('exec') or app.get('cmd')
        if not isinstance(script, str) or not script:
            return []
        interp = app.get('interpreter') or app.get('exec_interpreter')
        interp = interp if isinstance(interp, str) else None
        bases = self.cwd_bases(app)
        for b in bases:
            if self.inside(os.path.join(b, 'x')) and not os.path.splitext(b)[1] and not os.path.exists(b):
                os.makedirs(b)
        plans = []
        if interp and '/' in interp and not os.path.isabs(interp):
            # a relative interpreter (a virtualenv's python): stand in for it at each cwd
            for b in bases:
                p = os.path.normpath(os.path.join(b, interp))
                if self.inside(p):
                    plans.append((p, 'pyinterp' if os.path.basename(interp).startswith('python') else 'poly', 0o755))
        elif interp and os.path.isabs(interp) and not os.path.exists(interp):
            self.notes.append('interpreter %s does not exist here' % interp)
        words = script.split()
        if len(words) > 1 and not os.path.exists(os.path.join(bases[0], script)):
            self.command(words[0], words[1:] + self.arglist(app), bases, keys, interp)
            return plans
        rel = script[2:] if script.startswith('./') else script
        if '/' not in script and '.' not in script and rel not in self.executables:
            self.command(script, self.arglist(app), bases, keys, interp)
            return plans
        if os.path.isabs(script):
            targets = [script]
        else:
            targets = [os.path.join(b, script) for b in bases] + [os.path.join(self.run_dir, script),
                                                                 os.path.join(self.file_dir, script)]
        lang = lang_of(script, interp)
        for t in dict.fromkeys(os.path.normpath(t) for t in targets):
            if not self.inside(t):
                self.notes.append('script %s is outside the project: no stand-in' % t)
                continue
            relp = os.path.relpath(t, self.proj)
            mode = 0o755 if relp in self.executables else 0o644
            plans.append((t, lang, mode))
        return plans

    @staticmethod
    def arglist(app):
        args = app.get('args')
        if isinstance(args, str):
            try:
                return shlex.split(args)
            except ValueError:
                return args.split()
        return [str(a) for a in args] if isinstance(args, list) else []

    def command(self, word, args, bases, keys, interp):
        """A script that is a command: npm runs a stand-in package.json script, a missing one is shimmed."""
        if word == 'npm':
            name = args[1] if args[:1] == ['run'] and len(args) > 1 else (args[0] if args else 'start')
            for b in bases:
                if not self.inside(os.path.join(b, 'x')):
                    continue
                os.makedirs(b, exist_ok=True)
                pj = os.path.join(b, 'package.json')
                try:
                    with open(pj) as f:
                        pkg = json.load(f)
                except (OSError, ValueError):
                    pkg = {'name': 'standin', 'version': '1.0.0'}
                pkg.setdefault('scripts', {})[name] = 'node .standin-npm-%s.js' % name
                with open(pj, 'w') as f:
                    json.dump(pkg, f, indent=2)
                self.write(os.path.join(b, '.standin-npm-%s.js' % name), 'node', 0o644, keys)
            self.notes.append('npm %s: package.json script stand-in' % name)
            return
        if shutil.which(word):
            self.notes.append('command %s: the real one' % word)
            return
        self.write(os.path.join(self.shims, word), 'py' if lang_of(word, interp) == 'py' else 'poly', 0o755, keys)
        self.notes.append('command %s: not installed, shimmed on PATH' % word)

    def write(self, path, lang, mode, keys):
        if os.path.isdir(path):
            path = os.path.join(path, 'index.js')
        if path in self.made:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        me = path
        text = PY_INTERPRETER_STANDIN if lang == 'pyinterp' else standin_text(lang, me, keys)
        with open(path, 'w') as f:
            f.write(text)
        os.chmod(path, mode)
        self.made[path] = lang


# ---------------------------------------------------------------- running one manager

def sandboxed(cmd, case_dir):
    """cmd in a private mount namespace where SANDBOXED folders are empty (pyenv kept)."""
    keep = os.path.join(case_dir, 'keep-pyenv')
    os.makedirs(keep, exist_ok=True)
    setup = ['mount --bind /root/.pyenv %s' % keep if os.path.isdir('/root/.pyenv') else 'true']
    setup += ['mount -t tmpfs tmpfs %s' % d for d in SANDBOXED if os.path.isdir(d)]
    if os.path.isdir('/root/.pyenv'):
        setup += ['mkdir -p /root/.pyenv', 'mount --bind %s /root/.pyenv' % keep]
    script = ' && '.join(setup) + ' && exec "$@"'
    return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'sh'] + cmd


def run(cmd, cwd, env, timeout=90):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or ''), 'timeout'


def jlist(binary, env, cwd, tries=3):
    """The manager's jlist as a list, or None when it could not be read (tried `tries` times)."""
    for attempt in range(tries):
        rc, out, _ = run([binary, 'jlist'], cwd, env, timeout=30)
        m = re.search(r'^\s*\[.*\]\s*$', out, re.S | re.M)
        if rc == 0:
            try:
                procs = json.loads(m.group(0) if m else out)
                if isinstance(procs, list):
                    return procs
            except (ValueError, AttributeError):
                pass
        time.sleep(1.0)
    return None


def settle(binary, env, cwd, deadline_s):
    """Poll jlist until no process is launching/stopping/waiting restart and two polls agree.
    Returns the last list read, or None when jlist never answered."""
    end, last, procs = time.time() + deadline_s, None, None
    while time.time() < end:
        now_procs = jlist(binary, env, cwd, tries=1)
        if now_procs is None:
            time.sleep(1.0)
            continue
        procs = now_procs
        now = sorted((p.get('name'), p.get('pm_id'), p.get('pm2_env', {}).get('status'),
                      p.get('pm2_env', {}).get('restart_time')) for p in procs)
        if now == last and not any(s[2] in SETTLING for s in now):
            break
        last = now
        time.sleep(1.0)
    return procs


def pid_of(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def stop_daemon(kind, binary, env, cwd, home):
    run([binary, 'kill'], cwd, env, timeout=60)
    pid = pid_of(os.path.join(home, 'pm2.pid' if kind == 'pm2' else 'jpm.pid'))
    if pid:  # our own daemon only: its pid file is in the private home
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except OSError:
                break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def manager_case(kind, binary, row, env_name, opts):
    case_dir = os.path.join(RUN_ROOT, row['id'])
    shutil.rmtree(case_dir, ignore_errors=True)
    proj = os.path.join(case_dir, 'proj')
    project = Project(row, opts.corpus, proj)
    project.build(opts.yaml_module)
    home = os.path.join(case_dir, 'home')
    mgr_home = os.path.join(case_dir, 'mgr-home')
    os.makedirs(home)
    os.makedirs(mgr_home)
    env = {k: v for k, v in os.environ.items() if not k.startswith(('PM2_', 'JPM_', 'NODE_'))}
    env.update(HOME=home, PATH=project.shims + os.pathsep + os.environ.get('PATH', ''),
               PWD=project.run_dir, PYENV_ROOT=os.environ.get('PYENV_ROOT', '/root/.pyenv'))
    env['PM2_HOME' if kind == 'pm2' else 'JPM_HOME'] = mgr_home
    cmd = [binary, 'start', os.path.relpath(os.path.join(proj, row['path']), project.run_dir)]
    if env_name:
        cmd += ['--env', env_name]
    if not opts.no_sandbox:
        cmd = sandboxed(cmd, case_dir)
    t0 = time.time()
    rc, out, err = run(cmd, project.run_dir, env, timeout=120)
    start_s = time.time() - t0
    pid_file = os.path.join(mgr_home, 'pm2.pid' if kind == 'pm2' else 'jpm.pid')
    daemon = pid_of(pid_file)
    settled = settle(binary, env, project.run_dir, opts.settle)
    time.sleep(0.5)
    final = jlist(binary, env, project.run_dir)
    procs = final if final is not None else (settled or [])
    jlist_failed = final is None and settled is None
    if daemon and pid_of(pid_file) != daemon:  # the daemon died and a jlist started another one
        jlist_failed = True
    ran = {}
    for p in procs:
        e = p.get('pm2_env', {})
        for lp in {e.get('pm_out_log_path'), e.get('pm_log_path')} - {None}:
            ran.setdefault(p.get('name'), set()).update(standin_lines(lp))
    stop_daemon(kind, binary, env, project.run_dir, mgr_home)
    norm = Normaliser(case_dir, proj, home, mgr_home)
    view = {
        'rc': rc,
        'jlist_failed': jlist_failed,
        'stderr_error': bool(re.search(r'\[PM2\]\[ERROR\]|^jpm: |\bError: ', err, re.M)),
        'stdout': norm.text(out)[-4000:],
        'stderr': norm.text(err)[-4000:],
        'start_seconds': round(start_s, 1),
        'notes': project.notes,
        'apps': view_of(procs, norm, ran),
    }
    if not opts.keep:
        shutil.rmtree(case_dir, ignore_errors=True)
    return view


def standin_lines(log_path):
    """The stand-ins' start lines in a log file (after any date prefix)."""
    lines = set()
    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                i = line.find('{"standin"')
                if i >= 0:
                    lines.add(line[i:].strip())
    except OSError:
        pass
    return lines


class Normaliser:
    def __init__(self, case_dir, proj, home, mgr_home):
        self.subs = [(mgr_home, '$MGR_HOME'), (proj, '$PROJ'), (home, '$HOME'), (case_dir, '$CASE')]

    def text(self, s):
        if not isinstance(s, str):
            return s
        for a, b in self.subs:
            s = s.replace(a, b)
        s = re.sub(r'\x1b\[[0-9;]*m', '', s)
        return s

    def value(self, v):
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        return v


def view_of(procs, norm, ran):
    """Per app name: instance count and, per instance (ordered by pm_id), the compared fields."""
    apps = {}
    for p in sorted(procs, key=lambda p: p.get('pm_id', 0)):
        e = p.get('pm2_env', {})
        name = p.get('name')
        app = apps.setdefault(name, {'instances': 0, 'each': [], 'ran': []})
        app['instances'] += 1
        app['each'].append({
            'status': e.get('status'),
            'restarted': (e.get('restart_time') or 0) > 0,
            'exec_mode': e.get('exec_mode'),
            'pm_cwd': norm.value(e.get('pm_cwd')),
            'pm_exec_path': norm.value(e.get('pm_exec_path')),
            'interpreter': norm.value(e.get('exec_interpreter')),
            'args': norm.value(e.get('args') or []),
            'node_args': norm.value(e.get('node_args') or e.get('interpreter_args') or []),
            'out_log': norm.value(e.get('pm_out_log_path')),
            'err_log': norm.value(e.get('pm_err_log_path')),
            'NODE_APP_INSTANCE': e.get('NODE_APP_INSTANCE'),
            'env': {},
            '_env': e.get('env') or {},
            '_top': e,
        })
    for name, app in apps.items():
        app['ran'] = sorted(unwrap(norm.text(l)) for l in ran.get(name, ()))
    return apps


def unwrap(line):
    """pm2 runs a Node app through its own wrapper, ProcessContainer(Fork).js, which is then the
    app's process.argv[1]: put the stand-in's own path there, as jpm (and node) has it."""
    try:
        d = json.loads(line)
    except ValueError:
        return line
    argv = d.get('argv')
    if isinstance(argv, list) and len(argv) > 1 and re.search(r'/pm2/lib/ProcessContainer(Fork)?\.js$', str(argv[1])):
        argv[1] = d.get('standin', '?')
    return json.dumps(d, sort_keys=True)


def declared_env_keys(corpus_apps):
    return sorted({k for a in corpus_apps for e, v in a.items()
                   if (e == 'env' or e.startswith('env_')) and isinstance(v, dict) for k in v})


def fill_env(view, keys):
    """For each declared env key: pm2_env.env.KEY and the top-level pm2_env.KEY, as strings."""
    for app in view['apps'].values():
        for inst in app['each']:
            env, top = inst.pop('_env'), inst.pop('_top')
            for k in keys:
                a, b = env.get(k), top.get(k)
                inst['env'][k] = {'env': None if a is None else str(a) if not isinstance(a, (dict, list)) else a,
                                  'top': None if b is None else str(b) if not isinstance(b, (dict, list)) else b}


# ---------------------------------------------------------------- comparing

def compare(pm2, jpm):
    """Verdict and the differing fields."""
    if pm2['jlist_failed'] or jpm['jlist_failed']:
        return 'ERROR', ['jlist unreadable or daemon replaced under %s' % ' and '.join(
            m for m, v in (('pm2', pm2), ('jpm', jpm)) if v['jlist_failed'])], ''
    p_ok, j_ok = bool(pm2['apps']), bool(jpm['apps'])
    if not p_ok and not j_ok:
        same_rc = (pm2['rc'] == 0) == (jpm['rc'] == 0)
        return ('SAME' if same_rc else 'DIFFERENT'), ([] if same_rc else ['cli exit code: pm2 %s, jpm %s' % (pm2['rc'], jpm['rc'])]), 'no app runs under either'
    if not j_ok:
        return 'REFUSED', ['refused by jpm: ' + first_line(jpm['stderr'] or jpm['stdout'])], ''
    if not p_ok:
        return 'REFUSED', ['refused by pm2: ' + first_line(pm2['stderr'] or pm2['stdout'])], ''
    diffs = []
    if (pm2['rc'] == 0) != (jpm['rc'] == 0):
        diffs.append('cli exit code: pm2 %s, jpm %s' % (pm2['rc'], jpm['rc']))
    if pm2['stderr_error'] != jpm['stderr_error']:
        diffs.append('cli stderr error: pm2 %s, jpm %s' % (pm2['stderr_error'], jpm['stderr_error']))
    names = sorted(set(pm2['apps']) | set(jpm['apps']), key=str)
    for n in names:
        a, b = pm2['apps'].get(n), jpm['apps'].get(n)
        if a is None or b is None:
            diffs.append('app %r: only under %s' % (n, 'jpm' if a is None else 'pm2'))
            continue
        if a['instances'] != b['instances']:
            diffs.append('%s instances: pm2 %s, jpm %s' % (n, a['instances'], b['instances']))
        for i, (x, y) in enumerate(zip(a['each'], b['each'])):
            for f in x:
                if x[f] != y.get(f):
                    diffs.append('%s[%d].%s: pm2 %s, jpm %s' % (n, i, f, short(x[f]), short(y.get(f))))
        if a['ran'] != b['ran']:
            diffs.append('%s ran (stand-in output): pm2 %s, jpm %s' % (n, short(a['ran']), short(b['ran'])))
    return ('SAME' if not diffs else 'DIFFERENT'), diffs, ''


def first_line(s):
    """The refusal's message: the first line that reads as an error, else the last line."""
    lines = [l.strip() for l in (s or '').splitlines() if l.strip()]
    for line in lines:
        if re.search(r'error|^jpm:|not found|refus|invalid|cannot', line, re.I):
            return line[:300]
    return lines[-1][:300] if lines else '(no message)'


def short(v, n=240):
    s = json.dumps(v, sort_keys=True) if not isinstance(v, str) else v
    return s if len(s) <= n else s[:n] + '...'


# ---------------------------------------------------------------- main

def read_sources(path):
    rows = []
    with open(path) as f:
        header = None
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            cells = line.rstrip('\n').split('\t')
            if header is None:
                header = cells
                continue
            rows.append(dict(zip(header, cells + [''] * (len(header) - len(cells)))))
    return rows


def has_env(row, opts, name):
    """Whether the file (as text) declares env_<name> for some app."""
    src = os.path.join(opts.corpus, '%s-%s' % (row['id'], row['repository'].replace('/', '-')), row['path'])
    try:
        with open(src, errors='replace') as f:
            return re.search(r'''["']?env_%s["']?\s*[:=]|\.env_%s\b|\[["']env_%s["']\]''' % ((name,) * 3), f.read()) is not None
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sources', default=os.path.join(HERE, 'sources.tsv'))
    ap.add_argument('--corpus', default=os.environ.get('CORPUS_DIR', '/work/corpus/files'))
    ap.add_argument('--jpm', default=os.environ.get('JPM_BIN', os.path.join(REPO, 'bin', 'jpm')))
    ap.add_argument('--pm2', default=os.environ.get('PM2_BIN', '/tmp/pm2/bin/pm2'))
    ap.add_argument('--only', default='', help='comma-separated ids')
    ap.add_argument('--out', default='')
    ap.add_argument('--settle', type=float, default=15.0, help='seconds to wait for states to settle')
    ap.add_argument('--no-sandbox', action='store_true', help='run without the private mount namespace')
    ap.add_argument('--keep', action='store_true', help='keep the case folders under ' + RUN_ROOT)
    opts = ap.parse_args()
    pm2_pkg = os.path.dirname(os.path.dirname(os.path.realpath(opts.pm2)))
    opts.yaml_module = os.path.join(pm2_pkg, 'node_modules', 'js-yaml')
    out_dir = opts.out or os.path.join(REPO, 'bench', 'results', 'corpus-' + time.strftime('%Y%m%d-%H%M%S'))
    os.makedirs(out_dir, exist_ok=True)
    rows = read_sources(opts.sources)
    only = set(filter(None, opts.only.split(',')))
    rows = [r for r in rows if not only or r['id'] in only]
    results = []
    for row in rows:
        envs = [None] + (['production'] if has_env(row, opts, 'production') else [])
        for env_name in envs:
            case = row['id'] + ('-' + env_name if env_name else '')
            t0 = time.time()
            keys = sorted(set(ALWAYS_ENV) | set(declared_keys_of(row, opts)))
            for attempt in (1, 2):  # a case whose jlist could not be read runs once more
                pm2 = manager_case('pm2', opts.pm2, row, env_name, opts)
                jpm = manager_case('jpm', opts.jpm, row, env_name, opts)
                fill_env(pm2, keys)
                fill_env(jpm, keys)
                verdict, diffs, note = compare(pm2, jpm)
                if verdict != 'ERROR':
                    break
            results.append((case, row, verdict, diffs, note))
            with open(os.path.join(out_dir, case + '.json'), 'w') as f:
                json.dump({'case': case, 'source': row, 'env': env_name, 'verdict': verdict,
                           'differences': diffs, 'note': note, 'pm2': pm2, 'jpm': jpm}, f, indent=1, default=list)
            print('%-14s %-9s %5.1fs  %s' % (case, verdict, time.time() - t0,
                                             '; '.join(diffs)[:200] if diffs else note), flush=True)
    write_summary(out_dir, results, opts)


def declared_keys_of(row, opts):
    """env keys the file declares, from the loader run in a scratch copy."""
    scratch = os.path.join(RUN_ROOT, 'keys-' + row['id'])
    shutil.rmtree(scratch, ignore_errors=True)
    project = Project(row, opts.corpus, os.path.join(scratch, 'proj'))
    apps = project.build(opts.yaml_module)
    shutil.rmtree(scratch, ignore_errors=True)
    return declared_env_keys(apps)


def write_summary(out_dir, results, opts):
    base = [r for r in results if '-' not in r[0]]
    same = sum(1 for r in base if r[2] == 'SAME')
    lines = ['jpm: %s' % opts.jpm, 'pm2: %s' % opts.pm2, '',
             '%d of %d files give the same running apps (without --env)' % (same, len(base))]
    envs = [r for r in results if '-' in r[0]]
    if envs:
        lines.append('%d of %d files give the same running apps with --env production'
                     % (sum(1 for r in envs if r[2] == 'SAME'), len(envs)))
    for v in ('SAME', 'DIFFERENT', 'REFUSED', 'ERROR'):
        lines.append('%-9s %d: %s' % (v, sum(1 for r in results if r[2] == v),
                                      ' '.join(r[0] for r in results if r[2] == v)))
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(out_dir, 'summary.txt'), 'w') as f:
        f.write(text)
    with open(os.path.join(out_dir, 'summary.tsv'), 'w') as f:
        f.write('case\trepository\tpath\tverdict\tdifferences\n')
        for case, row, verdict, diffs, note in results:
            f.write('\t'.join([case, row['repository'], row['path'], verdict,
                               ' | '.join(diffs) or note]) + '\n')
    print('\n' + text + 'results: ' + out_dir)


if __name__ == '__main__':
    sys.exit(main())
