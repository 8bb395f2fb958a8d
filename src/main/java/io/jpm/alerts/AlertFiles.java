package io.jpm.alerts;

import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.jpm.protocol.Reasons;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts and the exception groups on disk, so that a new daemon (after {@code jpm update}, a
 * crash its keeper restarted, {@code jpm kill} and a start) lists what the one before it did:
 * JPM_HOME/alerts.json (the alert log, newest first, and the rules' state the next daemon takes over,
 * {@link CarriedRules}) and JPM_HOME/exceptions.json (the groups, the one seen longest ago first).
 * Each is written whole (0600, a temp file beside it renamed over it: a kill leaves the old file or
 * the new, never half), bounded as in memory. A file that cannot be read or is not what this writes
 * is a problem told once, and its part starts empty: never a daemon that does not start. No webhook
 * URL is in either (an alert's deliveries name the webhook, never its URL). Every method may wait on
 * the disk: a worker's.
 */
final class AlertFiles {
    /** Beyond any file this writes (500 stacks of 8 KiB, escaped): a larger one is not read. */
    static final long MAX_FILE = 32L << 20;

    private final Path alerts;
    private final Path exceptions;

    AlertFiles(JpmHome home) {
        this.alerts = home.alerts();
        this.exceptions = home.exceptions();
    }

    /** What a daemon before this one left; {@code problems}: one line per file that could not be taken. */
    record Loaded(AlertLog log, ExceptionGroups exceptions, CarriedRules rules, List<String> problems) {}

    Loaded load() {
        List<String> problems = new ArrayList<>();
        AlertLog log = new AlertLog();
        CarriedRules rules = CarriedRules.none();
        JsonObject saved = read(alerts, problems);
        if (saved != null) {
            try {
                AlertLog read = new AlertLog();
                read.restore(saved.getJsonArray("alerts", new JsonArray()));
                rules = CarriedRules.fromJson(saved.getJsonObject("rules", new JsonObject()));
                log = read;
            } catch (RuntimeException e) {
                problems.add(problem(alerts, "not the alerts jpm writes (" + e + ")"));
            }
        }
        ExceptionGroups groups = new ExceptionGroups();
        saved = read(exceptions, problems);
        if (saved != null) {
            try {
                ExceptionGroups read = new ExceptionGroups();
                read.restore(saved);
                groups = read;
            } catch (RuntimeException e) {
                problems.add(problem(exceptions, "not the exception groups jpm writes (" + e + ")"));
            }
        }
        return new Loaded(log, groups, rules, problems);
    }

    void writeAlerts(JsonArray log, CarriedRules rules) throws IOException {
        PrivateFiles.replace(
                alerts,
                new JsonObject().put("alerts", log).put("rules", rules.toJson()).encode());
    }

    void writeExceptions(JsonObject groups) throws IOException {
        PrivateFiles.replace(exceptions, groups.encode());
    }

    /** The file's JSON; null when it is missing, or unreadable (a problem said). */
    private static JsonObject read(Path file, List<String> problems) {
        BlockingCall.check("a read of " + file);
        try {
            PrivateFiles.checkHomeFile(file); // the user's own regular file, or nothing
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                if (channel.size() > MAX_FILE) {
                    problems.add(problem(file, channel.size() + " bytes, over " + MAX_FILE));
                    return null;
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // to its end
                }
                return new JsonObject(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // the first daemon of this home
        } catch (IOException | RuntimeException e) {
            problems.add(problem(file, Reasons.of(e)));
            return null;
        }
    }

    /** One line: the JSON parser's message runs over two, its second where in the text, which says nothing here. */
    private static String problem(Path file, String why) {
        String line = why.lines().findFirst().orElse(why);
        for (String noise : List.of(" (start marker at", " at [Source")) {
            int at = line.indexOf(noise);
            line = at > 0 ? line.substring(0, at) : line;
        }
        return "cannot read " + file + ": " + line + "; starting without it";
    }
}
