package io.jpm.daemon;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmHome;
import io.jpm.verticle.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * What this daemon's own supervision did that the user should hear of while it runs, one line each
 * ({@code jpm.query.supervision}, under {@code jpm ls}'s table): the apps it restarted after a crash
 * because it could not adopt them (persistence says so), and a keeper that gave up on a daemon that
 * kept dying (JPM_HOME/keeper-gave-up, left by jpm-keeper.pl, read here once and removed). Kept in
 * memory for this daemon's life: no secrets, counts, reasons and times only.
 */
final class SupervisionNotes {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    /**
     * Made for the first note that has a time: a daemon whose keeper never gave up (nearly all) loads
     * none of java.time's formatting (~40 classes, ~0.3 MB of its RSS).
     */
    private static final class Time {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    }

    private static final String UNPROTECTED = "apps unprotected: ";

    private final List<String> notes = new CopyOnWriteArrayList<>();
    private volatile String unprotected;
    private volatile long keeperPid;

    /** Reads (and removes) what a keeper that gave up left, before anything else starts. */
    void readKeeperGaveUp(JpmHome home) {
        try {
            if (!Files.isRegularFile(home.keeperGaveUp())) {
                return;
            }
            String text = Files.readString(home.keeperGaveUp()).trim();
            Files.deleteIfExists(home.keeperGaveUp());
            Optional<String> note = gaveUpNote(text, ZoneId.systemDefault());
            note.ifPresentOrElse(this::add, () -> LOG.warning("keeper-gave-up holds what no keeper writes: " + text));
        } catch (IOException e) {
            LOG.warning("cannot read " + home.keeperGaveUp() + ": " + e.getMessage());
        }
    }

    /**
     * The line for the keeper's "&lt;deaths&gt; &lt;epoch seconds&gt; &lt;how the last ended&gt;", empty when
     * it is not that.
     */
    static Optional<String> gaveUpNote(String text, ZoneId zone) {
        String[] words = text.split(" ", 3);
        if (words.length < 2 || !words[0].matches("\\d+") || !words[1].matches("\\d+")) {
            return Optional.empty();
        }
        String at = Time.FORMAT.format(
                Instant.ofEpochSecond(Long.parseLong(words[1])).atZone(zone));
        return Optional.of("the daemon crashed " + words[0] + " times in a row and its keeper gave up at " + at
                + (words.length > 2 ? " (the last: " + words[2] + ")" : "")
                + "; the apps ran on, and this daemon was started when a command asked: see daemon.log for why it"
                + " died");
    }

    /**
     * The apps do not outlive this daemon now (its keeper died): said under {@code jpm ls} and by
     * {@code jpm ping} while it lasts; the latest such line replaces the one before.
     */
    void unprotected(String why) {
        String note = UNPROTECTED + why;
        LOG.warning(note);
        notes.removeIf(n -> n.startsWith(UNPROTECTED));
        notes.add(note);
        unprotected = why;
    }

    /**
     * This daemon's keeper at its start: its pid, or 0 and why the apps do not outlive the daemon
     * (no keeper by choice or for want of perl, or a foreground daemon), which {@code jpm ping}
     * says; {@code jpm ls} stays quiet about a choice made at the start (a missing perl is no
     * choice: DaemonMain adds it as {@link #unprotected}).
     */
    void keeper(long pid, String whyNone) {
        keeperPid = pid;
        unprotected = whyNone;
    }

    private void add(String note) {
        LOG.warning(note);
        notes.add(note);
    }

    /** Answers {@code jpm.query.supervision} and takes persistence's notes. */
    void onBus(Vertx vertx) {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SUPERVISION_NOTE, m -> {
            add(m.body().getString("note"));
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_KEEPER_STATE, m -> {
            String why = unprotected;
            m.reply(new JsonObject()
                    .put("pid", keeperPid)
                    .put("protected", why == null)
                    .put("why", why));
        });
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.QUERY_SUPERVISION,
                        m -> m.reply(Reply.ok(new JsonObject().put("notes", new JsonArray(List.copyOf(notes))))));
    }
}
