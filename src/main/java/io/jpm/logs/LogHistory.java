package io.jpm.logs;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.LastLines;
import io.jpm.verticle.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@link Addresses#QUERY_LOGS}: the last lines of some apps' log files, for a client on another
 * host ({@code jpm logs api@web-2}). Runs on the LogAggregator's context, between two chunks: the
 * lines of every batch published so far are in the files, and every line written after the read
 * goes into a later batch, so a follower that drops the batches up to the reply's {@code seq} sees
 * each line once. Asked with the instances' {@code pm_ids}, it answers their last lines in the order
 * they were written ({@code recent}, kept in memory) when it has some, and reads no file: the files
 * keep no order between out and err.
 */
final class LogHistory {
    /**
     * How long a request with {@code follow} keeps live lines built: the follower's own count
     * reaches the aggregator through the cluster's subscription map, a little after its request.
     */
    static final long FOLLOW_HOLD_MS = 10_000;

    private static final String DOOR = "history";

    private final Vertx vertx;
    private final LiveLines live;
    private final Runnable publish;
    private final BiFunction<List<Integer>, Integer, JsonObject> recent;
    private int holds;

    /**
     * @param publish sends the batch being gathered now
     * @param recent some instances' last lines in the order written: {"lines","kept"}
     */
    LogHistory(Vertx vertx, LiveLines live, Runnable publish, BiFunction<List<Integer>, Integer, JsonObject> recent) {
        this.vertx = vertx;
        this.live = live;
        this.publish = publish;
        this.recent = recent;
    }

    void answer(Message<JsonObject> m) {
        JsonObject body = m.body() == null ? new JsonObject() : m.body();
        JsonArray asked;
        int lines;
        List<Integer> pmIds = new ArrayList<>();
        try {
            asked = body.getJsonArray("files", new JsonArray());
            lines = Math.min(body.getInteger("lines", 15), LastLines.MAX_LINES);
            if (lines < 0) {
                throw new IllegalArgumentException();
            }
            body.getJsonArray("pm_ids", new JsonArray()).forEach(id -> pmIds.add(((Number) id).intValue()));
        } catch (RuntimeException e) {
            m.fail(
                    JpmError.INVALID_ARGUMENT.code(),
                    "logs: 'files' must be an array of log paths, 'pm_ids' of numbers and 'lines' a number >= 0");
            return;
        }
        boolean follow = body.getBoolean("follow", false) == Boolean.TRUE;
        JsonObject every = new JsonObject().put("targets", new JsonArray().add("all"));
        vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_LOG_FILES, every)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Reply.fail(m, ar.cause());
                        return;
                    }
                    Set<String> known = new HashSet<>();
                    ar.result()
                            .body()
                            .getJsonObject("data")
                            .getJsonArray("paths", new JsonArray())
                            .forEach(p -> known.add(String.valueOf(p)));
                    for (Object path : asked) {
                        if (!known.contains(String.valueOf(path))) {
                            m.fail(JpmError.INVALID_ARGUMENT.code(), "logs: " + path + " is no app's log file here");
                            return;
                        }
                    }
                    if (follow) {
                        hold();
                    }
                    publish.run();
                    JsonObject inOrder = pmIds.isEmpty() ? null : recent.apply(pmIds, lines);
                    JsonObject answer = inOrder != null && inOrder.getBoolean("kept", false)
                            ? new JsonObject()
                                    .put("files", new JsonArray())
                                    .put("recent", inOrder.getJsonArray("lines"))
                            : read(asked, lines);
                    m.reply(Reply.ok(answer.put("seq", live.seq())));
                });
    }

    private static JsonObject read(JsonArray asked, int lines) {
        JsonArray files = new JsonArray();
        long budget = asked.isEmpty() ? 0 : LastLines.MAX_BYTES / asked.size();
        for (Object p : asked) {
            Path path = Path.of(String.valueOf(p));
            JsonObject file = new JsonObject().put("path", path.toString());
            try {
                if (Files.isRegularFile(path)) {
                    LastLines last = LastLines.read(path, lines, budget);
                    file.put("mtime", Files.getLastModifiedTime(path).toMillis())
                            .put("lines", new JsonArray(last.lines()))
                            .put("dropped", last.dropped())
                            .put("truncated", last.truncated());
                } else {
                    file.put("mtime", 0L).put("lines", new JsonArray()).put("truncated", false);
                }
            } catch (IOException e) {
                file.put("mtime", 0L).put("lines", new JsonArray()).put("error", e.getMessage());
            }
            files.add(file);
        }
        return new JsonObject().put("files", files);
    }

    /** Live lines built for {@link #FOLLOW_HOLD_MS} more, whoever else listens. */
    private void hold() {
        live.listeners(DOOR, ++holds);
        vertx.setTimer(FOLLOW_HOLD_MS, t -> live.listeners(DOOR, --holds));
    }
}
