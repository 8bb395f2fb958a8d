package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.render.ForegroundOutput;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon {@link RuntimeCommand} runs as this process's child: started in a home no daemon runs
 * in, its events followed on a thread of their own, waited on (with pm2-runtime's auto-exit once no
 * app runs), stopped with SIGTERM and, past its own wait for the apps, SIGKILL.
 */
final class ForegroundDaemon {
    /** How often the table is read for the auto-exit, and how many reads in a row must find no app running. */
    private static final long ABSENCE_POLL_MS = 1000;

    private static final int ABSENCE_POLLS = 3;
    /** Beyond the daemon's own wait for its apps (60 s): then the daemon is killed. */
    private static final long STOP_WAIT_MS = 70_000;

    private final ForegroundOutput output;
    /** A signal came: the shutdown hook stops the daemon and ends the JVM. */
    private volatile boolean stopping;

    private DaemonConnector.Foreground daemon;
    private Thread listener;

    ForegroundDaemon(ForegroundOutput output) {
        this.output = output;
    }

    BridgeClient client() {
        return daemon.client();
    }

    long pid() {
        return daemon.process().pid();
    }

    boolean alive() {
        return daemon != null && daemon.process().isAlive();
    }

    /** SIGTERM or SIGINT reached this process: {@link #supervise} returns 0 at its next turn. */
    void signalled() {
        stopping = true;
    }

    /**
     * Starts the daemon in the foreground, in a home no daemon runs in (one that runs there is left
     * alone), and follows its events.
     */
    void launch(JpmHome home, String orElse, Thread shutdownHook) throws IOException {
        DaemonConnector connector = new DaemonConnector(home);
        String runs = "a jpm daemon already runs for " + home.root()
                + ": stop it (jpm kill), or run in another JPM_HOME" + orElse;
        try (BridgeClient running = connector.connectIfRunning()) {
            if (running != null) {
                throw CliException.usage(runs);
            }
        }
        output.daemonLine("Launching jpm in the foreground (JPM_HOME=" + home.root() + ")", System.currentTimeMillis());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        daemon = connector.startForeground();
        if (daemon == null) {
            throw CliException.usage(runs); // one started between the look and the start lock
        }
        listen(connector);
    }

    /** Subscribes before any app starts (the ping answers once the registrations hold), then prints on a thread. */
    private void listen(DaemonConnector connector) throws IOException {
        BridgeClient events = connector.connectIfRunning();
        if (events == null) {
            throw new CliException(JpmError.UNAVAILABLE, "the daemon stopped answering");
        }
        events.register(List.of(Addresses.EVENTS_PROCESS, Addresses.EVENTS_LOG));
        events.request(Addresses.QUERY_PING, Json.object(), Session.REQUEST_TIMEOUT_MS);
        listener = new Thread(
                () -> {
                    try (events) {
                        events.listen(List.of(), output::event);
                    } catch (IOException | RuntimeException e) {
                        // the daemon is gone: the main thread sees it exit
                    }
                },
                "jpm-runtime-events");
        listener.setDaemon(true);
        listener.start();
    }

    /**
     * Waits on the daemon (the wait ends at once when it exits); with auto-exit, reads the table every
     * second and stops everything after {@link #ABSENCE_POLLS} reads in a row with no app running,
     * ending with {@code noAppLeft}.
     */
    int supervise(boolean autoExit, int noAppLeft) throws IOException {
        int absent = 0;
        while (true) {
            boolean exited;
            try {
                exited = daemon.process().waitFor(ABSENCE_POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (stopping) {
                return 0; // a signal: the shutdown hook stops the daemon and ends the JVM
            }
            if (exited) {
                int code = daemon.process().exitValue();
                output.daemonLine("the jpm daemon exited (code " + code + "): exiting", System.currentTimeMillis());
                return code == 0 ? 0 : 1;
            }
            if (!autoExit) {
                continue;
            }
            Json.Value list;
            try {
                list = daemon.client().request(Addresses.QUERY_LIST, Session.TABLE_QUERY, Session.REQUEST_TIMEOUT_MS);
            } catch (IOException | CliException e) {
                continue; // the next turn sees whether the daemon has gone
            }
            absent = anyRunning(list) ? 0 : absent + 1;
            if (absent >= ABSENCE_POLLS) {
                output.daemonLine(
                        "0 application online: stopping jpm, exit code " + noAppLeft, System.currentTimeMillis());
                return noAppLeft;
            }
        }
    }

    private static boolean anyRunning(Json.Value list) {
        for (ProcessView p : Render.views(list)) {
            ProcessState state = ProcessState.ofWord(p.pm2Env().run().status());
            if (state != null && state.isActive()) { // it runs or is about to
                return true;
            }
        }
        return false;
    }

    /**
     * Passes SIGTERM to the daemon, which stops every app (its kill signal, then SIGKILL), and waits for it to
     * exit; SIGKILL only if it has not after {@link #STOP_WAIT_MS}. Then the last lines are printed.
     */
    synchronized void stop() {
        if (daemon != null && daemon.process().isAlive()) {
            daemon.process().destroy();
            try {
                if (!daemon.process().waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    daemon.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                daemon.process().destroyForcibly();
            }
            if (listener != null) {
                try {
                    listener.join(2000); // its last lines: the apps' stops
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            output.daemonLine("jpm stopped", System.currentTimeMillis());
        }
    }
}
