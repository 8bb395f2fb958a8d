package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way a daemon comes up keeps the apps' rules (issue 62): a cron job stopped between its runs
 * (pm2's usual one: {@code cron_restart}, {@code autorestart: false}) fires again under the new
 * daemon, and a watched app is restarted by a change, after a save, kill and resurrect; an adoption
 * after a kill -9 of the daemon; {@code jpm update}; a renewal after a burst; and a boot ({@code jpm
 * resurrect}, as {@code jpm startup}'s unit runs it, once the machine went down with everything on it).
 */
@ExtendWith(JpmExtension.class)
class KeptRulesIT {
    /** Every 2 s (cron's seconds field): two firings in a few seconds. */
    private static final String EVERY_2S = "*/2 * * * * *";
    /** Slack over the cron's period and a daemon's start, for a machine busy with other builds. */
    private static final Duration SLACK = Duration.ofSeconds(40);

    /** The two apps of each test: the cron job ("job") and a watched app ("watched"). */
    private record Apps(Path runs, Path watchedDir, Path watchedStarts) {}

    /** Starts the cron job and the watched app; returns once the job ran and the watch is in place. */
    private static Apps started(Jpm jpm) throws IOException {
        Path runs = jpm.scratch.resolve("job-runs");
        Path job = jpm.write("job.sh", "#!/bin/bash\necho \"$$\" >> '" + runs + "'\n");
        Path dir = Files.createDirectories(jpm.scratch.resolve("watched-dir"));
        Files.deleteIfExists(runs);
        Files.deleteIfExists(jpm.scratch.resolve("starts-watched"));
        Path file = jpm.ecosystem(
                "kept.json",
                Jpm.app("job", job).put("cron_restart", EVERY_2S).put("autorestart", false),
                Jpm.app("watched", Jpm.fixture("idle.sh"))
                        .put("cwd", dir.toString())
                        .put("watch", true)
                        .put("watch_delay", "300ms"));
        int watching = watchLines(jpm);
        jpm.ok("start", file.toString());
        Apps apps = new Apps(runs, dir, jpm.scratch.resolve("starts-watched"));
        awaitLines(apps.runs, 1, "the job's first run");
        awaitWatch(jpm, watching);
        jpm.awaitStatus("watched", "online");
        return apps;
    }

    /**
     * The new daemon keeps both rules: the job (stopped between runs) runs twice more, so at least
     * once by its cron, with no command typed; a change in the watched folder starts a new run.
     */
    private static void rulesKept(Jpm jpm, Apps apps, int watchingBefore) throws IOException {
        int runs = lines(apps.runs);
        awaitLines(apps.runs, runs + 2, "two more runs of the job by its cron under the new daemon");

        awaitWatch(jpm, watchingBefore);
        jpm.awaitStatus("watched", "online");
        int starts = lines(apps.watchedStarts);
        Files.writeString(apps.watchedDir.resolve("config.txt"), "changed");
        awaitLines(apps.watchedStarts, starts + 1, "a run of the watched app after a change");
    }

    @Test
    void aResurrectKeepsThem(Jpm jpm) throws IOException {
        Apps apps = started(jpm);
        jpm.ok("save");
        jpm.ok("kill");
        int watching = watchLines(jpm);
        jpm.ok("resurrect");
        rulesKept(jpm, apps, watching);
    }

    @Test
    void anAdoptionAfterAKillOfTheDaemonKeepsThem(Jpm jpm) throws IOException {
        Apps apps = started(jpm);
        int daemon = jpm.daemonPid();
        int watching = watchLines(jpm);
        Jpm.signal("KILL", daemon);
        Jpm.awaitGone(daemon);
        awaitOtherDaemon(jpm, daemon); // its keeper starts the next one
        rulesKept(jpm, apps, watching);
    }

    @Test
    void anUpdateKeepsThem(Jpm jpm) throws IOException {
        Apps apps = started(jpm);
        int daemon = jpm.daemonPid();
        int watching = watchLines(jpm);
        jpm.ok("update");
        awaitOtherDaemon(jpm, daemon);
        rulesKept(jpm, apps, watching);
    }

    /**
     * The machine went down with the daemon, its keeper and the apps (no ExecStop ran); at boot the
     * unit runs {@code jpm resurrect}, which starts a fresh daemon.
     */
    @Test
    void aResurrectAtBootKeepsThem(Jpm jpm) throws IOException {
        Apps apps = started(jpm);
        jpm.ok("save");
        int daemon = jpm.daemonPid();
        int keeper = Integer.parseInt(
                Files.readString(jpm.home.resolve("keeper.pid")).trim());
        int watched = jpm.pidOf("watched");
        int watching = watchLines(jpm);
        // the keeper first: it would start the killed daemon again
        Jpm.signal("KILL", keeper);
        Jpm.signal("KILL", daemon);
        Jpm.signal("KILL", watched); // idle.sh execs its sleep: the app is this one process
        Jpm.awaitGone(keeper);
        Jpm.awaitGone(daemon);
        Jpm.awaitGone(watched);
        jpm.ok("resurrect");
        rulesKept(jpm, apps, watching);
    }

    /** A renewal after a burst (6 instances down to 1, with RenewalIT's small figures) keeps them. */
    @Test
    void aRenewalAfterABurstKeepsThem() throws IOException {
        try (Jpm jpm = new Jpm()) {
            assertEquals(
                    0,
                    jpm.cli(Map.of("JPM_RENEW_MIN_DROP", "4", "JPM_RENEW_QUIET_MS", "500"), "ping")
                            .exit());
            Apps apps = started(jpm);
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "burst", "-i", "5");
            jpm.awaitStatus("burst", "online");
            int daemon = jpm.daemonPid();
            int watching = watchLines(jpm);
            jpm.ok("delete", "burst");
            awaitOtherDaemon(jpm, daemon);
            rulesKept(jpm, apps, watching);
        }
    }

    /** How many times daemon.log says the watched app's watch was set up (once per daemon). */
    private static int watchLines(Jpm jpm) {
        String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
        return (int) log.lines().filter(l -> l.contains("(watched) watches ")).count();
    }

    private static void awaitWatch(Jpm jpm, int before) {
        Jpm.await("the watch of 'watched' set up again", SLACK, () -> watchLines(jpm) > before ? true : null);
    }

    private static void awaitOtherDaemon(Jpm jpm, int old) {
        Jpm.await("a daemon other than " + old + " answering", SLACK, () -> {
            try {
                int pid = jpm.daemonPid();
                return pid != old && jpm.cli("ping").exit() == 0 ? pid : null;
            } catch (IOException | NumberFormatException e) {
                return null; // between two daemons
            }
        });
    }

    private static int lines(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllLines(file).size() : 0;
    }

    private static void awaitLines(Path file, int count, String what) {
        Jpm.await(what + " (" + file + ": " + count + " lines)", SLACK, () -> {
            try {
                return lines(file) >= count ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
    }
}
