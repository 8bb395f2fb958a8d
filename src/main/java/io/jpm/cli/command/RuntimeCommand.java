package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.render.DevOutput;
import io.jpm.cli.render.ForegroundOutput;
import io.jpm.cli.render.LogOutput;
import io.jpm.cli.render.Render;
import io.jpm.cli.render.RuntimeOutput;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessEnd;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code jpm-runtime [start] <script|ecosystem file> [start options] [--raw|--formatted|--json|--format]
 * [--no-auto-exit] [--private-home]} and {@code jpm start ... --no-daemon}: jpm as a container's main
 * process, as pm2-runtime and pm2's --no-daemon; {@code jpm-dev <script|file> [pm2-dev's options]}:
 * the same with watching on for every app, pm2-dev's output and options ({@link DevCommandLine}) in its own
 * home, ~/.jpm-dev unless JPM_HOME says otherwise. The daemon runs as this process's child (its own
 * JVM, in this process group, its stdin a pipe from here: see {@link DaemonConnector#startForeground}),
 * the apps start from the arguments, their lines come out on stdout and stderr, SIGTERM/SIGINT are
 * passed to the daemon, which stops the apps (each its kill signal, then SIGKILL), and this process exits
 * once the daemon has: 0 after a signal, {@link #NO_APP_LEFT} when no app runs any more (jpm-runtime
 * only, as pm2-runtime's auto-exit; jpm-dev with --auto-exit: {@link #DEV_NO_APP_LEFT}), 1 on bad input
 * (nothing started, the daemon stopped).
 */
public final class RuntimeCommand {
    public enum Mode {
        RUNTIME,
        NO_DAEMON,
        DEV
    }

    /** pm2-runtime's {@code Runtime.exit(2)} once no app is online. */
    static final int NO_APP_LEFT = ProcessEnd.Code.NO_APP_LEFT.status;
    /** pm2-dev's {@code --auto-exit}: {@code process.exit(1)} once no app is online. */
    static final int DEV_NO_APP_LEFT = ProcessEnd.Code.FAILURE.status;

    private final Mode mode;
    private final PrintStream out;
    private final String prefix;
    /** The status the JVM ends with: the shutdown hook halts with it (after a signal, 0 as pm2-runtime). */
    private final AtomicInteger exit = new AtomicInteger();

    private ForegroundDaemon daemon;
    private Path privateHome;
    private ForegroundOutput output;
    /** jpm-dev's --post-exec, or null. */
    private PostExec postExec;

    private RuntimeCommand(Mode mode, PrintStream out) {
        this.mode = mode;
        this.out = out;
        this.prefix = switch (mode) {
            case RUNTIME -> "jpm-runtime: ";
            case DEV -> "jpm-dev: ";
            case NO_DAEMON -> "jpm: ";
        };
    }

    public static int run(Mode mode, List<String> words, PrintStream out) {
        RuntimeCommand runtime = new RuntimeCommand(mode, out);
        int code;
        try {
            code = runtime.runNow(words);
        } catch (CliException e) {
            System.err.println(runtime.prefix + e.getMessage());
            code = e.error.exitStatus();
        } catch (JpmException e) {
            System.err.println(runtime.prefix + e.getMessage());
            code = e.error().exitStatus();
        } catch (IOException e) {
            System.err.println(runtime.prefix + "lost the daemon: " + e.getMessage());
            code = JpmError.UNAVAILABLE.exitStatus();
        } finally {
            runtime.stop();
        }
        runtime.exit.set(code);
        return code;
    }

    /** The {@code jpm start} command line that starts what a jpm-runtime command line names. */
    public static List<String> asStart(List<String> argv) {
        List<String> start = new ArrayList<>(List.of("start"));
        start.addAll(RuntimeCommandLine.parse(true, argv, "jpm-runtime: ").start());
        return start;
    }

    private int runNow(List<String> argv) throws IOException {
        if (mode == Mode.DEV) {
            return runDev(DevCommandLine.parse(argv));
        }
        RuntimeCommandLine words = RuntimeCommandLine.parse(mode == Mode.RUNTIME, argv, prefix);
        if (words.help()) {
            out.print(RuntimeCommandLine.HELP);
            return 0;
        }
        List<String> own = words.own();
        List<String> startWords = words.start();
        long delayMs = words.delayMs();
        StartRequest request = existingFile(new StartCommand().request(startWords));
        JpmHome home = JpmHome.fromEnvironment();
        if (own.contains("--private-home")) {
            privateHome = Files.createTempDirectory("jpm-runtime-");
            home = new JpmHome(privateHome, home.names());
        }
        output = new RuntimeOutput(logOutput(own));
        launch(home, " (or with --private-home)");
        if (delayMs > 0) {
            // pm2-runtime's --delay: the apps start that much later (a dependency still starting, say)
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        Json.Value started = startApps(request, startWords);
        if (mode == Mode.NO_DAEMON) {
            for (Json.Value p : started) {
                out.println("[jpm] " + p.path("name").asText() + " (id "
                        + p.path("pm_id").asText() + ") " + p.path("status").asText());
            }
            out.print(Render.table(Render.sorted(
                    daemon.client().request(Addresses.QUERY_LIST, Session.TABLE_QUERY, Session.REQUEST_TIMEOUT_MS),
                    "name")));
            out.println("[--no-daemon] Continue to stream logs");
            out.println("[--no-daemon] Exit on target jpm exit pid=" + daemon.pid());
            out.flush();
        }
        return daemon.supervise(mode == Mode.RUNTIME && !own.contains("--no-auto-exit"), NO_APP_LEFT);
    }

    /**
     * jpm-dev: pm2-dev's session, the apps watched, their lines labelled {@code name-pm_id}, the
     * banner, a line per restart; {@code --post-exec} run after each restart a file change caused.
     */
    private int runDev(DevCommandLine words) throws IOException {
        if (words.help()) {
            out.print(DevCommandLine.HELP);
            return 0;
        }
        StartRequest request = words.watching(existingFile(new StartCommand().request(words.start())));
        JpmHome home = JpmHome.fromEnvironment(DevCommandLine.DEFAULT_HOME);
        if (words.testMode()) {
            return startInBackground(home, request, words.start());
        }
        postExec = words.postExec() == null ? null : new PostExec(words.postExec(), words.silentExec());
        LogOutput lines = new LogOutput(
                out,
                words.raw() ? LogOutput.Shape.RAW : LogOutput.Shape.LABELLED,
                System.console() != null,
                words.timestamp() ? DayjsFormat.compile(LogOutput.DEFAULT_TIMESTAMP) : null,
                null);
        DevOutput dev = new DevOutput(lines, (event, why) -> {
            if (postExec != null && why.startsWith(ProcessEvent.WATCH_REASON)) {
                postExec.run();
            }
        });
        output = dev;
        launch(home, "");
        List<String> names = new ArrayList<>();
        int processes = 0;
        for (Json.Value p : startApps(request, words.start())) {
            processes++;
            if (!names.contains(p.path("name").asText())) {
                names.add(p.path("name").asText());
            }
        }
        dev.banner(names, processes, words.ignored(), words.postExec());
        return daemon.supervise(words.autoExit(), DEV_NO_APP_LEFT);
    }

    /**
     * pm2-dev's {@code --test-mode} (its own e2e test starts the apps and returns): the apps start
     * under a background daemon of the home, as {@code jpm start} starts them, and keep running.
     */
    private int startInBackground(JpmHome home, StartRequest request, List<String> startWords) throws IOException {
        try (Session session = new Session(home, out)) {
            Json.Value started = session.request(Addresses.CMD_START, request.toMap());
            if (!started.iterator().hasNext()) {
                throw CliException.usage(
                        "0 application started (no app to run in " + String.join(" ", startWords) + ")");
            }
            StartRequests.printStarted(started, session);
            session.printTable();
        }
        out.println("[jpm-dev] test mode: the apps run on, watched, under the daemon of JPM_HOME=" + home.root()
                + " (JPM_HOME=" + home.root() + " jpm kill stops them)");
        return 0;
    }

    /** The request, once its ecosystem file is known to exist (found before any daemon starts). */
    private static StartRequest existingFile(StartRequest request) {
        if (request.file() != null
                && !Files.isRegularFile(Path.of(System.getProperty("user.dir")).resolve(request.file()))) {
            throw CliException.usage("no such ecosystem file: " + request.file());
        }
        return request;
    }

    /** The daemon started in the foreground in {@code home}, this process's shutdown hook set. */
    private void launch(JpmHome home, String orElse) throws IOException {
        daemon = new ForegroundDaemon(output);
        daemon.launch(home, orElse, new Thread(this::onShutdown, "jpm-runtime-stop"));
    }

    private Json.Value startApps(StartRequest request, List<String> startWords) throws IOException {
        Json.Value started = daemon.client().request(Addresses.CMD_START, request.toMap(), Session.REQUEST_TIMEOUT_MS);
        if (!started.iterator().hasNext()) {
            throw CliException.usage("0 application started (no app to run in " + String.join(" ", startWords) + ")");
        }
        return started;
    }

    /** pm2-runtime's log shapes: raw by default; pm2's --no-daemon: labelled, with the time. */
    private LogOutput logOutput(List<String> own) {
        boolean terminal = System.console() != null;
        LogOutput.Shape shape = own.contains("--json")
                ? LogOutput.Shape.JSON
                : own.contains("--format")
                        ? LogOutput.Shape.FORMAT
                        : own.contains("--raw")
                                ? LogOutput.Shape.RAW
                                : own.contains("--formatted") || mode == Mode.NO_DAEMON
                                        ? LogOutput.Shape.LABELLED
                                        : LogOutput.Shape.RAW;
        DayjsFormat time =
                mode == Mode.NO_DAEMON && shape == LogOutput.Shape.LABELLED ? DayjsFormat.compile("HH:mm:ss") : null;
        return new LogOutput(out, shape, terminal, time, null);
    }

    /** SIGTERM, SIGINT, or the end of main: the daemon is stopped, then the JVM ends with {@link #exit}. */
    private void onShutdown() {
        daemon.signalled();
        if (mode == Mode.DEV && daemon.alive()) {
            output.daemonLine(
                    "Stopping current development session",
                    System.currentTimeMillis()); // a signal, as pm2-dev's SIGINT line
        }
        stop();
        out.flush();
        System.err.flush();
        ProcessEnd.halt(exit.get());
    }

    /** The daemon stopped (see {@link ForegroundDaemon#stop}), then a private home removed. Runs once. */
    private synchronized void stop() {
        if (postExec != null) {
            postExec.stop();
        }
        if (daemon != null) {
            daemon.stop();
        }
        if (privateHome != null && (daemon == null || !daemon.alive())) {
            removeTree(privateHome);
            privateHome = null;
        }
    }

    private static void removeTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("jpm-runtime: cannot remove " + root + ": " + e.getMessage());
        }
    }
}
