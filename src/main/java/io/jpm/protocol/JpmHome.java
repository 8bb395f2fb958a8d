package io.jpm.protocol;

import java.nio.file.Path;

/**
 * Every path under JPM_HOME (default ~/.jpm), in one place, for the daemon and the client alike
 * (pm2's paths.js). See DESIGN section 7. {@code names}: jpm's or pm2's names for the pid file and
 * the dump ({@link HomeFileNames}).
 */
public record JpmHome(Path root, HomeFileNames names) {

    /** A home with jpm's own file names. */
    public JpmHome(Path root) {
        this(root, HomeFileNames.JPM);
    }

    public static JpmHome fromEnvironment() {
        return fromEnvironment(".jpm");
    }

    /**
     * JPM_HOME when set, else this folder of the user's home (jpm-dev's ~/.jpm-dev, as pm2-dev's
     * ~/.pm2-dev), with the file names JPM_FILE_NAMES chooses. A {@code .} in JPM_HOME is left
     * out: it names the same folder, and {@code <link>/.} would name the link's target, past the
     * check that refuses a home that is a link ({@link Ownership#folderProblem}); a {@code ..} is
     * kept, and refused there.
     */
    public static JpmHome fromEnvironment(String defaultFolder) {
        String env = JpmEnv.HOME.value();
        return new JpmHome(
                env != null && !env.isBlank()
                        ? withoutDots(Path.of(env).toAbsolutePath())
                        : Path.of(System.getProperty("user.home"), defaultFolder),
                HomeFileNames.of(JpmEnv.FILE_NAMES.value()));
    }

    /** The path without its {@code .} names. */
    static Path withoutDots(Path path) {
        Path plain = path.getRoot();
        for (Path name : path) {
            if (!name.toString().equals(".")) {
                plain = plain == null ? name : plain.resolve(name);
            }
        }
        return plain == null ? path : plain;
    }

    /** pid, bridge port, host; 0600. Written by the daemon once it accepts frames. */
    public Path daemonJson() {
        return root.resolve("daemon.json");
    }

    /** The daemon's pid alone, for init systems and scripts: jpm.pid (pm2's names: pm2.pid). */
    public Path pidFile() {
        return root.resolve(names.pidFile());
    }

    /**
     * The user's snapshot, which {@code save} writes and {@code resurrect} reads: dump.json (pm2's
     * names: dump.pm2, in pm2's format); its previous version is beside it with {@code .bak}.
     */
    public Path dump() {
        return root.resolve(names.dump());
    }

    /** The daemon's own record of what runs (persist.DumpFile), kept current for adoption after a crash. */
    public static final String RECOVERY_STATE = "state.json";

    public Path recoveryState() {
        return root.resolve(RECOVERY_STATE);
    }

    /** The admin token; 0600. */
    public Path token() {
        return root.resolve("token");
    }

    /** The read-only token (events and queries only); 0600. */
    public Path readOnlyToken() {
        return root.resolve("token.readonly");
    }

    public Path daemonLog() {
        return root.resolve("daemon.log");
    }

    /** Held locked by the running daemon: one daemon per JPM_HOME. */
    public Path daemonLock() {
        return root.resolve("daemon.lock");
    }

    /** The keeper's script (docs/ARCHITECTURE.md, "The keeper"), written by the client that starts it. */
    public Path keeperScript() {
        return root.resolve("keeper.pl");
    }

    /**
     * jpm.pid moved aside by a daemon that becomes its keeper (same pid: jpm.pid must not name a
     * keeper): the next daemon adopts what runs, as when it finds jpm.pid after a crash, and removes
     * it once it has written its own jpm.pid.
     */
    public Path adoptionMark() {
        return root.resolve("adopt-on-start");
    }

    /** The live keeper's pid, written by the keeper itself. */
    public Path keeperPid() {
        return root.resolve("keeper.pid");
    }

    /**
     * Left by a keeper that gave up on a daemon that kept dying ("&lt;deaths&gt; &lt;epoch s&gt; &lt;how the
     * last ended&gt;"): the next daemon reports it and removes it.
     */
    public Path keeperGaveUp() {
        return root.resolve("keeper-gave-up");
    }

    /**
     * The OpenTelemetry packages a traced Node app's preload loads ({@code jpm install-otel}): an npm
     * prefix of the home's own (0700), so they are the user's and never in a shared folder; its
     * node_modules is what node resolves them from.
     */
    public Path otel() {
        return root.resolve("otel");
    }

    /** Held by a client while it starts a daemon, so two clients do not start two. */
    public Path startLock() {
        return root.resolve("start.lock");
    }

    /**
     * The CLI's door in the home, JPM_HOME/jpm.sock: a Unix socket that only the daemon's user can open
     * (0600, in the 0700 home), outside the TCP port's connection cap; null when JPM_HOME is too deep
     * for the daemon's socket paths, whose sockets are then in a private folder of its
     * ({@link SocketFolder}; daemon.json's {@code socket} names the one that listens).
     */
    public Path cliSocket() {
        return SocketFolder.fits(root) ? root.resolve("jpm.sock") : null;
    }

    /**
     * Where the daemon's private socket folder is, when JPM_HOME is too deep to hold its sockets
     * ({@link SocketFolder}); 0600, written by the daemon.
     */
    public Path socketFolderRecord() {
        return root.resolve("sockets");
    }

    /** The cluster secret (docs/CLUSTER.md), the same file on every member; 0600. */
    public Path clusterSecret() {
        return root.resolve("cluster.secret");
    }

    /** The key and certificate every member's event bus shows and trusts (PKCS12); 0600. */
    public Path clusterKeystore() {
        return root.resolve("cluster.p12");
    }

    /** jpm's own settings ({@code jpm set logs.max_size 20M}); optional. */
    public Path settings() {
        return root.resolve("jpm.json");
    }

    /** pm2's module configuration ({@code jpm set myapp.api_key abc}), pm2's file name and layout; 0600. */
    public Path moduleConf() {
        return root.resolve("module_conf.json");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    /** The daemon's history of the apps' figures (0700; its files 0600): the last 24 h, kept over restarts. */
    public Path history() {
        return root.resolve("history");
    }

    /** The alerts the daemon listed and its alert rules' state (0600), kept over restarts. */
    public Path alerts() {
        return root.resolve("alerts.json");
    }

    /** The apps' exceptions grouped (0600), kept over restarts. */
    public Path exceptions() {
        return root.resolve("exceptions.json");
    }

    /**
     * What an adoption did that the user would not expect (a damaged record, leftovers stopped):
     * written by the daemon, printed and removed by the first command that reaches it.
     */
    public Path recoveryNote() {
        return root.resolve("recovery.txt");
    }
}
