package io.jpm.persist;

import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Logger;

/**
 * A list of apps on disk: {@code {"version":1,"apps":[DumpEntry...]}}. Two live in JPM_HOME:
 * {@code dump.json}, the user's snapshot, written only by {@code jpm save} and {@code cleardump}
 * (under pm2's file names {@code dump.pm2}, in pm2's format: {@link DumpFormat});
 * and {@code state.json}, the daemon's own record of what runs, kept current for adoption after a crash.
 * Written whole to a temp file and renamed over the old one; the old one, when it reads, is first
 * copied to {@code <name>.bak} (a first write puts its own text there), so a crash or a corrupted
 * file at any point leaves a complete file or a complete .bak. Blocking: call it off the event loop.
 */
final class DumpFile {
    private static final Logger LOG = Logger.getLogger("jpm.persist");
    private static final Object WRITE_LOCK = new Object();
    static final int VERSION = 1;
    /** strerror of ENOSPC and EDQUOT, as the JDK reports them. */
    private static final List<String> DISK_FULL_REASONS = List.of("No space left on device", "Disk quota exceeded");

    /**
     * What was read and from which file; {@code damage}: why the file itself could not be read when
     * its .bak was (null when the file read, or was missing).
     */
    record Read(JsonArray apps, Path from, String damage) {}

    private final Path dump;
    private final Path bak;
    private final DumpFormat format;

    /** The user's snapshot, under jpm's or pm2's file name. */
    static DumpFile userDump(Path home, HomeFileNames names) {
        return new DumpFile(home, names.dump(), DumpFormat.of(names));
    }

    /** The daemon's record of what runs, for adoption after a crash; never what {@code jpm resurrect} reads. */
    static DumpFile recoveryState(Path home) {
        return new DumpFile(home, JpmHome.RECOVERY_STATE, DumpFormat.JPM);
    }

    /** What ran when {@code jpm update} replaced the daemon, for the next one; removed once restored. */
    static DumpFile handover(Path home) {
        return new DumpFile(home, "handover.json", DumpFormat.JPM);
    }

    /** Removes the file and its .bak. */
    void delete() throws IOException {
        Files.deleteIfExists(dump);
        Files.deleteIfExists(bak);
    }

    private DumpFile(Path home, String name, DumpFormat format) {
        this.dump = home.resolve(name);
        this.bak = home.resolve(name + ".bak");
        this.format = format;
    }

    Path path() {
        return dump;
    }

    DumpFormat format() {
        return format;
    }

    boolean exists() {
        return Files.isRegularFile(dump) || Files.isRegularFile(bak);
    }

    /**
     * The dump, or the .bak when the dump is missing or unreadable; fails naming both when neither
     * reads. A dump that is there but unreadable is replaced by the .bak read instead (pm2 deletes
     * it), so the file is complete again and the next read takes the same apps.
     */
    Read read() {
        String dumpProblem;
        try {
            return new Read(parse(dump), dump, null);
        } catch (IOException | RuntimeException e) {
            dumpProblem = dump + ": " + reasonOf(e);
        }
        JsonArray apps;
        try {
            apps = parse(bak);
        } catch (IOException | RuntimeException e) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG, "no readable dump: " + dumpProblem + "; " + bak + ": " + reasonOf(e));
        }
        if (!Files.exists(dump)) {
            return new Read(apps, bak, null);
        }
        if (format == DumpFormat.PM2) {
            // pm2's resurrect deletes a dump it cannot read (scripts check it: its e2e cli/resurrect.sh)
            deleteQuietly(dump);
            LOG.warning(() -> dumpProblem + ": deleted, as pm2 does; " + bak + " was read instead");
            return new Read(apps, bak, dumpProblem);
        }
        replaceWithBak(dumpProblem);
        return new Read(apps, bak, dumpProblem);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next save replaces it all the same
        }
    }

    /** A read's failure on one line: the JSON parser's excerpt of the file (several lines of it) left out. */
    private static String reasonOf(Exception e) {
        String message = String.valueOf(e.getMessage());
        int excerpt = message.indexOf(" at [Source:");
        return (excerpt < 0 ? message : message.substring(0, excerpt))
                .replaceAll("\\s+", " ")
                .strip();
    }

    private void replaceWithBak(String problem) {
        synchronized (WRITE_LOCK) {
            Path tmp = dump.resolveSibling(
                    dump.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                Files.deleteIfExists(tmp);
                PrivateFiles.createNew(tmp, Files.readAllBytes(bak));
                move(tmp, dump);
                LOG.warning(() -> problem + ": replaced by " + bak + ", which was read instead");
            } catch (IOException e) {
                LOG.warning(() -> problem + "; it could not be replaced by " + bak + ": " + e.getMessage());
            }
        }
    }

    private JsonArray parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("does not exist");
        }
        JsonArray apps = format.apps(Files.readString(file, StandardCharsets.UTF_8), file.getParent());
        for (Object app : apps) {
            if (!(app instanceof JsonObject o) || o.getString("name") == null || o.getJsonObject("source") == null) {
                throw new IllegalArgumentException("holds an app without name or source");
            }
        }
        return apps;
    }

    /** The text the apps would be written as; equal texts mean nothing to write. */
    static String render(JsonArray apps) {
        return new JsonObject().put("version", VERSION).put("apps", apps).encodePrettily() + "\n";
    }

    /**
     * Replaces the dump atomically with {@code text} (in its {@link #format()}); the previous one
     * becomes its .bak. A write that fails leaves the previous file as it was and no temp file
     * behind, and says so (a full disk as {@code DISK_FULL}, anything else as internal), naming the
     * file.
     */
    void write(String text) {
        // one writer at a time per daemon, not per instance: two DumpFiles of one path would write
        // through the same temp file
        synchronized (WRITE_LOCK) {
            boolean hadOne = Files.isRegularFile(dump);
            try {
                writeNow(text);
            } catch (IOException e) {
                throw writeFailed(dump, hadOne, e);
            }
        }
    }

    /** The failure of a write of {@code file}, which the write left as it was. */
    static JpmException writeFailed(Path file, boolean hadOne, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        boolean full =
                DISK_FULL_REASONS.stream().anyMatch(r -> String.valueOf(reason).contains(r));
        String kept = hadOne ? "the previous " + file.getFileName() + " is kept" : "nothing was written";
        return new JpmException(
                full ? JpmError.DISK_FULL : JpmError.INTERNAL,
                "cannot write " + file + ": " + (full ? "the disk is full (" + reason + ")" : reason) + "; " + kept);
    }

    private void writeNow(String text) throws IOException {
        Path tmp = dump.resolveSibling(
                dump.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path bakTmp = bak.resolveSibling(
                bak.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            // the dump holds every app's environment, secrets included: owner only
            // created with O_EXCL and written through that descriptor: a link planted at that name is removed, never
            // written through
            Files.deleteIfExists(tmp);
            PrivateFiles.createNew(tmp, text.getBytes(StandardCharsets.UTF_8));
            if (readable(dump)) {
                Files.copy(dump, bakTmp, StandardCopyOption.REPLACE_EXISTING);
                move(bakTmp, bak);
            } else if (format == DumpFormat.JPM && !readable(bak)) {
                // nothing good to keep: the .bak is a second copy of this text, so a file corrupted later
                // still has a complete copy beside it. Under pm2's names a first save leaves no .bak, as
                // pm2's does (scripts check it: its e2e cli/dump.sh)
                Files.copy(tmp, bakTmp, StandardCopyOption.REPLACE_EXISTING);
                move(bakTmp, bak);
            }
            move(tmp, dump);
        } finally {
            // a write cut short (a full disk) leaves no part of a file to fill the disk further
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(bakTmp);
        }
    }

    private boolean readable(Path file) {
        try {
            parse(file);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
