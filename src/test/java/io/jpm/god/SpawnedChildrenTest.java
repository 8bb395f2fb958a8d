package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.launcher.Launchers;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.Signal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The children God has spawned, with real processes: a signal reaches the child, its exit goes to
 * its owner's sink, and the child is held until God has handled that exit (buried it).
 */
class SpawnedChildrenTest {
    /** Output nobody reads. */
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
        Files.writeString(dir.resolve("app.sh"), "exec sleep 1000\n");
        config = new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
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

    private SpawnedChildren.Held spawn(Instance owner) throws IOException {
        SpawnedChildren.Held child = spawnedChildren.spawn(
                new LaunchSpec(List.of("sleep", "1000"), dir, Map.of("PATH", "/usr/bin:/bin"), true),
                owner,
                0,
                NO_OUTPUT,
                (o, pid, status) -> exits.add(new Object[] {o, pid, status}));
        spawned.add(child.pid);
        return child;
    }

    private Object[] nextExit() throws InterruptedException {
        Object[] exit = exits.poll(20, TimeUnit.SECONDS);
        assertTrue(exit != null, "an exit within 20 s");
        return exit;
    }

    @Test
    void aChildIsHeldUntilGodHasHandledItsExit() throws Exception {
        Instance first = instance(0);
        Instance second = instance(1);
        SpawnedChildren.Held one = spawn(first);
        SpawnedChildren.Held two = spawn(second);
        assertEquals(2, spawnedChildren.size());

        assertTrue(spawnedChildren.signal(one.pid, Signal.SIGTERM, true), "the signal goes out");
        Object[] exit = nextExit();
        assertSame(first, exit[0], "to the owner's sink");
        assertEquals(one.pid, exit[1]);
        assertEquals(ExitStatus.killedBy(Signal.SIGTERM), exit[2]);
        assertEquals(2, spawnedChildren.size(), "held until God has handled the exit");

        spawnedChildren.bury(two.pid); // still running: not buried
        spawnedChildren.bury(one.pid);
        assertEquals(1, spawnedChildren.size());
    }
}
