package io.jpm.god;

import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.ProcessState;
import io.jpm.verticle.Generation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * How a fresh God takes over from a hung one, on the fresh God's thread. The hung God's table was
 * copied ({@link ProcessTable#copyOf}); its copies may be a step behind (the hung thread may have
 * stopped halfway through a change), so what each copy becomes is settled against what the
 * {@link SpawnedChildren} knows for sure: which of its children still run and which exited unseen.
 *
 * <ul>
 *   <li>A child still runs: the instance is online with that pid (its stop resumed if it was
 *       stopping, the restart after it too); a balanced one stays in the balancer's rotation.
 *   <li>Its child exited and the hung God never saw it: the exit goes through the restart policy
 *       now, as if it had just happened.
 *   <li>No child, but it was meant to run (launching: the spawn was killed by the fence; online:
 *       its exit was handled by nobody): it is started again.
 *   <li>Waiting for a restart: the restart is scheduled again. Stopped and errored stay so.
 *   <li>A reload's old run is stopped (the reload itself died with the hung God); a child no
 *       copied instance owns (its instance was deleted meanwhile) is killed: no orphan.
 * </ul>
 * Timers, waiters and replies of the hung God stay with it; its commands in flight are lost (their
 * senders time out) and the fence keeps anything it still does from reaching the outside.
 */
final class Takeover {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final SpawnedChildren spawnedChildren;
    private final Generation godGeneration;
    private final Supervisor supervisor;
    private final ProcessTable table;
    private final String why;
    private int adopted;
    private int restarted;
    private int exitsUnseen;

    private Takeover(
            SpawnedChildren spawnedChildren, Generation godGeneration, Supervisor supervisor, ProcessTable table) {
        this.spawnedChildren = spawnedChildren;
        this.godGeneration = godGeneration;
        this.supervisor = supervisor;
        this.table = table;
        this.why = "taken over by a fresh God (generation " + godGeneration.generation() + ")";
    }

    /** Settles every copied instance ({@code copies}: old to new, already in {@code table}). */
    static void run(
            SpawnedChildren spawnedChildren,
            Generation godGeneration,
            Supervisor supervisor,
            ProcessTable table,
            Map<Instance, Instance> copies) {
        Takeover takeover = new Takeover(spawnedChildren, godGeneration, supervisor, table);
        SpawnedChildren.Handover handover = spawnedChildren.takeOver(copies, supervisor.exitSink());
        for (SpawnedChildren.Held orphan : handover.orphans()) {
            LOG.warning(() -> "pid " + orphan.pid + " belongs to no instance any more: killed");
            spawnedChildren.kill(orphan);
        }
        for (Instance fresh : copies.values()) {
            takeover.settle(fresh, handover.byOwner().getOrDefault(fresh, List.of()));
        }
        LOG.warning(() -> "god redeployed (generation " + godGeneration.generation() + "): took over " + copies.size()
                + " instance(s), " + takeover.adopted + " running child(ren) adopted, " + takeover.exitsUnseen
                + " exit(s) it missed handled, " + takeover.restarted + " started again, "
                + handover.orphans().size() + " orphan(s) killed");
    }

    private void settle(Instance fresh, List<SpawnedChildren.Held> children) {
        SpawnedChildren.Held live = null;
        SpawnedChildren.Held unseenExit = null;
        ExitStatus unseenStatus = null;
        List<SpawnedChildren.Held> strays = new ArrayList<>();
        for (SpawnedChildren.Held child : children) {
            ExitStatus status = spawnedChildren.statusOf(child);
            if (status != null) {
                if (Objects.equals(fresh.pid(), child.pid) && fresh.state().hasProcess()) {
                    unseenExit = child;
                    unseenStatus = status;
                } else {
                    spawnedChildren.bury(godGeneration, child.pid); // an exit the hung God had already handled
                }
            } else if (live == null) {
                live = child;
            } else if (Objects.equals(fresh.pid(), child.pid)
                    || (!Objects.equals(fresh.pid(), live.pid) && child.seq > live.seq)) {
                strays.add(live);
                live = child;
            } else {
                strays.add(child);
            }
        }
        for (SpawnedChildren.Held stray : strays) {
            LOG.warning(() ->
                    "pm_id " + fresh.pmId + " (" + fresh.name() + "): pid " + stray.pid + " is a second run: killed");
            spawnedChildren.kill(stray);
        }
        if (fresh.oldRun()) {
            settleOldRun(fresh, live);
        } else if (live != null) {
            adopt(fresh, live);
        } else if (unseenExit != null) {
            if (fresh.state() == ProcessState.LAUNCHING) {
                fresh.takenOverAs(ProcessState.ONLINE); // it did run: the exit comes from there
            }
            exitsUnseen++;
            fresh.announce(why + ": pid " + unseenExit.pid + " exited meanwhile");
            supervisor.onExit(fresh, unseenExit.pid, unseenStatus);
        } else {
            settleWithoutChild(fresh);
        }
    }

    /** A reload's old run: the reload died with the hung God; the run is stopped, or dropped if gone. */
    private void settleOldRun(Instance fresh, SpawnedChildren.Held live) {
        if (live == null) {
            table.dropOldRun(fresh);
            return;
        }
        fresh.run().adoptPid(live.pid);
        fresh.takenOverAs(ProcessState.STOPPING);
        fresh.announce(why + ": the reload it was part of is over, stopping it");
        supervisor.resumeStop(fresh).onComplete(v -> table.dropOldRun(fresh));
    }

    private void adopt(Instance fresh, SpawnedChildren.Held live) {
        adopted++;
        if (!Objects.equals(fresh.pid(), live.pid)) {
            // spawned after the hung God's last word on it
            fresh.run().spawned(live.pid, live.port, live.startedAt, fresh.channel());
        }
        if (fresh.state() == ProcessState.STOPPING) {
            fresh.announce(why + ": stopping pid " + live.pid + " again");
            boolean restart = fresh.restartPending();
            supervisor.resumeStop(fresh).onSuccess(v -> {
                if (restart) {
                    fresh.counters().countRestart();
                    supervisor.start(fresh, "restart asked");
                }
            });
            return;
        }
        // a child that runs is kept running, whatever step behind the copy's state is; a balanced one
        // is not joined again: the balancer keeps its rotation by pid (or, redeployed too, rebuilds it
        // from this God), and finishes a join the hung God asked for on its own
        fresh.takenOverAs(ProcessState.ONLINE);
        fresh.restartPending(false);
        fresh.announce(why + ": pid " + live.pid + " adopted");
    }

    private void settleWithoutChild(Instance fresh) {
        ProcessState was = fresh.state();
        switch (was) {
            case LAUNCHING, ONLINE -> {
                restarted++;
                if (was == ProcessState.ONLINE) {
                    fresh.counters().countRestart(); // its exit went unseen: a restart like any other
                }
                fresh.run().vanished();
                fresh.takenOverAs(ProcessState.LAUNCHING);
                fresh.announce(why + ": no process left, starting it");
                supervisor.launch(fresh);
            }
            case STOPPING -> {
                fresh.run().vanished();
                fresh.takenOverAs(ProcessState.STOPPED);
                fresh.announce(why + ": stopped");
                if (fresh.restartPending()) {
                    restarted++;
                    fresh.counters().countRestart();
                    supervisor.start(fresh, "restart asked");
                }
            }
            case WAITING_RESTART -> {
                fresh.announce(why + ": restart scheduled again");
                supervisor.resumeWaitingRestart(fresh, "a restart wait taken over");
            }
            default -> fresh.announce(why);
        }
    }
}
