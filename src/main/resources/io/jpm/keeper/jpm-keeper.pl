# jpm's keeper: the jpm daemon's parent, which outlives it. Apps must not depend on the daemon's JVM
# staying up (a SIGKILL, the OOM killer, a crash), so this small process, not the JVM, is what the
# apps fall to when the daemon dies:
#   - it is a child subreaper (prctl), so the apps of a dead daemon become its children: it reaps
#     them and tells the next daemon how each one ended;
#   - it holds duplicates of the descriptors the daemon asks it to (each app's pipe read ends, taken
#     from the daemon with pidfd_getfd), so no app writes into a pipe without a reader, and what the
#     apps write while no daemon runs waits in their pipes;
#   - it starts the daemon again when it dies, at once and then with growing pauses if it keeps
#     dying, and hands it every descriptor it holds; after six quick deaths in a row it rests: it
#     tries once every 30 s (a cause fixed meanwhile, a disk freed, brings the daemon back with no
#     command typed), or at once when a jpm command asks (SIGUSR1), and the apps run on meanwhile;
#   - while no daemon runs, it reads the apps' pipes into their log files itself, through each
#     stream's output journal, so no app blocks on a full pipe and the next daemon goes on where
#     it stopped;
#   - when the daemon leaves for an update (jpm update: its line 'upgrade <script> <command...>'),
#     it runs the script the new jpm wrote, in this same process (exec: its children stay its
#     children, the descriptors it holds stay open), which starts the new daemon; 'renew' is the
#     same for a fresh daemon of the same build after a burst.
# Perl, because perl-base is in every Debian and Ubuntu system: it needs no compiler on the user's
# machine and costs a few MB where a second JVM would cost tens. The protocol (docs/ARCHITECTURE.md,
# "The keeper") is lines of text: the daemon's stdin is the keeper's line to it, and the descriptor
# named by JPM_KEEPER_FD is the daemon's line back.
#
# Usage: perl jpm-keeper.pl <daemon command...>   (run in a session of its own, in JPM_HOME's log)
# An updated keeper gets what the one before it held in its environment: JPM_KEEPER_HELD
# ("key=fd ..."), JPM_KEEPER_EXITS (its exit lines not told yet, ',' for ' ', separated by ';').

# The first daemon of a keeper started by a client is forked here, before perl loads its modules and
# compiles the rest of this script (6.7 ms of CPU of the 8.4 of perl -c, more wall time on a busy
# machine, on the way to every cold start): its JVM starts meanwhile, and start_daemon takes it over.
# No module is loaded yet, so F_SETFD is its number (2 in <asm-generic/fcntl.h>, every architecture).
# Not for an updated keeper (it hands its daemon descriptors only the rest of the script knows), nor
# when the script is only loaded or checked (perl -c: no daemon command).
our ($early_pid, $early_to_daemon, $early_from_daemon);
BEGIN {
    if (@ARGV && $0 eq __FILE__ && !exists $ENV{JPM_KEEPER_HELD} && !exists $ENV{JPM_KEEPER_UPDATED}) {
        pipe(my $to_r, my $to_w) or die "pipe: $!";
        pipe(my $from_r, my $from_w) or die "pipe: $!";
        my $pid = fork();
        die "fork: $!" unless defined $pid;
        if ($pid == 0) {
            open(STDIN, '<&', $to_r) or do { require POSIX; POSIX::_exit(127) };
            fcntl($from_w, 2, 0);    # inherited by the daemon (perl's pipes close on exec)
            $ENV{JPM_KEEPER_FD} = fileno($from_w);
            $ENV{JPM_KEEPER_PID} = getppid();
            exec { $ARGV[0] } @ARGV or do { require POSIX; POSIX::_exit(127) };
        }
        close $to_r;
        close $from_w;
        ($early_pid, $early_to_daemon, $early_from_daemon) = ($pid, $to_w, $from_r);
    }
}

use strict;
use warnings;
use Fcntl qw(F_GETFD F_SETFD F_GETFL F_SETFL O_NONBLOCK O_RDWR O_WRONLY O_APPEND O_CREAT O_NOFOLLOW SEEK_SET SEEK_CUR);

# POSIX, Time::HiRes and Config are loaded once the first daemon is starting (below): compiled here
# they held up its exec by ~10 ms of every cold start (perl -c of this script 25 -> 15 ms here)
sub WNOHANG () { 1 }    # <linux/wait.h>, every architecture
sub O_CLOEXEC () { 02000000 }    # <asm-generic/fcntl.h>: every architecture Debian builds (Fcntl does not export it)

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
# resting, it tries again at this pace (systemd's Restart=always with RestartSec): never leaves the
# apps without a daemon for good (JPM_KEEPER_REST_S: another pace, for tests)
my $REST_S = (($ENV{JPM_KEEPER_REST_S} // '') =~ /^[1-9]\d*$/) ? $ENV{JPM_KEEPER_REST_S} : 30;

my @daemon_command = @ARGV;

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
my $pid_file;
sub write_pid_file {
    $pid_file = defined $ENV{JPM_HOME} ? "$ENV{JPM_HOME}/keeper.pid" : undef;
    return unless $pid_file;
    my $temp = "$pid_file.$$.tmp";
    my $old_umask = umask 077; # owner-only, as every file jpm makes in JPM_HOME
    if (open(my $out, '>', $temp)) {
        print {$out} "$$\n";
        close $out;
        rename($temp, $pid_file) or unlink $temp;
    }
    umask $old_umask;
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
my $resting = 0;      # a daemon that kept dying: tried again every $REST_S s, or when a jpm command asks
my $asked = 0;        # a jpm command asked for a daemon (SIGUSR1)
my $quick_crashes = 0;
my $restart_at = 0;    # when to start the daemon again, while it is down
my $inbox = '';
my @upgrade;          # the script and the daemon command the daemon named as it left for an update
my $upgrade_why = 'for an update';    # or for a fresh daemon of the same build (renew)

# what the keeper before this one (the same process, before its exec) held and had not told yet
sub take_over_from_environment {
    for my $pair (split / /, delete $ENV{JPM_KEEPER_HELD} // '') {
        $held{$1} = $2 + 0 if $pair =~ /^(.+)=(\d+)$/;
    }
    for my $line (split /;/, delete $ENV{JPM_KEEPER_EXITS} // '') {
        push @exits, join(' ', split /,/, $line) if $line =~ /^exit(,-?\d+){4}$/;
    }
}

sub set_signals {
    # a signal that came ignored stays ignored, for the daemon too (a handler would be reset to the
    # default by its exec): the daemon then hands its apps the default anyway
    for my $name ('TERM', 'INT') {
        next if ($SIG{$name} // '') eq 'IGNORE';
        $SIG{$name} = sub { $stopping = 1; kill 'TERM', $daemon if $daemon };
    }
    $SIG{CHLD} = sub { };                  # interrupts select: the loop reaps
    $SIG{USR1} = sub { $asked = 1 };       # a jpm command wants a daemon (after this keeper gave up)
    $SIG{PIPE} = 'IGNORE';
}

sub start_daemon {
    my ($pid, $to_w, $from_r) = ($early_pid, $early_to_daemon, $early_from_daemon);
    if (defined $pid) {
        ($early_pid, $early_to_daemon, $early_from_daemon) = ();    # forked at the top: taken over once
        return started_daemon($pid, $to_w, $from_r);
    }
    pipe(my $to_r, $to_w) or die "pipe: $!";
    pipe($from_r, my $from_w) or die "pipe: $!";
    $pid = fork();
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
    return started_daemon($pid, $to_w, $from_r);
}

# the daemon forked: its lines made ready, the keeper's first words to it (its inventory) written
sub started_daemon {
    my ($pid, $to_w, $from_r) = @_;
    my $flags = fcntl($from_r, F_GETFL, 0);
    fcntl($from_r, F_SETFL, $flags | O_NONBLOCK);
    ($daemon, $to_daemon, $from_daemon, $daemon_started, $ready, $inbox) = ($pid, $to_w, $from_r, time, 0, '');
    $daemon_pidfd = syscall($SYSCALL{pidfd_open}, $pid + 0, 0);
    select((select($to_daemon), $| = 1)[0]);
    # the modules left out above, while the daemon's JVM starts (it reads this line ~100 ms from now)
    require POSIX;
    require Time::HiRes;
    # starts-next: a daemon that was ready before this one, so this one's end, even at its start, is
    # followed by another that adopts the apps (a first daemon that fails ends this keeper too)
    tell_daemon("keeper $$ " . (become_subreaper() ? 'subreaper' : 'no-subreaper') . ($ready_once ? ' starts-next' : ''));
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
    read_last_words();
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
        log_line('INFO', "the daemon (pid $pid) left $upgrade_why ($how): starting " . join(' ', @command));
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
    drain_begin();
    if ($quick_crashes > @PAUSES_S + 1) {
        # a daemon that cannot stay up is not started forever: the keeper rests, the apps run on and
        # their output goes on to their log files, and the next jpm command asks for a daemon again
        # (SIGUSR1), which adopts them. The note for that daemon is written before the line is: who
        # reads the line and asks finds it
        tell_next_daemon($quick_crashes, $how);
        warn_line("the daemon (pid $pid) ended ($how), $quick_crashes times in a row within $QUICK_CRASH_S s of"
            . " its start: trying again every $REST_S s, or when a jpm command asks; the apps keep running"
            . " and their output goes on to their log files (see above for why it ended)");
        $resting = 1;
        $restart_at = time + $REST_S;
        return;
    }
    my $pause = $quick_crashes > 1 ? $PAUSES_S[ $quick_crashes - 2 ] : 0;
    warn_line("the daemon (pid $pid) ended ($how); starting it again" . ($pause ? " in $pause s" : ''));
    $restart_at = time + $pause;
}

# a jpm command found no daemon and this keeper resting: start one again, with a fresh count
sub answer_request {
    $asked = 0;
    return if $daemon;
    if ($resting) {
        log_line('INFO', 'a jpm command asked for a daemon: starting it again');
    }
    ($resting, $quick_crashes, $restart_at) = (0, 0, 0);
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

# What a dead daemon wrote before it died is read before its death is judged: a "ready" it sent
# just before a kill makes it a daemon that was up, not a first start that failed (the loop reaps
# before it reads, and both can be pending at once). A child of the daemon may hold the line open,
# so no end of file is waited for: only what is there now.
sub read_last_words {
    while ($from_daemon) {
        my $rin = '';
        vec($rin, fileno($from_daemon), 1) = 1;
        last unless select(my $rout = $rin, undef, undef, 0) > 0;
        last unless defined from_daemon() && $from_daemon;
    }
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
            write_pid_file();    # this keeper's daemon holds the home: keeper.pid is ours, whoever wrote it since
            tell_daemon($_) for @exits;
            @exits = ();
        } elsif ($verb eq 'bye') {
            $stopping = 1;
        } elsif ($verb eq 'upgrade' || $verb eq 'renew') {
            # each word percent-encoded (a path may hold a space): the script, then the daemon's command
            @upgrade = map { my $w = $_; $w =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge; $w } @args;
            $upgrade_why = $verb eq 'renew' ? 'for a fresh daemon after a burst' : 'for an update';
        }
    }
    if ($got == 0) {    # the daemon closed its line: it is ending, its exit is reaped below
        close $from_daemon;
        $from_daemon = undef;
    }
}

# ---- while no daemon runs: the apps' output into their log files ----
# Between two daemons (a crash loop's pauses, and while resting after giving up) the keeper reads
# every run's stdout and stderr as the daemon's pump does, so no app waits on a full pipe, and
# writes the lines into the run's log files as the LogAggregator does (laid out by the pieces the
# daemon wrote into the journal's header: protocol.LineLayout). It goes through the stream's output journal
# (launcher.OutputJournal: a memory file holding what was read and is not in the log files yet;
# its header says how far the files are, 'done', and where and how the lines go), so the next
# daemon goes on exactly where the keeper stopped: what the keeper reads from a pipe is added to
# the journal before it is written, 'done' moves after the write, and while it writes, the header
# records the files' sizes before it, as the daemon does, so a keeper killed mid-write is cut back
# and the next daemon writes the same bytes again. What the files have is let go (the journal is
# truncated back to its header once nothing is pending), so memory stays what is in flight.
my $CAN_DRAIN = eval { my $word = pack('q', 1); 1 };    # the journal's words are 64-bit
my $JOURNAL_MAGIC = $CAN_DRAIN ? (0x6a706d2d << 32) | 0x6a726e31 : 0;    # "jpm-jrn1"
my ($DONE_AT, $RECORD_AT, $TARGETS_AT, $DATA) = (8, 16, 8 * 1024, 16 * 1024);
my $READ_BYTES = 65536;         # one read of a pipe, as the daemon's pump reads
my $MAX_PENDING = 65536;        # a longer unfinished line is written as it is (logs.StreamWriter)
my $HELD_LINE_S = 0.5;          # an unfinished line waits this long for its end (LogAggregatorVerticle)
my %draining;                   # pipe key -> its stream, while no daemon runs

sub drain_begin {
    return unless $CAN_DRAIN;
    for my $key (sort keys %held) {
        next unless $key =~ /^(?:out|err):\d+:\d+$/ && exists $held{"j$key"};
        my $stream = open_stream($key, $held{$key}, $held{"j$key"});
        $draining{$key} = $stream if $stream;
    }
}

# before a daemon starts: it takes the pipes and journals as they are (what is pending is in them)
sub drain_end {
    for my $stream (values %draining) {
        POSIX::close($_) for $stream->{reader}, values %{ $stream->{files} };
    }
    %draining = ();
}

# the stream of a run, from its journal's header; undef when the keeper cannot write it (no
# journal, or one that says nothing of its files: its bytes then wait in the pipe, as before)
sub open_stream {
    my ($key, $pipe, $journal) = @_;
    # a second open file of the journal: reading and writing its header there leaves the position
    # of the one the daemon shares (the end of what was read) alone
    my $reader = POSIX::open("/proc/self/fd/$journal", O_RDWR | O_CLOEXEC);
    return undef unless defined $reader;
    my $header = read_at($reader, $DATA, 0);
    my %targets = length($header) == $DATA && unpack('q', $header) == $JOURNAL_MAGIC
        ? targets_of(substr($header, $TARGETS_AT)) : ();
    # no layout: a journal the daemon of an earlier jpm described, or none; its bytes wait for the next daemon
    if (!$targets{file} || !$targets{piece} || !$targets{time}) {
        POSIX::close($reader);
        return undef;
    }
    my $stream = { %targets, key => $key, pipe => $pipe, journal => $journal, reader => $reader,
        done => unpack('q', substr($header, $DONE_AT, 8)), tail => '', files => {}, failed => 0 };
    my $before = unpack('q', substr($header, $RECORD_AT, 8));
    if ($before >= 0 && $before == $stream->{done}) {
        cut_back($header);    # the daemon died in a write: its files back to their sizes before it
    }
    store($stream, $RECORD_AT, -1);
    return $stream;
}

# StreamJournal.Targets' lines: "file <path>" (one or two), then how the lines are laid out
# (protocol.LineLayout, the daemon's own): "piece <kind> [<text>]" in order, and "time iso" or the
# date format's parts, "time token <name>" and "time text <text>"; each text percent-encoded. Its
# other lines are for the keeper of an earlier jpm.
sub targets_of {
    my ($text) = @_;
    $text =~ s/\0.*//s;
    my %targets = (file => [], piece => [], time => []);
    for my $line (split /\n/, $text) {
        my ($name, $word, $value) = split / /, $line, 3;
        next unless defined $word;
        if ($name eq 'file') {
            push @{ $targets{file} }, decode($word);
        } elsif ($name eq 'piece' || $name eq 'time') {
            push @{ $targets{$name} }, [ $word, decode($value // '') ];
        }
    }
    @{ $targets{$_} } or delete $targets{$_} for qw(file piece time);
    return %targets;
}

sub decode {
    my ($text) = @_;
    $text =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $text;
}

sub cut_back {
    my ($header) = @_;
    my $count = unpack('l', substr($header, $RECORD_AT + 8, 4));
    my $at = $RECORD_AT + 12;
    for (1 .. ($count > 2 ? 2 : $count)) {
        my ($size, $length) = unpack('q l', substr($header, $at, 12));
        last if $length < 0 || $at + 12 + $length > $TARGETS_AT;
        my $path = substr($header, $at + 12, $length);
        $at += 12 + $length;
        truncate($path, $size) if $size >= 0 && lstat($path) && -f _ && -s _ > $size;
    }
}

# reads from an offset of the second open file (its own position)
sub read_at {
    my ($fd, $count, $offset) = @_;
    my $bytes = '';
    return $bytes unless defined POSIX::lseek($fd, $offset, SEEK_SET);
    while (length($bytes) < $count) {
        my $got = POSIX::read($fd, my $chunk, $count - length $bytes);
        last if !defined $got || $got == 0;    # POSIX::read says "0 but true" at the end
        $bytes .= $chunk;
    }
    return $bytes;
}

sub write_all {
    my ($fd, $bytes) = @_;
    my $at = 0;
    while ($at < length $bytes) {
        my $wrote = POSIX::write($fd, substr($bytes, $at), length($bytes) - $at);
        return 0 if !defined $wrote || $wrote == 0;
        $at += $wrote;
    }
    return 1;
}

sub store {
    my ($stream, $offset, $value) = @_;
    POSIX::lseek($stream->{reader}, $offset, SEEK_SET);
    return write_all($stream->{reader}, pack('q', $value));
}

# the descriptors select waits on, and how long it may wait (undef: as long as the loop likes)
sub drain_wants {
    my $wait;
    my $now = Time::HiRes::time();
    for my $stream (values %draining) {
        vec($_[0], $stream->{pipe}, 1) = 1 unless $stream->{ended};
        if (pending_in_journal($stream)) {
            $wait = 0;    # the journal holds more than was taken: at once
        } elsif (length $stream->{tail}) {
            my $left = $stream->{since} + $HELD_LINE_S - $now;
            $wait = $left < 0 ? 0 : $left if !defined $wait || $left < $wait;
        }
    }
    return $wait;
}

sub pending_in_journal {
    my ($stream) = @_;
    return journal_end($stream) > $stream->{done} + length $stream->{tail};
}

# how much of the stream the journal holds: its position (the daemon's, then this keeper's reads)
sub journal_end {
    return POSIX::lseek($_[0]{journal}, 0, SEEK_CUR) - $DATA;
}

sub drain_round {
    my ($ready) = @_;
    for my $stream (values %draining) {
        take($stream, length($ready) && vec($ready, $stream->{pipe}, 1));
        write_lines($stream);
    }
}

# what the journal holds past what was taken first (the last daemon's), then the pipe
sub take {
    my ($stream, $readable) = @_;
    my $end = journal_end($stream);
    my $taken = $stream->{done} + length $stream->{tail};
    if ($taken < $end) {
        my $count = $end - $taken < $READ_BYTES ? $end - $taken : $READ_BYTES;
        $stream->{tail} .= read_at($stream->{reader}, $count, $DATA + $taken);
    } elsif ($readable && !$stream->{ended}) {
        my $got = POSIX::read($stream->{pipe}, my $bytes, $READ_BYTES);
        if (defined $got && $got == 0) {    # "0 but true": the end
            $stream->{ended} = 1;    # every writer is gone; the next daemon sees the end too
        } elsif ($got) {
            # into the journal before anything else: a keeper killed now leaves it to the next daemon
            if (!write_all($stream->{journal}, $bytes)) {
                warn_line("$stream->{key}: cannot add to its output journal: $!");
            }
            $stream->{tail} .= $bytes;
        }
    }
    $stream->{since} = Time::HiRes::time() if length $stream->{tail} && !defined $stream->{since};
}

# the whole lines taken, or an unfinished one that waited long enough or grew too long
sub write_lines {
    my ($stream) = @_;
    my $tail = $stream->{tail};
    my $count = rindex($tail, "\n") + 1;
    my $unfinished = 0;
    if ($count == 0 && length $tail
        && (length $tail >= $MAX_PENDING || Time::HiRes::time() - $stream->{since} >= $HELD_LINE_S)) {
        ($count, $unfinished) = (length $tail, 1);
    }
    return unless $count;
    write_files($stream, formatted($stream, substr($tail, 0, $count), $unfinished));
    $stream->{done} += $count;
    store($stream, $DONE_AT, $stream->{done});    # first: a record still there then says the write was finished
    store($stream, $RECORD_AT, -1);
    substr($stream->{tail}, 0, $count) = '';
    $stream->{since} = length $stream->{tail} ? Time::HiRes::time() : undef;
    if (!length $stream->{tail} && journal_end($stream) == $stream->{done}) {
        # nothing pending: the bytes the files have are let go (the position, past the end, stays)
        truncate("/proc/self/fd/$stream->{journal}", $DATA);
    }
}

sub write_files {
    my ($stream, $text) = @_;
    my @files = @{ $stream->{file} };
    # the record: 'done', then each file's size before the write (OutputJournal.writing's layout)
    my $record = pack('q l', $stream->{done}, scalar @files);
    for my $path (@files) {
        my $fd = $stream->{files}{$path} //= POSIX::open($path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        my $size = defined $fd ? (POSIX::fstat($fd))[7] : -1;
        $record .= pack('q l', $size, length $path) . $path;
    }
    if (length($record) <= $TARGETS_AT - $RECORD_AT) {
        POSIX::lseek($stream->{reader}, $RECORD_AT, SEEK_SET);
        write_all($stream->{reader}, $record);
    }
    for my $path (@files) {
        my $fd = $stream->{files}{$path};
        next if defined $fd && write_all($fd, $text);
        # a full disk or a file that cannot be opened: given up, as the daemon gives it up, not held
        warn_line("cannot write $stream->{app}'s $stream->{stream} to $path: $!") unless $stream->{failed}++;
    }
}

# the lines laid out by the pieces the daemon lays them out with (protocol.LineLayout)
sub formatted {
    my ($stream, $bytes, $unfinished) = @_;
    my @lines = split /\n/, $bytes, -1;
    pop @lines unless $unfinished;    # the empty text after the last newline
    my $pieces = $stream->{piece};
    my $time = (grep { $_->[0] eq 'time' } @$pieces) ? time_text($stream->{time}, int(Time::HiRes::time() * 1000)) : '';
    my ($line_at) = grep { $pieces->[$_][0] eq 'line' } 0 .. $#$pieces;
    my $out = '';
    for my $i (0 .. $#lines) {
        # the rest of a line written before its end goes on from the line's piece (not for a JSON record)
        my $from = $i == 0 && $stream->{midline} && defined $line_at ? $line_at : 0;
        my $ends = !($unfinished && $i == $#lines);
        for my $piece (@$pieces[$from .. $#$pieces]) {
            my ($kind, $text) = @$piece;
            $out .= $kind eq 'text' ? $text
                : $kind eq 'time' ? $time
                : $kind eq 'line' ? $lines[$i]
                : $kind eq 'json-line' ? json_quote($lines[$i] . "\n")    # with its newline, ended or not
                : $kind eq 'newline' && $ends ? "\n"
                : '';
        }
    }
    $stream->{midline} = $unfinished;
    return $out;
}

# $now: ms since the epoch
sub time_text {
    my ($parts, $now) = @_;
    return $parts->[0][0] eq 'iso' ? iso_instant($now) : format_date($parts, $now);
}

# what java.lang.String makes of a line's bytes (the daemon's JSON decodes them): well-formed UTF-8
# as it is, and U+FFFD for each ill-formed piece, as far as it starts a valid character (a surrogate's
# three bytes are one piece)
my $UTF8_CHAR = qr/[\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}
    |\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2}/x;
my $UTF8_PIECE = qr/\xE0[\xA0-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]|\xED[\x80-\xBF][\x80-\xBF]?|\xF0[\x90-\xBF][\x80-\xBF]?
    |[\xF1-\xF3][\x80-\xBF]{1,2}|\xF4[\x80-\x8F][\x80-\xBF]?|[\x00-\xFF]/x;

sub decoded_as_java {
    my ($text) = @_;
    return $text unless $text =~ /[\x80-\xFF]/;
    $text =~ s/\G(?:($UTF8_CHAR+)|$UTF8_PIECE)/defined $1 ? $1 : "\xEF\xBF\xBD"/ge;
    return $text;
}

sub json_quote {
    my ($text) = @_;
    $text = decoded_as_java($text);
    $text =~ s/(["\\])/\\$1/g;
    $text =~ s/\n/\\n/g;
    $text =~ s/\r/\\r/g;
    $text =~ s/\t/\\t/g;
    $text =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
    return "\"$text\"";
}

# java.time.Instant's text: UTC, milliseconds unless they are zero ($now: ms since the epoch)
sub iso_instant {
    my ($now) = @_;
    my $ms = $now % 1000;
    return POSIX::strftime('%Y-%m-%dT%H:%M:%S', gmtime int($now / 1000)) . ($ms ? sprintf('.%03d', $ms) : '') . 'Z';
}

my @MONTHS = qw(January February March April May June July August September October November December);
my @DAYS = qw(Sunday Monday Tuesday Wednesday Thursday Friday Saturday);

# the date format's parts as DayjsFormat compiled them; $now: ms since the epoch
sub format_date {
    my ($parts, $now) = @_;
    my $seconds = int($now / 1000);
    my @t = localtime $seconds;
    my ($sec, $min, $hour, $day, $month, $year, $weekday) = @t;
    my $twelve = $hour % 12 || 12;
    my $offset = POSIX::strftime('%z', @t);
    my %value = (
        YYYY => sprintf('%04d', $year + 1900), YY => sprintf('%02d', $year % 100),
        MMMM => $MONTHS[$month], MMM => substr($MONTHS[$month], 0, 3), MM => sprintf('%02d', $month + 1),
        M => $month + 1, DD => sprintf('%02d', $day), D => $day,
        dddd => $DAYS[$weekday], ddd => substr($DAYS[$weekday], 0, 3), dd => substr($DAYS[$weekday], 0, 2),
        d => $weekday, HH => sprintf('%02d', $hour), H => $hour, hh => sprintf('%02d', $twelve), h => $twelve,
        mm => sprintf('%02d', $min), m => $min, ss => sprintf('%02d', $sec), s => $sec,
        SSS => sprintf('%03d', $now % 1000), ZZ => $offset,
        Z => substr($offset, 0, 3) . ':' . substr($offset, 3), A => $hour < 12 ? 'AM' : 'PM',
        a => $hour < 12 ? 'am' : 'pm', X => $seconds, x => $now,
    );
    return join '', map { $_->[0] eq 'token' ? $value{ $_->[1] } : $_->[1] } @$parts;
}

sub run {
    die "usage: jpm-keeper.pl <daemon command...>\n" unless @daemon_command;
    write_pid_file();
    take_over_from_environment();
    set_signals();
    # an updated keeper: the apps that fell to the one before are its children already
    note_new_children() if $ready_once;
    start_daemon();
    while (1) {
        reap();
        answer_request() if $asked;
        exit 0 if $stopping && !$daemon;
        # a jpm command that took us for dead spawned a daemon of its own, whose keeper wrote keeper.pid
        # and removed it on losing the home to ours: written again, or no command would wait for us
        write_pid_file() if $ready && $pid_file && !-e $pid_file;
        if (!$daemon && time >= $restart_at) {
            log_line('INFO', "trying the daemon again after $REST_S s") if $resting;
            $resting = 0;    # a quick death of this one rests again at once: $quick_crashes is kept
            drain_end();
            start_daemon();
        }
        my $rin = '';
        vec($rin, fileno($from_daemon), 1) = 1 if $from_daemon;
        my $wait = drain_wants($rin);
        my $n = select(my $rout = $rin, undef, undef, $wait // ($from_daemon ? 5 : 1));
        from_daemon() if $n > 0 && $from_daemon && vec($rout, fileno($from_daemon), 1);
        drain_round($n > 0 ? $rout : '');
    }
}

run() unless caller;
1;
