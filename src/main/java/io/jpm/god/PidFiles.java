package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.EcosystemOptions;
import io.jpm.protocol.ProcessEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * pm2's pid files, kept from process events: written when an instance comes online, removed when
 * its process is gone. The default place is JPM_HOME/pids/&lt;name&gt;-&lt;pm_id&gt;.pid; an app's
 * {@code pid_file} moves it (with pm2's {@code -<pm_id>} suffix, parent folders created). For scripts
 * and init systems that look for them; jpm itself never reads an app's pid_file back.
 */
final class PidFiles {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final FileSystem fs;
    /** JPM_HOME: a pid file in it is written without following a link (docs/SECURITY.md); one the user placed elsewhere as before. */
    private final Path home;

    PidFiles(FileSystem fs, Path home) {
        this.fs = fs;
        this.home = home.toAbsolutePath().normalize();
    }

    /** Where the pid file of a new instance goes (it stays there for the instance's life, as pm2's pm_pid_path). */
    static String path(AppConfig config, int pmId, Path pidsDir) {
        String pidFile = config.ecosystem().pidFile();
        return pidFile != null
                ? EcosystemOptions.pidFileFor(pidFile, pmId)
                : pidsDir.resolve(safe(config.name()) + "-" + pmId + ".pid").toString();
    }

    /** Keeps the pid file {@code file} of the instance the event is about. */
    void onEvent(ProcessEvent event, String file) {
        if (event.oldRun()) {
            return; // the file is the pm_id's: a reload's new run writes its pid there, the old run's end must not
            // remove it
        }
        if ("online".equals(event.to()) && event.pid() != null) {
            String parent = Path.of(file).getParent().toString();
            fs.mkdirs(parent)
                    .recover(e -> Future.succeededFuture())
                    .compose(v -> write(file, Buffer.buffer(event.pid() + "\n")))
                    .onFailure(e -> LOG.warning(() -> "cannot write " + file + ": " + e.getMessage()));
        } else if (!"online".equals(event.to()) && !"stopping".equals(event.to()) && !"launching".equals(event.to())) {
            fs.delete(file).recover(e -> Future.succeededFuture());
        }
    }

    private Future<Void> write(String file, Buffer pid) {
        if (!Path.of(file).toAbsolutePath().normalize().startsWith(home)) {
            return fs.writeFile(file, pid);
        }
        // whatever is at that name (a link included) is removed, then a fresh file made with O_EXCL: never written
        // through a link
        OpenOptions options = new OpenOptions().setWrite(true).setCreateNew(true);
        return fs.delete(file)
                .recover(e -> Future.succeededFuture())
                .compose(v -> fs.open(file, options))
                .compose(f -> f.write(pid).eventually(f::close));
    }

    /** A name as a file name: anything but letters, digits, dot, underscore and dash becomes an underscore. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
