package io.jpm.daemon;

import io.jpm.keeper.KeeperScript;
import io.jpm.launcher.SelfExec;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A daemon whose keeper died becomes the keeper (docs/ARCHITECTURE.md, "The keeper"). No process
 * started now can be the apps' parent or an ancestor of this daemon, so a new keeper beside it would
 * not see the apps fall to it at the next crash; this process is their parent, and it holds every
 * descriptor the keeper held. So it writes the handover (every instance, as for {@code jpm update}),
 * then runs the keeper's script in its own place (execve: same pid, its children stay its children,
 * the held descriptors stay open, the JVM's others close), and that keeper starts a new daemon, which
 * adopts every app as after a crash. jpm.pid goes aside first (DaemonFiles.becomingKeeper): it names
 * a daemon, never a keeper, which a monitor signalling jpm.pid would kill. Until then the apps are unprotected, and {@code jpm ls} and
 * {@code jpm ping} say so.
 */
final class KeeperReplacement {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** Beyond any handover's write: a thousand instances take well under a second. */
    private static final long HANDOVER_WAIT_MS = 30_000;
    /** persist.DumpFile's handover, in JPM_HOME. */
    private static final String HANDOVER = "handover.json";

    private final JpmHome home;
    private final Vertx vertx;
    private final DaemonKeeper keeper;
    private final SupervisionNotes notes;
    private final DaemonFiles files;
    /** The daemon's own flag: set, it is stopping or leaving, and nothing else may. */
    private final AtomicBoolean stopping;

    KeeperReplacement(
            JpmHome home,
            Vertx vertx,
            DaemonKeeper keeper,
            SupervisionNotes notes,
            DaemonFiles files,
            AtomicBoolean stopping) {
        this.home = home;
        this.files = files;
        this.vertx = vertx;
        this.keeper = keeper;
        this.notes = notes;
        this.stopping = stopping;
    }

    /** Called on the thread that read the end of the keeper's line: the work goes to a thread of its own. */
    void keeperDied() {
        if (stopping.get()) {
            return; // the keeper was stopped with the daemon (SIGTERM to both, a session's end)
        }
        new Thread(this::replace, "jpm-keeper-replacement").start();
    }

    private void replace() {
        long dead = keeper.pid();
        notes.unprotected("the keeper (pid " + dead + ") died: the apps do not outlive this daemon until a new"
                + " keeper runs (this process becomes it, and a new daemon adopts them)");
        Optional<List<String>> command;
        try {
            command = KeeperScript.wrap(home, ownCommand());
        } catch (IOException | RuntimeException e) {
            command = Optional.empty();
            LOG.warning("cannot write the keeper's script: " + e.getMessage());
        }
        if (command.isEmpty()) {
            notes.unprotected("the keeper (pid " + dead + ") died and none can run now (no perl on PATH, or"
                    + " JPM_KEEPER=0): the apps do not outlive this daemon");
            return;
        }
        writeHandover();
        if (!stopping.compareAndSet(false, true)) {
            removeHandover();
            return;
        }
        LOG.warning("the keeper (pid " + dead + ") died: this process becomes the keeper (pid "
                + ProcessHandle.current().pid() + "), which starts a new daemon that adopts every app");
        List<String> keeperCommand = command.get();
        files.becomingKeeper();
        IOException failed = keeper.withHeld(words -> {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove(JpmEnv.KEEPER_FD.variable);
            env.remove(JpmEnv.KEEPER_PID.variable);
            env.put(JpmEnv.KEEPER_HELD.variable, words);
            env.put(JpmEnv.KEEPER_UPDATED.variable, "1"); // its daemons have answered before: a death is a crash
            return SelfExec.replaceThisProcess(keeperCommand, env, descriptors(words));
        });
        stopping.set(false);
        files.stillTheDaemon(ProcessHandle.current().pid());
        removeHandover();
        notes.unprotected("the keeper (pid " + dead + ") died and this daemon could not become it ("
                + failed.getMessage() + "): the apps do not outlive this daemon");
    }

    private void writeHandover() {
        try {
            vertx.eventBus()
                    .request(
                            Addresses.INTERNAL_PERSIST_HANDOVER,
                            new JsonObject(),
                            new DeliveryOptions().setSendTimeout(HANDOVER_WAIT_MS))
                    .await(HANDOVER_WAIT_MS + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the next daemon adopts from this one's record (state.json) instead, as after a crash
            LOG.warning("no handover for the next daemon (" + e.getMessage() + "): it adopts from state.json");
        }
    }

    private void removeHandover() {
        try {
            Files.deleteIfExists(home.root().resolve(HANDOVER));
        } catch (IOException e) {
            LOG.warning("cannot remove " + HANDOVER + ": " + e.getMessage());
        }
    }

    /** The descriptor numbers of {@code key=fd key=fd ...}. */
    private static List<Integer> descriptors(String words) {
        List<Integer> fds = new ArrayList<>();
        for (String word : words.split(" ")) {
            int at = word.lastIndexOf('=');
            if (at > 0) {
                fds.add(Integer.parseInt(word.substring(at + 1)));
            }
        }
        return fds;
    }

    /** This daemon's own command line, which the new keeper runs for the next daemon. */
    private static List<String> ownCommand() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        String text = new String(bytes, StandardCharsets.UTF_8);
        return Arrays.asList(text.split("\0"));
    }
}
