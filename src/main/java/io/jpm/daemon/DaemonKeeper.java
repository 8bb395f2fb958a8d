package io.jpm.daemon;

import io.jpm.keeper.KeeperLine;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * This daemon's keeper, when a keeper started it (docs/ARCHITECTURE.md, "The keeper"): its
 * inventory read at start, each exit it reports after, ready and bye told. Without one (no perl,
 * JPM_KEEPER=0, a foreground daemon) every call does nothing, and the start says so in one line.
 */
final class DaemonKeeper {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private final Optional<KeeperLine> line;

    private DaemonKeeper(Optional<KeeperLine> line) {
        this.line = line;
    }

    static DaemonKeeper connect(boolean foreground) {
        Optional<KeeperLine> line;
        try {
            line = foreground ? Optional.empty() : KeeperLine.fromEnvironment();
        } catch (IOException e) {
            LOG.warning("cannot open the line to the keeper: " + e.getMessage());
            line = Optional.empty();
        }
        if (line.isEmpty()) {
            LOG.info(
                    foreground
                            ? "in the foreground: the apps stop with this daemon"
                            : "no keeper (no perl on PATH, or JPM_KEEPER=0): if this daemon dies, nothing starts it"
                                    + " again, and the next one starts its apps again");
            return new DaemonKeeper(line);
        }
        try {
            KeeperLine.Inventory inventory = line.get().readInventory();
            LOG.info("keeper " + inventory.keeperPid()
                    + (inventory.subreaper()
                            ? ": it starts this daemon again if it dies, and its apps fall to it"
                            : ": it starts this daemon again if it dies (not a subreaper here: its apps fall to init)")
                    + "; " + inventory.held().size() + " descriptor(s) handed over, "
                    + inventory.exits().size() + " exit(s) while no daemon ran");
            line.get().followExits(exit -> LOG.fine(() -> "keeper reaped " + exit));
        } catch (IOException | RuntimeException e) {
            LOG.warning("the keeper's inventory could not be read: " + e.getMessage());
        }
        return new DaemonKeeper(line);
    }

    void ready() {
        line.ifPresent(KeeperLine::ready);
    }

    void bye() {
        line.ifPresent(KeeperLine::bye);
    }
}
