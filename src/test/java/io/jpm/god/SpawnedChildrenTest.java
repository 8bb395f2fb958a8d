package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.launcher.Launchers;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.Signal;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.Generation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spawnedChildren a fresh God takes a hung one's children over from, with real processes: the fence
 * (a superseded God spawns and signals nothing), exits kept until the current God handles them,
 * and the hand-over of owners and exit sinks.
 */
@ExtendWith(VertxExtension.class)
class SpawnedChildrenTest {
    /** Output nobody reads (TakeoverTest too). */
    static final SpawnedChildren.Output NO_OUTPUT = new SpawnedChildren.Output() {
        @Override
        public void onOutput(boolean err, ByteBuffer bytes) {}

        @Override
        public void onOutputEnd(boolean err) {}
    };

    @TempDir
    Path dir;

    private final SpawnedChildren spawnedChildren = new SpawnedChildren(Launchers.forThisSystem());
    private final BlockingQueue<Object[]> exits = new LinkedBlockingQueue<>();
    private final List<Integer> spawned = new ArrayList<>();
    private AppConfig config;

    @BeforeEach
    void app() throws IOException {
        config = appIn(dir);
    }

    /** A fork app "app" in {@code dir} (TakeoverTest too). */
    static AppConfig appIn(Path dir) throws IOException {
        Files.writeString(dir.resolve("app.sh"), "exec sleep 1000\n");
        return new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(new JsonObject().put("script", "app.sh").put("name", "app"), null);
    }

    @AfterEach
    void noneLeft() {
        spawned.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Instance instance(int pmId) {
        return new Instance(
                pmId, 0, config, "/logs/out", "/logs/err", null, "/pids/app-" + pmId + ".pid", "box", e -> {});
    }

    /** Generation {@code generation}'s fence (TakeoverTest too). */
    static Generation godGeneration(Vertx vertx, int generation) {
        return Generation.of(vertx, "god", new JsonObject().put(Generation.GENERATION, generation));
    }

    private SpawnedChildren.ExitSink sink(String name) {
        return (owner, pid, status) -> exits.add(new Object[] {name, owner, pid, status});
    }

    private SpawnedChildren.Held spawn(Generation godGeneration, Instance owner, SpawnedChildren.ExitSink sink)
            throws IOException {
        SpawnedChildren.Held child = spawnedChildren.spawn(
                godGeneration,
                new LaunchSpec(List.of("sleep", "1000"), dir, Map.of("PATH", "/usr/bin:/bin"), true),
                owner,
                0,
                NO_OUTPUT,
                sink);
        spawned.add(child.pid);
        return child;
    }

    private Object[] nextExit() throws InterruptedException {
        Object[] exit = exits.poll(20, TimeUnit.SECONDS);
        assertTrue(exit != null, "an exit within 20 s");
        return exit;
    }

    @Test
    void aSupersededGodSpawnsNothingAndSignalsNothing(Vertx vertx) throws Exception {
        Generation.declare(vertx, "god", 1);
        Generation first = godGeneration(vertx, 1);
        Instance owner = instance(0);
        SpawnedChildren.Held child = spawn(first, owner, sink("first"));
        assertTrue(ProcessHandle.of(child.pid).isPresent());

        Generation.declare(vertx, "god", 2); // a fresh God is on its way
        assertFalse(
                spawnedChildren.signal(first, child.pid, Signal.SIGTERM, true), "the old God's signal reaches nothing");
        assertTrue(ProcessHandle.of(child.pid).map(ProcessHandle::isAlive).orElse(false), "still running");
        IOException late = assertThrows(IOException.class, () -> spawn(first, owner, sink("first")));
        assertTrue(late.getMessage().contains("replaced"), late.getMessage());
        long latePid = Long.parseLong(late.getMessage().replaceAll("^pid (\\d+) .*", "$1"));
        Eventually.until("the late spawn to be killed", Duration.ofSeconds(20), () -> !ProcessHandle.of(latePid)
                .map(ProcessHandle::isAlive)
                .orElse(false));
        assertEquals(1, spawnedChildren.size(), "only the first child is held");

        Generation second = godGeneration(vertx, 2);
        assertTrue(spawnedChildren.signal(second, child.pid, Signal.SIGTERM, true), "the fresh God's signal goes out");
        Object[] exit = nextExit();
        assertEquals(child.pid, exit[2]);
        assertEquals(ExitStatus.killedBy(Signal.SIGTERM), exit[3]);
    }

    @Test
    void aTakeoverRepointsChildrenKeepsUnseenExitsAndFindsOrphans(Vertx vertx) throws Exception {
        Generation.declare(vertx, "god", 1);
        Generation first = godGeneration(vertx, 1);
        Instance running = instance(0);
        Instance exited = instance(1);
        Instance deleted = instance(2);
        SpawnedChildren.Held runningChild = spawn(first, running, sink("first"));
        SpawnedChildren.Held exitedChild = spawn(first, exited, sink("first"));
        SpawnedChildren.Held deletedChild = spawn(first, deleted, sink("first"));

        // the hung God never handles this exit (its sink only queues it)
        ProcessHandle.of(exitedChild.pid).ifPresent(ProcessHandle::destroyForcibly);
        assertSame(exited, nextExit()[1]);

        Generation.declare(vertx, "god", 2);
        Generation second = godGeneration(vertx, 2);
        Map<Instance, Instance> copies = new IdentityHashMap<>();
        Instance runningCopy = instance(0);
        Instance exitedCopy = instance(1);
        copies.put(running, runningCopy);
        copies.put(exited, exitedCopy);
        SpawnedChildren.Handover handover = spawnedChildren.takeOver(copies, sink("second"));

        assertEquals(
                List.of(deletedChild.pid),
                handover.orphans().stream().map(h -> h.pid).toList(),
                "its instance is gone");
        assertEquals(
                List.of(runningChild.pid),
                handover.byOwner().get(runningCopy).stream().map(h -> h.pid).toList());
        assertNull(spawnedChildren.statusOf(handover.byOwner().get(runningCopy).get(0)), "still running");
        SpawnedChildren.Held unseen = handover.byOwner().get(exitedCopy).get(0);
        assertEquals(
                ExitStatus.killedBy(Signal.SIGKILL),
                spawnedChildren.statusOf(unseen),
                "the exit the hung God missed is kept");
        spawnedChildren.kill(handover.orphans().get(0));
        assertEquals("first", nextExit()[0], "an orphan's exit goes to nobody who acts on it");

        // the fresh God handles the missed exit; the old one could not have buried it
        spawnedChildren.bury(first, unseen.pid);
        assertEquals(2, spawnedChildren.size());
        spawnedChildren.bury(second, unseen.pid);
        assertEquals(1, spawnedChildren.size());

        // the running child's exit now reaches the fresh God, for its copy
        ProcessHandle.of(runningChild.pid).ifPresent(ProcessHandle::destroyForcibly);
        Object[] exit = nextExit();
        assertEquals("second", exit[0]);
        assertSame(runningCopy, exit[1]);
    }
}
