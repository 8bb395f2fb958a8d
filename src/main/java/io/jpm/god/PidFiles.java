package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.EcosystemOptions;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
    /** The last change asked of each file, not done yet: the next one waits for it. */
    private final Map<String, Future<Void>> pending = new ConcurrentHashMap<>();

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
        ProcessState to = ProcessState.ofWord(event.to());
        if (to == ProcessState.ONLINE && event.pid() != null) {
            Buffer pid = Buffer.buffer(event.pid() + "\n");
            after(file, () -> write(file, pid)
                    .onFailure(e -> LOG.warning(() -> "cannot write " + file + ": " + e.getMessage())));
        } else if (to == null || !to.hasProcess()) {
            after(file, () -> fs.delete(file));
        }
    }

    /**
     * Runs one change of {@code file} once the one before it is done: two writes in a row (a reload
     * right after a start) each took several file operations, and interleaved they could leave the
     * older pid, or no file at all.
     */
    private void after(String file, Supplier<Future<Void>> change) {
        Future<Void> previous = pending.getOrDefault(file, Future.succeededFuture());
        Future<Void> next = previous.transform(ar -> change.get()).otherwiseEmpty();
        pending.put(file, next);
        next.onComplete(ar -> pending.remove(file, next));
    }

    private Future<Void> write(String file, Buffer pid) {
        String parent = Path.of(file).getParent().toString();
        boolean insideHome = Path.of(file).toAbsolutePath().normalize().startsWith(home);
        // inside JPM_HOME the owner's only, as the rest of it; elsewhere (pid_file) readable, never writable by others
        Future<Void> folder =
                fs.mkdirs(parent, insideHome ? "rwx------" : "rwxr-xr-x").otherwiseEmpty();
        if (!insideHome) {
            OpenOptions truncate =
                    new OpenOptions().setWrite(true).setTruncateExisting(true).setPerms("rw-r--r--");
            return folder.compose(v -> fs.open(file, truncate))
                    .compose(f -> f.write(pid).eventually(f::close));
        }
        // a fresh temporary file (O_EXCL: never written through a link planted there), renamed over the name: a
        // reader sees the old pid or the new one, never an empty file, and a link at the name is replaced, not followed
        String temporary = file + ".tmp";
        OpenOptions options =
                new OpenOptions().setWrite(true).setCreateNew(true).setPerms("rw-------");
        return folder.compose(v -> fs.delete(temporary).otherwiseEmpty())
                .compose(v -> fs.open(temporary, options))
                .compose(f -> f.write(pid).eventually(f::close))
                .compose(v -> fs.move(
                        temporary,
                        file,
                        new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
    }

    /** A name as a file name: anything but letters, digits, dot, underscore and dash becomes an underscore. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
