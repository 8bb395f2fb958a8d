package io.jpm.persist;

import io.jpm.config.AppConfigParser;
import io.jpm.launcher.GroupSignals;
import io.jpm.process.RestartPolicy;
import io.jpm.process.Signal;
import io.jpm.protocol.DumpEntry;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The apps a SIGKILLed daemon left running: each instance leads a process group of its own (a
 * fork-mode one in a session of its own, a cluster-mode one in the daemon's), so it outlives the
 * daemon. Before the next daemon resurrects them, it stops these groups, or every app would run
 * twice. A pid is only trusted when it is still the same process: its /proc start time matches the
 * one the dump recorded, or (from pids/ files, which hold no start time) its environment carries
 * this JPM_HOME. It must lead its own process group. A recycled pid is never signalled.
 * Blocking: call it off the event loop.
 */
final class AdoptionLeftovers {
    private static final Logger LOG = Logger.getLogger("jpm.persist");
    private static final long POLL_MS = 20;

    /**
     * A group to stop, with the app's own way of stopping; {@code inRecord}: the record names it (else
     * only a pid file and its environment do, and nothing restores its app).
     */
    record Group(int pgid, String app, Signal signal, long killTimeoutMs, boolean inRecord) {}

    private final Path home;

    AdoptionLeftovers(Path home) {
        this.home = home;
    }

    /** The live groups of the previous daemon, from the dump's processes and the pid files. */
    List<Group> find(JsonArray dumpApps) {
        return find(dumpApps, Set.of());
    }

    /** As {@link #find(JsonArray)}, leaving out {@code adopted}: runs this daemon took over (their pid files stay). */
    List<Group> find(JsonArray dumpApps, Set<Integer> adopted) {
        Map<Integer, Group> groups = new LinkedHashMap<>();
        for (Object o : dumpApps) {
            DumpEntry entry = DumpEntry.from(Plain.map((JsonObject) o));
            RestartPolicy stopping = null;
            for (DumpEntry.Running p : entry.processes()) {
                if (p.startTicks() > 0
                        && p.startTicks() == ProcIdentity.startTicks(p.pid())
                        && ProcIdentity.leadsItsGroup(p.pid())) {
                    stopping = stopping == null ? stoppingOf(entry) : stopping;
                    groups.put(
                            p.pid(),
                            new Group(p.pid(), entry.name(), stopping.killSignal(), stopping.killTimeoutMs(), true));
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(home.resolve("pids"), "*.pid")) {
            for (Path file : files) {
                int pid = readPid(file);
                if (pid > 1
                        && !groups.containsKey(pid)
                        && !adopted.contains(pid)
                        && ProcIdentity.leadsItsGroup(pid)
                        && ProcIdentity.environmentHas(pid, "JPM_HOME=" + home)) {
                    groups.put(
                            pid,
                            new Group(
                                    pid,
                                    file.getFileName().toString().replaceFirst("\\.pid$", ""),
                                    RestartPolicy.defaults().killSignal(),
                                    RestartPolicy.defaults().killTimeoutMs(),
                                    false));
                }
            }
        } catch (IOException e) {
            LOG.fine(() -> "no pid files: " + e.getMessage());
        }
        return new ArrayList<>(groups.values());
    }

    /** Sends each group its kill signal, waits its kill_timeout, then SIGKILLs what is left. */
    int stop(List<Group> groups) {
        for (Group g : groups) {
            LOG.info(() -> "stopping " + g.app() + " (group " + g.pgid() + ") left by the previous daemon");
            GroupSignals.send(g.pgid(), g.signal());
        }
        for (Group g : groups) {
            long deadline = System.currentTimeMillis() + g.killTimeoutMs();
            while (ProcIdentity.groupAlive(g.pgid()) && System.currentTimeMillis() < deadline) {
                pause();
            }
            if (ProcIdentity.groupAlive(g.pgid())) {
                GroupSignals.send(g.pgid(), Signal.SIGKILL);
            }
        }
        return groups.size();
    }

    /**
     * How the app stops, as the daemon that ran it parsed its options (kill_signal, or its program's
     * default; kill_timeout in any duration form); pm2's defaults when its source no longer parses
     * (its script gone since: the restore refuses it too).
     */
    private static RestartPolicy stoppingOf(DumpEntry entry) {
        try {
            return AppConfigParser.parseDumped(entry).policy();
        } catch (RuntimeException e) {
            LOG.warning(() -> "stopping the leftovers of " + entry.name()
                    + " with the default signal and kill_timeout: " + e.getMessage());
            return RestartPolicy.defaults();
        }
    }

    private static int readPid(Path file) {
        try {
            return Integer.parseInt(
                    Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
