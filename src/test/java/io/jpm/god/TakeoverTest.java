package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AppConfig;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessState;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessEvent;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher;
import io.jpm.verticle.Generation;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh God makes of each instance a hung God left, in every state the hung one can leave it
 * in, against a fake launcher whose children exit when signalled. (The whole path with real
 * processes and a real stall: VerticleWatchdogIT.)
 */
@ExtendWith(VertxExtension.class)
class TakeoverTest {
    @TempDir
    Path dir;

    private final FakeLauncher launcher = new FakeLauncher();
    private final SpawnedChildren spawnedChildren = new SpawnedChildren(launcher);
    private final List<ProcessEvent> events = new CopyOnWriteArrayList<>();
    private AppConfig config;

    @BeforeEach
    void app() throws IOException {
        config = SpawnedChildrenTest.appIn(dir);
    }

    private Instance instance(int pmId) {
        return new Instance(
                pmId, 0, config, "/logs/out", "/logs/err", null, "/pids/app-" + pmId + ".pid", "box", events::add);
    }

    /** An instance of the hung God, moved along allowed edges. */
    private Instance left(int pmId, ProcessState... path) {
        Instance i = instance(pmId);
        for (ProcessState s : path) {
            i.transitionTo(s, "test");
        }
        return i;
    }

    /** An instance in the hung God's table, moved along allowed edges. */
    private Instance left(ProcessTable table, ProcessState... path) {
        Instance i = left(table.allocateId(), path);
        table.add(i);
        return i;
    }

    /** A child the hung God spawned for {@code owner}; its exits go to a God that never looks. */
    private SpawnedChildren.Held child(Generation godGeneration, Instance owner) throws IOException {
        return spawnedChildren.spawn(
                godGeneration,
                new LaunchSpec(List.of("app"), dir, Map.of(), true),
                owner,
                0,
                SpawnedChildrenTest.NO_OUTPUT,
                (o, pid, s) -> {});
    }

    /** Runs {@code action} on the fresh God's context and waits for it. */
    private static <T> T on(Context context, Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyStateTheHungGodCanLeaveIsSettled(Vertx vertx) throws Exception {
        Generation.declare(vertx, "god", 1);
        Generation hung = SpawnedChildrenTest.godGeneration(vertx, 1);
        ProcessTable old = new ProcessTable();
        // online, its child running
        Instance online = left(old, ProcessState.LAUNCHING, ProcessState.ONLINE);
        online.run().spawned(child(hung, online).pid, 0, System.currentTimeMillis(), null);
        // online, its child exited and the hung God never saw it
        Instance crashed = left(old, ProcessState.LAUNCHING, ProcessState.ONLINE);
        crashed.run().spawned(child(hung, crashed).pid, 0, System.currentTimeMillis(), null);
        launcher.exit(crashed.pid(), 3);
        // launching: the spawn registered its child, the hung God never recorded the pid
        Instance spawned = left(old, ProcessState.LAUNCHING);
        int spawnedPid = child(hung, spawned).pid;
        // launching: no child at all (the spawn had not got that far)
        Instance unspawned = left(old, ProcessState.LAUNCHING);
        // a restart under way: stopping, its child still running
        Instance restarting = left(old, ProcessState.LAUNCHING, ProcessState.ONLINE, ProcessState.STOPPING);
        restarting.run().spawned(child(hung, restarting).pid, 0, System.currentTimeMillis(), null);
        restarting.restartPending(true);
        // waiting for its restart delay
        Instance waiting = left(old, ProcessState.LAUNCHING, ProcessState.ONLINE, ProcessState.WAITING_RESTART);
        // stopped by the user
        Instance stopped =
                left(old, ProcessState.LAUNCHING, ProcessState.ONLINE, ProcessState.STOPPING, ProcessState.STOPPED);
        // a reload's old run, still serving, its pm_id already given to a new run
        Instance replaced = left(old, ProcessState.LAUNCHING, ProcessState.ONLINE);
        replaced.run().spawned(child(hung, replaced).pid, 0, System.currentTimeMillis(), null);
        Instance newRun = left(replaced.pmId, ProcessState.LAUNCHING, ProcessState.ONLINE);
        newRun.run().spawned(child(hung, newRun).pid, 0, System.currentTimeMillis(), null);
        old.replaceRun(replaced, newRun);
        // a child whose instance the hung God already deleted
        int orphan = child(hung, instance(99)).pid;

        Generation.declare(vertx, "god", 2);
        Generation fresh = SpawnedChildrenTest.godGeneration(vertx, 2);
        Context context = vertx.getOrCreateContext();
        Map<Instance, Instance> copies = new IdentityHashMap<>();
        ProcessTable table = ProcessTable.copyOf(old, i -> Instance.copyOf(i, events::add), copies);
        Supervisor supervisor = on(
                context,
                () -> new Supervisor(
                        vertx,
                        context,
                        spawnedChildren,
                        fresh,
                        dir,
                        new BalancerLink(vertx, fresh::current),
                        new Readiness(vertx, context, (node, pipe, listener) -> {
                            throw new IOException("no app uses wait_ready here");
                        }),
                        new SocketShare(vertx, new SharedSockets(), table::all)));
        on(context, () -> {
            Takeover.run(spawnedChildren, fresh, supervisor, table, copies);
            return null;
        });

        Instance c = copies.get(online);
        assertEquals(ProcessState.ONLINE, c.state());
        assertEquals(online.pid(), c.pid(), "adopted with its pid");
        assertEquals(0, c.restarts());

        Instance cc = copies.get(crashed);
        Eventually.until(
                "the missed exit restarted",
                () -> cc.state() == ProcessState.ONLINE
                        && cc.pid() != null
                        && !cc.pid().equals(crashed.pid()));
        assertEquals(1, cc.restarts());
        assertEquals(3, cc.exitCode(), "its exit code, as the restart policy saw it");

        Instance cs = copies.get(spawned);
        assertEquals(ProcessState.ONLINE, cs.state());
        assertEquals(spawnedPid, cs.pid(), "the child its spawn registered");

        Instance cu = copies.get(unspawned);
        Eventually.until("the unspawned one started", () -> cu.state() == ProcessState.ONLINE && cu.pid() != null);

        Instance cr = copies.get(restarting);
        Eventually.until(
                "the restart finished",
                () -> cr.state() == ProcessState.ONLINE
                        && cr.pid() != null
                        && !cr.pid().equals(restarting.pid()));
        assertTrue(
                launcher.signalsTo(restarting.pid()).contains(config.policy().killSignal()),
                launcher.signals().toString());
        assertEquals(1, cr.restarts());

        Instance cw = copies.get(waiting);
        Eventually.until("the waiting one restarted", () -> cw.state() == ProcessState.ONLINE && cw.pid() != null);

        assertEquals(ProcessState.STOPPED, copies.get(stopped).state());

        Instance cn = copies.get(newRun);
        assertEquals(ProcessState.ONLINE, cn.state());
        assertEquals(newRun.pid(), cn.pid(), "the reload's new run keeps serving");
        Eventually.until(
                "the reload's old run stopped and gone",
                () -> on0(context, () -> table.oldRuns().isEmpty()));
        assertFalse(launcher.alive().contains(replaced.pid()));

        assertTrue(launcher.signalsTo(orphan).contains(Signal.SIGKILL), "the orphan is killed: " + launcher.signals());
        assertEquals(on(context, () -> table.all().size()), 8);
        // every live child is one a listed instance runs: nothing else is left
        List<Integer> listed = on(context, () -> table.all().stream()
                .map(i -> i.pid())
                .filter(Objects::nonNull)
                .toList());
        assertEquals(new TreeSet<>(listed), new TreeSet<>(launcher.alive()));
        assertNotEquals(
                0,
                events.stream()
                        .filter(e -> e.reason().startsWith("taken over by a fresh God (generation 2)"))
                        .count());
    }

    private static boolean on0(Context context, Callable<Boolean> probe) {
        try {
            return on(context, probe);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
