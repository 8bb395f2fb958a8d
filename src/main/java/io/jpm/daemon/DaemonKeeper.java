package io.jpm.daemon;

import io.jpm.heldport.HeldPorts;
import io.jpm.keeper.KeeperLine;
import io.jpm.keeper.KeeperScript;
import io.jpm.launcher.Launchers;
import io.jpm.launcher.PumpPool;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmEnv;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * This daemon's keeper, when a keeper started it (docs/ARCHITECTURE.md, "The keeper"): its
 * inventory read at start and answered on the bus (persistence adopts the runs it holds pipes
 * for), each exit it reports published, the launcher's pipe ends held with it, ready and bye told.
 * Without one (no perl, JPM_KEEPER=0, a foreground daemon) it keeps nothing, and the start says so
 * in one line.
 */
final class DaemonKeeper implements DescriptorKeeper {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    /** The keys of socket mode's listening sockets (god.SharedSockets). */
    private static final String LISTEN = "listen:";
    /** The keys of the balancer's public ports (heldport.HeldPorts). */
    private static final String PUBLIC = HeldPorts.KEY_PREFIX;
    /** The keys of Node runs' IPC pipes (god.SharedSockets), adopted with their runs. */
    private static final String IPC = "ipc:";

    private final Optional<KeeperLine> line;
    private final KeeperLine.Inventory inventory;
    private final Map<String, Integer> sockets;
    /**
     * What the keeper holds, by key, as this daemon's own descriptor numbers: what it handed over and
     * this daemon still uses, and what this daemon asked it to hold since. Should the keeper die, this
     * process becomes the keeper with these left open ({@link #withHeld}). Guarded by itself.
     */
    private final Map<String, Integer> held = new LinkedHashMap<>();
    /** Where the exits the keeper reaps go, once the bus is there (set by the inventory's consumer). */
    private volatile Consumer<KeeperLine.Exit> exitsTo;
    /** Why this daemon has no keeper (see {@link #whyNone()}). */
    private String whyNone;
    /** No keeper for want of perl (Alpine, distroless): not a choice, so {@code jpm ls} says it too. */
    private boolean noPerl;

    private static final String NO_PERL = "no keeper (no perl on PATH)";
    /** What runs when the keeper's line ends while this daemon runs: the keeper died. */
    private volatile Runnable whenGone = () -> {};

    private DaemonKeeper(Optional<KeeperLine> line, KeeperLine.Inventory inventory, Map<String, Integer> sockets) {
        this.line = line;
        this.inventory = inventory;
        this.sockets = sockets;
        held.putAll(inventory.held());
        held.putAll(sockets);
    }

    static DaemonKeeper connect(boolean foreground) {
        KeeperLine.Inventory none = new KeeperLine.Inventory(0, false, false, Map.of(), List.of());
        Optional<KeeperLine> line;
        try {
            line = foreground ? Optional.empty() : KeeperLine.fromEnvironment();
        } catch (IOException e) {
            LOG.warning("cannot open the line to the keeper: " + e.getMessage());
            line = Optional.empty();
        }
        if (line.isEmpty()) {
            String why = foreground
                    ? "in the foreground: the apps stop with this daemon"
                    : withoutKeeper(System.getenv()) + ": if this daemon dies, nothing starts it again, and the"
                            + " next one starts its apps again";
            LOG.info(why);
            DaemonKeeper keeper = new DaemonKeeper(line, none, Map.of());
            keeper.whyNone = why;
            keeper.noPerl = !foreground && why.startsWith(NO_PERL);
            return keeper;
        }
        try {
            StartTimeline.mark("keeper's line opened");
            KeeperLine.Inventory handedOver = line.get().readInventory();
            StartTimeline.mark("keeper's inventory received");
            KeeperLine.Inventory inventory = onlyPipes(handedOver);
            Map<String, Integer> sockets = new LinkedHashMap<>();
            handedOver.held().forEach((key, fd) -> {
                if ((key.startsWith(LISTEN) || key.startsWith(PUBLIC)) && isA(fd, "socket:")) {
                    sockets.put(key, fd);
                }
            });
            LOG.info("keeper " + inventory.keeperPid()
                    + (inventory.subreaper()
                            ? ": it starts this daemon again if it dies, and its apps fall to it"
                            : ": it starts this daemon again if it dies (not a subreaper here: its apps fall to init)")
                    + "; " + inventory.held().size() + " pipe(s) and " + sockets.size()
                    + " listening socket(s) handed over, "
                    + inventory.exits().size() + " exit(s) while no daemon ran");
            return new DaemonKeeper(line, inventory, sockets);
        } catch (IOException | RuntimeException e) {
            LOG.warning("the keeper's inventory could not be read: " + e.getMessage());
            DaemonKeeper keeper = new DaemonKeeper(Optional.empty(), none, Map.of());
            keeper.whyNone = "the keeper's inventory could not be read: " + e.getMessage();
            return keeper;
        }
    }

    /**
     * The inventory with only the descriptors that are pipes here (or output journals): a number that is not (the keeper
     * could not pass it) is never read or closed as an app's pipe, since it may be one of the JVM's own.
     * A Node run's IPC pipe ({@code ipc:} keys) must be a socket, and is adopted with its run; listening
     * sockets ({@code listen:} keys) are set aside for socket mode ({@link #listeningSockets}).
     */
    private static KeeperLine.Inventory onlyPipes(KeeperLine.Inventory inventory) {
        Map<String, Integer> pipes = new LinkedHashMap<>();
        inventory.held().forEach((key, fd) -> {
            // a Node run's IPC pipe is a socket pair's end (its key says so); the others are pipes
            boolean listening = key.startsWith(LISTEN) || key.startsWith(PUBLIC);
            boolean socket = listening || key.startsWith(IPC);
            // a journal is a memory file the launcher made (launcher.OutputJournal), named after its key
            boolean journal = isA(fd, "/memfd:jpm-" + key + " ");
            if (!listening && (journal || isA(fd, socket ? "socket:" : "pipe:"))) {
                pipes.put(key, fd);
            } else if (!socket || !isA(fd, "socket:")) {
                LOG.warning("the keeper handed over " + key + " as descriptor " + fd + ", which is no "
                        + (socket ? "socket" : "pipe") + " here: left alone");
            }
        });
        return new KeeperLine.Inventory(
                inventory.keeperPid(), inventory.subreaper(), inventory.startsNext(), pipes, inventory.exits());
    }

    private static boolean isA(int fd, String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd))
                    .toString()
                    .startsWith(kind);
        } catch (IOException e) {
            return false; // not open here
        }
    }

    /** The listening sockets of socket mode the keeper handed over, by key ({@code listen:<address>|<port>}). */
    Map<String, Integer> listeningSockets() {
        return socketsFor(LISTEN);
    }

    /** The balancer's public ports the keeper handed over, by key ({@code public:<host>|<port>}). */
    Map<String, Integer> publicSockets() {
        return socketsFor(PUBLIC);
    }

    private Map<String, Integer> socketsFor(String prefix) {
        Map<String, Integer> some = new LinkedHashMap<>();
        sockets.forEach((key, fd) -> {
            if (key.startsWith(prefix)) {
                some.put(key, fd);
            }
        });
        return some;
    }

    /** Answers the inventory on the bus and publishes the keeper's exits from now on. */
    void onBus(Vertx vertx) {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_KEEPER_INVENTORY, m -> {
            JsonArray release = m.body().getJsonArray("release");
            if (release != null) {
                release.forEach(key -> {
                    release(key.toString());
                    Integer fd = inventory.held().get(key.toString());
                    if (fd != null) {
                        Launchers.closeInherited(fd);
                    }
                });
                m.reply(new JsonObject());
                return;
            }
            JsonArray exits = new JsonArray();
            inventory.exits().forEach(e -> exits.add(exit(e)));
            m.reply(new JsonObject()
                    .put("keeper", line.isPresent() ? inventory.keeperPid() : 0)
                    .put("subreaper", line.isPresent() && inventory.subreaper())
                    .put("held", new JsonObject(Map.copyOf(inventory.held())))
                    .put("exits", exits));
        });
        exitsTo = e -> vertx.eventBus().publish(Addresses.INTERNAL_KEEPER_EXIT, exit(e), LocalBus.only());
    }

    /**
     * Hands the exits the keeper reaps from now on to God, until the keeper's line ends (exits reaped
     * meanwhile wait in the line): the first pump reads the line when it has something; where it
     * cannot (epoll refuses the descriptor), the calling thread reads it, blocking.
     */
    public void followExits() {
        if (line.isEmpty() || exitsTo == null) {
            return;
        }
        KeeperLine keeperLine = line.get();
        Consumer<KeeperLine.Exit> exits = exitsTo;
        keeperLine.handRead(exits); // read with the inventory's last lines
        try {
            PumpPool.watchInput(0, () -> {
                if (keeperLine.readSome(exits) == KeeperLine.Read.MORE) {
                    return true;
                }
                whenGone.run();
                return false;
            });
        } catch (IllegalStateException e) {
            LOG.warning("the keeper's line is read on a thread of its own: " + e.getMessage());
            keeperLine.readExits(exits);
            whenGone.run();
        }
    }

    /** Runs {@code action} (on the thread that read the line's end) should the keeper die. */
    void whenGone(Runnable action) {
        whenGone = action;
    }

    /**
     * Whether the keeper starts another daemon should this one end at its start: it did for one before
     * (a crash, an update). Such a start that fails leaves the apps to that next daemon, as a crash does.
     */
    boolean startsNext() {
        return line.isPresent() && inventory.startsNext();
    }

    /** The keeper's pid (0 without one). */
    long pid() {
        return line.isPresent() ? inventory.keeperPid() : 0;
    }

    /** Why no keeper protects the apps of this daemon from its start, or null when one does. */
    /**
     * Why a daemon that is not in the foreground runs without a keeper, from its environment: the
     * user's JPM_KEEPER=0, no perl on its PATH, or a client that started it without one on purpose.
     */
    static String withoutKeeper(Map<String, String> env) {
        if ("0".equals(JpmEnv.KEEPER.in(env))) {
            return "no keeper (JPM_KEEPER=0)";
        }
        String path = env.get("PATH");
        return path == null || !KeeperScript.perlOn(path) ? NO_PERL : "no keeper (started without one)";
    }

    /** Whether this daemon has no keeper because perl is missing (then every {@code jpm ls} says so). */
    boolean noPerl() {
        return noPerl;
    }

    String whyNone() {
        return line.isPresent() ? null : whyNone;
    }

    /**
     * Runs {@code action} with what the keeper held, as {@code key=fd} words (jpm-keeper.pl's
     * JPM_KEEPER_HELD), and no hold or release in between: the action replaces this process, so
     * what it passes on is what the launcher's threads last asked for.
     */
    <T> T withHeld(Function<String, T> action) {
        synchronized (held) {
            StringBuilder words = new StringBuilder();
            held.forEach((key, fd) -> words.append(words.length() == 0 ? "" : " ")
                    .append(key)
                    .append('=')
                    .append(fd));
            return action.apply(words.toString());
        }
    }

    private static JsonObject exit(KeeperLine.Exit e) {
        return new JsonObject()
                .put("pid", e.pid())
                .put("start_ticks", e.startTicks())
                .put("code", e.code())
                .put("signal", e.signal())
                .put("at", e.at());
    }

    @Override
    public void hold(String key, int fd) {
        synchronized (held) {
            held.put(key, fd);
            line.ifPresent(l -> l.hold(key, fd));
        }
    }

    @Override
    public void release(String key) {
        synchronized (held) {
            held.remove(key);
            line.ifPresent(l -> l.release(key));
        }
    }

    /** What the launcher holds with: this keeper, or nothing when there is none. */
    DescriptorKeeper descriptors() {
        return line.isPresent() ? this : DescriptorKeeper.NONE;
    }

    void ready() {
        line.ifPresent(KeeperLine::ready);
    }

    void bye() {
        line.ifPresent(KeeperLine::bye);
    }

    /** This daemon leaves for an update: the keeper runs {@code script} and starts {@code command}. */
    void upgrade(String script, List<String> command, boolean renew) {
        line.ifPresent(l -> l.upgrade(script, command, renew));
    }
}
