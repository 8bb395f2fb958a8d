package io.jpm.cli;

import io.jpm.cli.command.RuntimeCommand;
import io.jpm.cli.help.AppNames;
import io.jpm.cli.startup.CdsTraining;
import io.jpm.cli.startup.DaemonArchive;
import io.jpm.cli.transport.DaemonGone;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessEnd;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jpm <verb> ...}: parses the verb, runs its command against the daemon, exits 0 on success
 * or prints one line on stderr and exits non-zero. The client never loads daemon classes.
 */
public final class Main {
    /** bin/jpm-runtime's first word: the rest is pm2-runtime's command line ({@link RuntimeCommand}). */
    static final String RUNTIME_VERB = "__runtime";
    /** bin/jpm-dev's first word: the rest is pm2-dev's command line ({@link RuntimeCommand}'s DEV mode). */
    static final String DEV_VERB = "__dev";

    private Main() {}

    /** Every command once, in {@code jpm --help}'s order (the man page and the completions are made from them). */
    public static List<Command> commands() {
        return Verbs.all();
    }

    /** A verb's command (the CDS training runs the real ones). */
    public static Command verb(String name) {
        return Verbs.named(name);
    }

    public static void main(String[] argv) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        ProcessEnd.exit(run(Arrays.asList(argv), out));
    }

    static int run(List<String> argv, PrintStream out) {
        Integer answered = answeredWithoutDaemon(argv, out);
        if (answered != null) {
            return answered;
        }
        // pm2's -s/--silent: no output on stdout, errors still on stderr
        if (argv.contains("-s") || argv.contains("--silent")) {
            argv = withoutSilent(argv);
            out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        }
        if (RUNTIME_VERB.equals(argv.get(0)) && System.getenv("PM2_RUNTIME_DEBUG") != null) {
            // pm2-runtime's own test switch (Runtime4Docker.js: daemon_mode, then disconnect): the apps
            // start under a background daemon and the runtime returns, as `start` does
            try {
                argv = RuntimeCommand.asStart(argv.subList(1, argv.size()));
            } catch (CliException e) {
                System.err.println("jpm-runtime: " + e.getMessage());
                return e.error.exitStatus();
            }
        }
        Integer inForeground = runtimeMode(argv, out);
        if (inForeground != null) {
            return inForeground;
        }
        return dispatch(argv, out);
    }

    /** Help, version and the build's own verbs: answered before any option is read; null for the others. */
    private static Integer answeredWithoutDaemon(List<String> argv, PrintStream out) {
        if (argv.isEmpty() || List.of("-h", "--help", "help").contains(argv.get(0))) {
            out.print(usage());
            return argv.isEmpty() ? ProcessEnd.Code.FAILURE.status : ProcessEnd.Code.OK.status;
        }
        if (List.of("-v", "--version", "version").contains(argv.get(0))) {
            out.println(Build.current().version());
            return 0;
        }
        if (AppNames.VERB.equals(argv.get(0))) {
            return AppNames.print(out);
        }
        if (DaemonArchive.RECORD_VERB.equals(argv.get(0))) {
            return DaemonArchive.record(argv.subList(1, argv.size()));
        }
        if ("__cds-train".equals(argv.get(0))) {
            try {
                return CdsTraining.run();
            } catch (IOException e) {
                System.err.println("jpm: training run failed: " + e.getMessage());
                return ProcessEnd.Code.FAILURE.status;
            }
        }
        return null;
    }

    /** The words without -s and --silent before any {@code --}. */
    private static List<String> withoutSilent(List<String> argv) {
        int end = argv.contains("--") ? argv.indexOf("--") : argv.size();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i);
            if (i >= end || (!word.equals("-s") && !word.equals("--silent"))) {
                kept.add(word);
            }
        }
        return kept;
    }

    /** jpm-runtime, jpm-dev and {@code start --no-daemon}: the apps in this process's foreground; null for the others. */
    private static Integer runtimeMode(List<String> argv, PrintStream out) {
        if (RUNTIME_VERB.equals(argv.get(0))) {
            return RuntimeCommand.run(RuntimeCommand.Mode.RUNTIME, argv.subList(1, argv.size()), out);
        }
        if (DEV_VERB.equals(argv.get(0))) {
            return RuntimeCommand.run(RuntimeCommand.Mode.DEV, argv.subList(1, argv.size()), out);
        }
        if ("start".equals(argv.get(0))
                && !asksForHelp(argv)
                && argv.subList(0, argv.contains("--") ? argv.indexOf("--") : argv.size())
                        .contains("--no-daemon")) {
            return RuntimeCommand.run(RuntimeCommand.Mode.NO_DAEMON, argv.subList(1, argv.size()), out);
        }
        return null;
    }

    /** A verb of the table: its help, or the command run over a session with the daemon. */
    private static int dispatch(List<String> argv, PrintStream out) {
        if (Verbs.named(argv.get(0)) != null && asksForHelp(argv)) {
            out.print(help(argv.get(0)));
            return 0;
        }
        Command command = Verbs.named(argv.get(0));
        if (command == null && Verbs.LEFT_OUT.containsKey(argv.get(0))) {
            System.err.println("jpm: " + argv.get(0) + ": " + Verbs.LEFT_OUT.get(argv.get(0)));
            return JpmError.INVALID_ARGUMENT.exitStatus();
        }
        if (command == null) {
            System.err.println("jpm: unknown command '" + argv.get(0) + "' (see jpm --help)");
            return JpmError.INVALID_ARGUMENT.exitStatus();
        }
        long deadline = System.nanoTime() + DYING_DAEMON_NS;
        while (true) {
            try (Session session = new Session(JpmHome.fromEnvironment(), out)) {
                return command.run(argv.subList(1, argv.size()), session);
            } catch (DaemonGone e) {
                if (System.nanoTime() - deadline >= 0) {
                    return lostTheDaemon(e);
                }
                pauseForTheNextDaemon();
            } catch (CliException e) {
                System.err.println("jpm: " + e.getMessage());
                return e.error.exitStatus();
            } catch (JpmException e) {
                System.err.println("jpm: " + e.getMessage());
                return e.error().exitStatus();
            } catch (IOException e) {
                return lostTheDaemon(e);
            }
        }
    }

    /**
     * How long a command tries again on a daemon that took its connection down before answering
     * ({@link DaemonGone}): its door closes once the last of its threads has exited, a moment after a
     * kill; then the command finds its keeper's next daemon, or starts one.
     */
    private static final long DYING_DAEMON_NS = TimeUnit.SECONDS.toNanos(10);

    private static void pauseForTheNextDaemon() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int lostTheDaemon(IOException e) {
        System.err.println("jpm: lost the daemon: " + e.getMessage());
        return JpmError.UNAVAILABLE.exitStatus();
    }

    /** {@code jpm <verb> --help} (or {@code -h}), before any {@code --}. */
    private static boolean asksForHelp(List<String> argv) {
        for (String word : argv.subList(1, argv.size())) {
            if (word.equals("--")) {
                return false;
            }
            if (word.equals("--help") || word.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** {@code jpm <verb> --help}: generated from the verb's {@link Syntax}. */
    static String help(String verb) {
        Command command = Verbs.named(verb);
        return command == null
                ? "usage: jpm " + verb + " (see jpm --help)\n"
                : command.syntax().help();
    }

    /** {@code jpm --help}: every verb's entry, in the table's order. */
    static String usage() {
        StringBuilder text = new StringBuilder("usage: jpm <command> [options]\n\n");
        for (Command command : Verbs.all()) {
            text.append(command.syntax().entry());
        }
        return text.append("\n  -s, --silent: nothing on stdout (errors still on stderr)\n")
                .append("  jpm <command> --help: that command's options\n")
                .toString();
    }
}
