package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.process.Signal;
import io.jpm.protocol.DumpEntry;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the leftovers of a SIGKILLed daemon (the runs not adopted) are stopped: with the options as the daemon parsed them
 * from the dump, not a second reading of the raw source. The leftover is a real process leading a
 * group of its own, as an instance does; nothing is signalled here.
 */
class AdoptionLeftoversTest {
    private static final Path IDLE =
            Path.of("src/test/resources/fixtures/idle.sh").toAbsolutePath();

    @TempDir
    Path home;

    private Process leftover;

    @AfterEach
    void stopTheLeftover() {
        if (leftover != null) {
            leftover.destroyForcibly();
        }
    }

    /** The bug: {@code "kill_timeout": "10s"} was read as no number at all, so the leftover got SIGKILL after 1.6 s. */
    @Test
    void aDurationKillTimeoutAndANamedKillSignalAreHonouredForALeftover() throws Exception {
        JsonObject source = new JsonObject()
                .put("script", IDLE.toString())
                .put("cwd", home.toString())
                .put("kill_timeout", "10s")
                .put("kill_signal", "TERM");

        AdoptionLeftovers.Group group = theOnlyGroup(source);

        assertEquals(10_000, group.killTimeoutMs());
        assertEquals(Signal.SIGTERM, group.signal());
    }

    @Test
    void aLeftoverWithoutAKillSignalGetsItsProgramsDefault() throws Exception {
        Path gunicorn = home.resolve("gunicorn"); // its graceful stop is SIGTERM (config.Program)
        Files.writeString(gunicorn, "#!/bin/sh\nexec sleep 100000\n");
        Files.setPosixFilePermissions(gunicorn, PosixFilePermissions.fromString("rwx------"));
        JsonObject source = new JsonObject().put("script", gunicorn.toString()).put("cwd", home.toString());

        AdoptionLeftovers.Group group = theOnlyGroup(source);

        assertEquals(Signal.SIGTERM, group.signal());
        assertEquals(1600, group.killTimeoutMs());
    }

    /** The groups found for one dumped app whose one instance is a live group leader. */
    private AdoptionLeftovers.Group theOnlyGroup(JsonObject source) throws Exception {
        int pid = groupLeader();
        DumpEntry entry = DumpEntry.builder()
                .name("api")
                .source(Plain.map(source))
                .env(System.getenv())
                .processes(List.of(new DumpEntry.Running(0, pid, ProcIdentity.startTicks(pid))))
                .build();
        List<AdoptionLeftovers.Group> groups =
                new AdoptionLeftovers(home).find(new JsonArray().add(Plain.json(entry.toMap())));
        assertEquals(1, groups.size(), groups.toString());
        assertEquals(pid, groups.get(0).pgid());
        return groups.get(0);
    }

    /** A process that leads a process group of its own (setsid execs sleep once it has one). */
    private int groupLeader() throws IOException, InterruptedException {
        leftover = new ProcessBuilder("setsid", "sleep", "100000").start();
        int pid = (int) leftover.pid();
        Eventually.until("setsid to give pid " + pid + " a group of its own", () -> ProcIdentity.leadsItsGroup(pid));
        return pid;
    }
}
