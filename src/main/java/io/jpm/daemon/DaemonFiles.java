package io.jpm.daemon;

import io.jpm.bridge.BridgeVerticle;
import io.jpm.config.BridgeSettings;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmHome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * What the daemon leaves in its home for clients while it runs: daemon.json (where its doors
 * listen), jpm.pid and pm2's PM2_PID_FILE_PATH; written once the door is open, daemon.json again
 * when the HTTP server's port changes, all removed when the daemon stops.
 */
final class DaemonFiles {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private final JpmHome home;
    /** daemon.json's content once written; the HTTP server's port changes it later. */
    private JsonObject daemonInfo;

    private Integer httpPort;
    /** PM2_PID_FILE_PATH (or JPM_PID_FILE_PATH), or null. */
    private final Path extraPidFile;
    /** The daemon is stopping: a late port change writes nothing back. */
    private boolean stopping;

    DaemonFiles(JpmHome home, Path extraPidFile) {
        this.home = home;
        this.extraPidFile = extraPidFile;
    }

    /** daemon.json's content once every verticle is up (docs/PROTOCOL.md, daemon.json). */
    static JsonObject readyInfo(long pid, String host, BridgeVerticle bridge, BridgeSettings bridgeSettings) {
        JsonObject info = new JsonObject()
                .put("pid", pid)
                .put("host", host)
                .put("bridgeHost", bridgeSettings.host())
                .put("bridgePort", bridge.port())
                // the owner's Unix socket, admin without a token (docs/PROTOCOL.md); null when none listens
                .put("socket", bridge.ownerSocket())
                .put("startedAt", System.currentTimeMillis())
                // which build runs: a CLI of another build says so (docs/PROTOCOL.md, daemon.json)
                .put("build", new JsonObject(Build.current().toMap()))
                .put("jarStamp", Build.jarStamp());
        if (bridge.portTaken() != null) {
            // the configured port was taken: clients configured with it must look here (jpm ping says so)
            info.put("bridgePortTaken", bridge.portTaken());
        }
        if (bridgeSettings.tls().on()) {
            // what the CLI trusts when it connects (docs/PROTOCOL.md, daemon.json)
            info.put("bridgeTls", bridgeSettings.tls().clientTrust());
        }
        return info;
    }

    /**
     * The pid files, then daemon.json with {@code info} (and the HTTP port, if already known): daemon.json
     * says the daemon is ready, so whoever has seen it (a CLI that connected, a script, the next
     * daemon's watcher) reads this daemon's pid in jpm.pid, not the one before it.
     */
    void writeReady(JsonObject info) throws IOException {
        long pid = info.getLong("pid");
        Secrets.writePrivate(home.pidFile(), pid + "\n");
        writeExtraPidFile(pid);
        Files.deleteIfExists(home.adoptionMark());
        synchronized (this) {
            info.put("httpPort", httpPort);
            daemonInfo = info;
            Secrets.writePrivate(home.daemonJson(), info.encodePrettily() + "\n");
        }
    }

    /**
     * This daemon becomes its keeper (same pid): jpm.pid and the extra pid file must not name a
     * keeper, which a script or monitor would signal for the daemon; jpm.pid goes aside as the next
     * daemon's {@link JpmHome#adoptionMark()}, so it adopts the apps as after a crash.
     */
    void becomingKeeper() {
        try {
            Files.move(home.pidFile(), home.adoptionMark(), StandardCopyOption.REPLACE_EXISTING);
            if (extraPidFile != null) {
                Files.deleteIfExists(extraPidFile);
            }
        } catch (IOException e) {
            LOG.warning("cannot move jpm.pid aside: " + e.getMessage());
        }
    }

    /** It could not become the keeper: still the daemon, named again. */
    void stillTheDaemon(long pid) {
        try {
            Secrets.writePrivate(home.pidFile(), pid + "\n");
            writeExtraPidFile(pid);
            Files.deleteIfExists(home.adoptionMark());
        } catch (IOException e) {
            LOG.warning("cannot write jpm.pid again: " + e.getMessage());
        }
    }

    /** The HTTP server went on or off: daemon.json says where it listens (once daemon.json exists). */
    synchronized void httpPortChanged(Integer port) {
        httpPort = port;
        if (daemonInfo == null || stopping) {
            return;
        }
        daemonInfo.put("httpPort", port);
        try {
            Secrets.writePrivate(home.daemonJson(), daemonInfo.encodePrettily() + "\n");
        } catch (IOException e) {
            LOG.warning("cannot rewrite daemon.json: " + e.getMessage());
        }
    }

    /**
     * pm2's PM2_PID_FILE_PATH (or JPM_PID_FILE_PATH): the daemon's pid there too, for init systems and
     * monitors that look for it. jpm.pid stays: jpm itself reads it after a crash. A path that cannot
     * be written is logged, as pm2 does, and the daemon runs on.
     */
    private void writeExtraPidFile(long pid) {
        Path file = extraPidFile;
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, pid + "\n");
            LOG.info(() -> "daemon pid also in " + file);
        } catch (IOException e) {
            LOG.warning("cannot write the pid file " + file + ": " + e);
        }
    }

    /** The daemon has begun to stop: daemon.json is no longer rewritten. */
    synchronized void stopping() {
        stopping = true;
    }

    /**
     * The daemon leaves its apps running for the next one (an update): no client finds it any more,
     * and jpm.pid stays, which tells the next daemon to adopt what runs, as after a crash.
     */
    void leaving() {
        try {
            Files.deleteIfExists(home.daemonJson());
        } catch (IOException e) {
            LOG.warning("cannot remove daemon.json: " + e.getMessage());
        }
    }

    /** The daemon has stopped its apps: no client finds it any more. */
    void remove() {
        try {
            Files.deleteIfExists(home.daemonJson());
            Files.deleteIfExists(home.pidFile());
            if (extraPidFile != null) {
                Files.deleteIfExists(extraPidFile);
            }
        } catch (IOException e) {
            LOG.warning("cannot remove daemon.json: " + e.getMessage());
        }
    }
}
