# jpm's keeper: the jpm daemon's parent, which outlives it. Apps must not depend on the daemon's JVM
# staying up (a SIGKILL, the OOM killer, a crash), so this small process, not the JVM, is what the
# apps fall to when the daemon dies:
#   - it is a child subreaper (prctl), so the apps of a dead daemon become its children: it reaps
#     them and tells the next daemon how each one ended;
#   - it holds duplicates of the descriptors the daemon asks it to (each app's pipe read ends, taken
#     from the daemon with pidfd_getfd), so no app writes into a pipe without a reader, and what the
#     apps write while no daemon runs waits in their pipes;
#   - it starts the daemon again when it dies, at once and then with growing pauses if it keeps
#     dying, and hands it every descriptor it holds;
#   - when the daemon leaves for an update (jpm update: its line 'upgrade <script> <command...>'),
#     it runs the script the new jpm wrote, in this same process (exec: its children stay its
#     children, the descriptors it holds stay open), which starts the new daemon.
# Perl, because perl-base is in every Debian and Ubuntu system: it needs no compiler on the user's
# machine and costs a few MB where a second JVM would cost tens. The protocol (docs/ARCHITECTURE.md,
# "The keeper") is lines of text: the daemon's stdin is the keeper's line to it, and the descriptor
# named by JPM_KEEPER_FD is the daemon's line back.
#
# Usage: perl jpm-keeper.pl <daemon command...>   (run in a session of its own, in JPM_HOME's log)
# An updated keeper gets what the one before it held in its environment: JPM_KEEPER_HELD
# ("key=fd ..."), JPM_KEEPER_EXITS (its exit lines not told yet, ',' for ' ', separated by ';').
use strict;
use warnings;
use Fcntl qw(F_GETFD F_SETFD F_GETFL F_SETFL O_NONBLOCK);
# POSIX, Time::HiRes and Config are loaded once the first daemon is starting (below): compiled here
# they held up its exec by ~10 ms of every cold start (perl -c of this script 25 -> 15 ms here)
sub WNOHANG () { 1 }    # <linux/wait.h>, every architecture

my %SYSCALL = (
    # prctl: its number differs by architecture (prctl_number); pidfd_open and pidfd_getfd are the same on all
    pidfd_open  => 434,
    pidfd_getfd => 438,
);
my $PR_SET_CHILD_SUBREAPER = 36;
# a daemon that dies sooner than this after its start counts towards a crash loop: the first such
# death is restarted at once, the next ones after these pauses; one more and the keeper gives up
# (JPM_KEEPER_PAUSES_S: other pauses, for tests)
my $QUICK_CRASH_S = 30;
my @PAUSES_S = (($ENV{JPM_KEEPER_PAUSES_S} // '') =~ /^\d+( \d+)*$/) ? split(/ /, $ENV{JPM_KEEPER_PAUSES_S}) : (1, 2, 4, 8);

my @daemon_command = @ARGV;
die "usage: jpm-keeper.pl <daemon command...>\n" unless @daemon_command;

# daemon.log's format (DaemonMain's): "2026-11-24 08:27:24.120 WARNING jpm.keeper: ..."
sub log_line {
    my ($level, $text) = @_;
    my $now = Time::HiRes::time();
    printf STDOUT "%s.%03d %s jpm.keeper: %s\n", POSIX::strftime('%Y-%m-%d %H:%M:%S', localtime $now),
        ($now - int $now) * 1000, $level, $text;
}
sub warn_line { log_line('WARNING', "@_") }
$| = 1;

# keeper.pid: a jpm command that finds no daemon answering while this keeper lives waits for the
# daemon it starts again rather than starting a second one (DaemonConnector)
my $pid_file = defined $ENV{JPM_HOME} ? "$ENV{JPM_HOME}/keeper.pid" : undef;
if ($pid_file) {
    my $temp = "$pid_file.$$.tmp";
    if (open(my $out, '>', $temp)) {
        print {$out} "$$\n";
        close $out;
        rename($temp, $pid_file) or unlink $temp;
    }
}
END {
    if ($pid_file && open(my $in, '<', $pid_file)) {
        my $written = <$in> // '';
        close $in;
        unlink $pid_file if $written eq "$$\n";
    }
}

sub prctl_number {
    require Config;
    no warnings 'once';
    my $arch = $Config::Config{archname};
    return $arch =~ /^x86_64/ ? 157
        : $arch =~ /^(aarch64|riscv64|loongarch64)/ ? 167
        : $arch =~ /^(i\d86|arm)/ ? 172
        : undef;
}
# set as the first daemon starts (start_daemon), before it spawns an app; an updated keeper is one already
my $subreaper;
sub become_subreaper {
    return $subreaper if defined $subreaper;
    my $prctl = prctl_number();
    $subreaper = defined $prctl && syscall($prctl, $PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 1 : 0;
    return $subreaper;
}

my %held;             # key -> descriptor number in this process
my @exits;            # "exit <pid> <start ticks> <code> <signal> <ms>" not yet told to a daemon
my %ticks;            # pid -> /proc start time of a child that fell to us
my ($daemon, $daemon_pidfd, $to_daemon, $from_daemon, $daemon_started);
# the first daemon answered: from then on, its death is a crash, not a failed start (an updated
# keeper's daemons have answered before)
my $ready_once = delete $ENV{JPM_KEEPER_UPDATED} ? 1 : 0;
my $ready = 0;
my $stopping = 0;     # the daemon said bye (jpm kill) or we were told to stop: no restart
my $quick_crashes = 0;
my $restart_at = 0;    # when to start the daemon again, while it is down
my $inbox = '';
my @upgrade;          # the script and the daemon command the daemon named as it left for an update

# what the keeper before this one (the same process, before its exec) held and had not told yet
for my $pair (split / /, delete $ENV{JPM_KEEPER_HELD} // '') {
    $held{$1} = $2 + 0 if $pair =~ /^(.+)=(\d+)$/;
}
for my $line (split /;/, delete $ENV{JPM_KEEPER_EXITS} // '') {
    push @exits, join(' ', split /,/, $line) if $line =~ /^exit(,-?\d+){4}$/;
}

# a signal that came ignored stays ignored, for the daemon too (a handler would be reset to the
# default by its exec): the daemon then hands its apps the default anyway
for my $name ('TERM', 'INT') {
    next if ($SIG{$name} // '') eq 'IGNORE';
    $SIG{$name} = sub { $stopping = 1; kill 'TERM', $daemon if $daemon };
}
$SIG{CHLD} = sub { };                  # interrupts select: the loop reaps
$SIG{PIPE} = 'IGNORE';

sub start_daemon {
    pipe(my $to_r, my $to_w) or die "pipe: $!";
    pipe(my $from_r, my $from_w) or die "pipe: $!";
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        open(STDIN, '<&', $to_r) or do { require POSIX; POSIX::_exit(127) };    # perl keeps STDIN at fd 0
        # inherited by the daemon: close-on-exec cleared (pidfd_getfd sets it). The handles are kept
        # until the exec: one dropped would close its descriptor
        my @inherited;
        for my $fd (fileno($from_w), values %held) {
            open(my $h, '<&=', $fd) or next;
            fcntl($h, F_SETFD, 0);
            push @inherited, $h;
        }
        $ENV{JPM_KEEPER_FD} = fileno($from_w);
        $ENV{JPM_KEEPER_PID} = getppid();
        exec { $daemon_command[0] } @daemon_command or do { require POSIX; POSIX::_exit(127) };
    }
    close $to_r;
    close $from_w;
    my $flags = fcntl($from_r, F_GETFL, 0);
    fcntl($from_r, F_SETFL, $flags | O_NONBLOCK);
    ($daemon, $to_daemon, $from_daemon, $daemon_started, $ready, $inbox) = ($pid, $to_w, $from_r, time, 0, '');
    $daemon_pidfd = syscall($SYSCALL{pidfd_open}, $pid + 0, 0);
    select((select($to_daemon), $| = 1)[0]);
    # the modules left out above, while the daemon's JVM starts (it reads this line ~100 ms from now)
    require POSIX;
    require Time::HiRes;
    tell_daemon("keeper $$ " . (become_subreaper() ? 'subreaper' : 'no-subreaper'));
    tell_daemon("held $_ $held{$_}") for sort keys %held;
    tell_daemon($_) for @exits;
    @exits = ();
    tell_daemon('end-of-inventory');
}

sub tell_daemon {
    my ($line) = @_;
    return 0 unless $to_daemon;
    return print {$to_daemon} "$line\n";
}

sub start_ticks {
    my ($pid) = @_;
    open(my $stat, '<', "/proc/$pid/stat") or return (0, 0);
    my $text = <$stat> // '';
    close $stat;
    my @fields = split / /, substr($text, rindex($text, ')') + 2);
    return ($fields[1] // 0, $fields[19] // 0);    # ppid, starttime
}

# every process that fell to us, zombies included, with its start time, read before it is reaped
sub note_new_children {
    opendir(my $proc, '/proc') or return;
    for my $pid (grep { /^\d+$/ } readdir $proc) {
        next if exists $ticks{$pid};
        my ($ppid, $start) = start_ticks($pid);
        $ticks{$pid} = $start if $ppid == $$;
    }
    closedir $proc;
}

sub reap {
    # the daemon first: the apps it leaves fall to us as it dies, and their start times are noted
    # then; an app that ended at the same time and were reaped before it would be told with none
    if (defined $daemon && waitpid($daemon, WNOHANG) == $daemon) {
        my $status = $?;
        note_new_children();
        daemon_ended($status);
    }
    while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
        my $status = $?;
        if (defined $daemon && $pid == $daemon) {
            note_new_children();
            daemon_ended($status);
            next;
        }
        # the reap time (ms since the epoch): the next daemon's restart policy needs the run's uptime
        my $line = sprintf('exit %d %d %d %d %d', $pid, delete $ticks{$pid} // 0, $status >> 8, $status & 127,
            Time::HiRes::time() * 1000);
        if ($daemon && $ready) {
            tell_daemon($line);
        } else {
            push @exits, $line;
        }
    }
}

sub daemon_ended {
    my ($status) = @_;
    my $how = ($status & 127) ? 'signal ' . ($status & 127) : 'exit code ' . ($status >> 8);
    my $pid = $daemon;
    close $to_daemon if $to_daemon;
    close $from_daemon if $from_daemon;
    POSIX::close($daemon_pidfd) if defined $daemon_pidfd && $daemon_pidfd >= 0;
    ($daemon, $to_daemon, $from_daemon, $daemon_pidfd) = (undef, undef, undef, undef);
    if (!$ready_once) {
        # the first start failed: the jpm command that spawned us reports the daemon's own reason,
        # and how it ended from this line (it started us through setsid -f: our exit code is not its)
        log_line('WARNING', "the first daemon ended at start ($how)");
        exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
    }
    if ($stopping) {
        exit 0;
    }
    if (@upgrade) {
        my ($script, @command) = @upgrade;
        @upgrade = ();
        $quick_crashes = 0;
        log_line('INFO', "the daemon (pid $pid) left for an update ($how): starting " . join(' ', @command));
        if (compiles($script)) {
            run_updated_keeper($script, @command);
        }
        # the new script could not be run (an exec of a script that perl cannot run would end this
        # keeper, and leave the apps to init): this one starts the new daemon
        warn_line("cannot run the updated keeper $script (missing, or perl -c fails): this keeper goes on");
        @daemon_command = @command;
        $restart_at = 0;
        return;
    }
    $quick_crashes = time - $daemon_started < $QUICK_CRASH_S ? $quick_crashes + 1 : 0;
    if ($quick_crashes > @PAUSES_S + 1) {
        # a daemon that cannot stay up is not started forever: the keeper ends, and the next jpm
        # command starts a daemon (and a keeper) as if none had run
        warn_line("the daemon (pid $pid) ended ($how), $quick_crashes times in a row within $QUICK_CRASH_S s of"
            . " its start: not starting it again; the next jpm command starts a new one (see above for why it ended)");
        tell_next_daemon($quick_crashes, $how);
        exit 1;
    }
    my $pause = $quick_crashes > 1 ? $PAUSES_S[ $quick_crashes - 2 ] : 0;
    warn_line("the daemon (pid $pid) ended ($how); starting it again" . ($pause ? " in $pause s" : ''));
    $restart_at = time + $pause;
}

# JPM_HOME/keeper-gave-up: the next daemon reports it (daemon.log, the command that started it, jpm ls)
# and removes it. One line: "<deaths> <epoch seconds> <how the last one ended>"
sub tell_next_daemon {
    my ($deaths, $how) = @_;
    return unless defined $ENV{JPM_HOME};
    my $file = "$ENV{JPM_HOME}/keeper-gave-up";
    my $temp = "$file.$$.tmp";
    my $old = umask 077;
    if (open(my $out, '>', $temp)) {
        print {$out} "$deaths " . time . " $how\n";
        close $out;
        rename($temp, $file) or unlink $temp;
    }
    umask $old;
}

# exec of the updated script in this process: the children stay ours, and what we hold stays open
# (close-on-exec cleared: pidfd_getfd sets it), named in the environment for the script to take
# whether perl can run this script: checked before this process is given to it
sub compiles {
    my ($script) = @_;
    return 0 unless -r $script;
    open(my $saved, '>&', \*STDERR) or return 0;
    open(STDERR, '>', '/dev/null');    # perl -c says "syntax OK" there
    my $status = system { $^X } $^X, '-c', $script;
    open(STDERR, '>&', $saved);
    return $status == 0;
}

# The handles stay in @update_handles: one dropped would close its descriptor, and the exec may fail.
my @update_handles;
sub run_updated_keeper {
    my ($script, @command) = @_;
    for my $fd (values %held) {
        open(my $h, '<&=', $fd) or next;
        fcntl($h, F_SETFD, 0);
        push @update_handles, $h;
    }
    $ENV{JPM_KEEPER_HELD} = join(' ', map { "$_=$held{$_}" } sort keys %held);
    $ENV{JPM_KEEPER_EXITS} = join(';', map { join(',', split / /) } @exits);
    $ENV{JPM_KEEPER_UPDATED} = 1;
    exec { $^X } $^X, $script, @command or delete @ENV{qw(JPM_KEEPER_HELD JPM_KEEPER_EXITS JPM_KEEPER_UPDATED)};
}

sub from_daemon {
    my $got = sysread($from_daemon, my $chunk, 65536);
    return unless defined $got;
    $inbox .= $chunk;
    while ($inbox =~ s/^([^\n]*)\n//) {
        my ($verb, @args) = split / /, $1;
        if ($verb eq 'hold') {
            my ($key, $fd) = @args;
            # + 0: syscall passes a string as a pointer, a number as an int
            my $copy = syscall($SYSCALL{pidfd_getfd}, $daemon_pidfd + 0, $fd + 0, 0);
            if ($copy >= 0) {
                POSIX::close($held{$key}) if exists $held{$key};
                $held{$key} = $copy;
            } else {
                warn_line("cannot hold descriptor $fd of the daemon for $key: $!");
            }
        } elsif ($verb eq 'release') {
            my $fd = delete $held{ $args[0] };
            POSIX::close($fd) if defined $fd;
        } elsif ($verb eq 'ready') {
            ($ready, $ready_once) = (1, 1);
            tell_daemon($_) for @exits;
            @exits = ();
        } elsif ($verb eq 'bye') {
            $stopping = 1;
        } elsif ($verb eq 'upgrade') {
            # each word percent-encoded (a path may hold a space): the script, then the daemon's command
            @upgrade = map { my $w = $_; $w =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge; $w } @args;
        }
    }
    if ($got == 0) {    # the daemon closed its line: it is ending, its exit is reaped below
        close $from_daemon;
        $from_daemon = undef;
    }
}

# an updated keeper: the apps that fell to the one before are its children already
note_new_children() if $ready_once;
start_daemon();
while (1) {
    reap();
    if (!$daemon && time >= $restart_at) {
        start_daemon();
    }
    my $rin = '';
    vec($rin, fileno($from_daemon), 1) = 1 if $from_daemon;
    my $n = select(my $rout = $rin, undef, undef, $from_daemon ? 5 : 1);
    from_daemon() if $n > 0 && $from_daemon && vec($rout, fileno($from_daemon), 1);
}
