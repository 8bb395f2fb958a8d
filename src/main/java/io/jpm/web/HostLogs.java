package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LastLines;
import io.jpm.protocol.ProcessView;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The logs of another member's app ({@code api@web-2}), read by that member's daemon as
 * {@code jpm logs api@web-2} reads them (docs/CLUSTER.md): {@link Addresses#QUERY_LOGS} on its host
 * address answers each file's last lines (at most {@link LastLines#MAX_LINES} a file and
 * {@link LastLines#MAX_BYTES} in all) with the {@code seq} of its last live batch, and its live
 * batches come through the cluster while a stream follows them. A stream asks for the instances'
 * lines in the order written instead (the member's LogAggregator keeps them, as this host's does for
 * its own apps), and shows the files' only when the member kept none.
 */
final class HostLogs {
    private final BusCall bus;

    HostLogs(BusCall bus) {
        this.bus = bus;
    }

    /** {@code GET .../logs}: the files' last lines, the least recently written file first. */
    Future<JsonArray> last(String node, JsonArray processes, int lines) {
        List<JsonObject> files = LogRoutes.files(processes);
        return ask(node, files, null, lines, false).map(reply -> lines(files, reply));
    }

    /**
     * {@code GET .../logs/stream}: the live batches are followed first (the cluster relays them to
     * this daemon once a stream follows, and the member asked with {@code follow} builds them at
     * once), then the last lines are asked for. Batches reach this daemon by another path than the
     * reply and may come before it: they wait for it, then those numbered up to its {@code seq}
     * (lines it holds already) are dropped, so none shows twice and none written after the read is
     * missed.
     */
    void stream(EventStreams.Stream sse, String node, JsonArray processes, int n) {
        List<JsonObject> files = LogRoutes.files(processes);
        Set<Integer> ids = pmIds(processes);
        Live live = new Live(sse::send, ids);
        sse.follow(Addresses.onHost(node, Addresses.EVENTS_LOG), "log", live::arrived);
        ask(node, files, ids, n, true)
                .onSuccess(reply -> {
                    // a member of an older build answers with the files only
                    boolean ordered = reply.getValue("recent") instanceof JsonArray;
                    JsonArray first = ordered ? reply.getJsonArray("recent") : lines(files, reply);
                    sse.send("lines", new JsonObject().put("ordered", ordered).put("lines", first));
                    live.from(reply.getLong("seq", 0L));
                })
                .onFailure(e -> {
                    // the member left or did not answer: said on the stream, which ends (the page opens another)
                    sse.send("failed", new JsonObject().put("message", e.getMessage()));
                    sse.close();
                });
    }

    /** @param pmIds the instances whose lines in the order written are asked for; null: the files' only */
    private Future<JsonObject> ask(String node, List<JsonObject> files, Set<Integer> pmIds, int lines, boolean follow) {
        JsonArray paths = new JsonArray();
        files.forEach(f -> paths.add(f.getString("path")));
        JsonObject body =
                new JsonObject().put("files", paths).put("lines", lines).put("follow", follow);
        if (pmIds != null) {
            body.put("pm_ids", new JsonArray(List.copyOf(pmIds)));
        }
        return bus.request(Addresses.onHost(node, Addresses.QUERY_LOGS), body, BusCall.QUERY_TIMEOUT_MS)
                .map(data -> data instanceof JsonObject o ? o : new JsonObject());
    }

    /**
     * The reply's files as the local route's lines ({"app","pm_id","stream","line"}), the least
     * recently written file first, as {@code jpm logs} prints them: the files keep no order between them.
     */
    private static JsonArray lines(List<JsonObject> files, JsonObject reply) {
        List<JsonObject> read = new ArrayList<>();
        reply.getJsonArray("files", new JsonArray()).forEach(f -> read.add((JsonObject) f));
        read.sort(Comparator.comparingLong(f -> f.getLong("mtime", 0L)));
        JsonArray out = new JsonArray();
        for (JsonObject file : read) {
            JsonObject source = files.stream()
                    .filter(f -> f.getString("path").equals(file.getString("path")))
                    .findFirst()
                    .orElse(null);
            if (source == null || file.getLong("mtime", 0L) == 0) {
                continue;
            }
            int dropped = file.getInteger("dropped", 0);
            if (dropped > 0) {
                out.add(LogRoutes.line(source, LastLines.droppedMarker(dropped, LastLines.MAX_BYTES)));
            }
            file.getJsonArray("lines", new JsonArray()).forEach(l -> out.add(LogRoutes.line(source, (String) l)));
        }
        return out;
    }

    private static Set<Integer> pmIds(JsonArray processes) {
        Set<Integer> ids = new HashSet<>();
        processes.forEach(
                p -> ids.add(ProcessView.from(Plain.map((JsonObject) p)).pmId()));
        return ids;
    }

    /** One stream's live batches: held until the last lines are sent, then passed on after the mark. */
    static final class Live {
        private static final long NO_MARK = Long.MIN_VALUE;
        /** Held while the member reads its files (a flood, a slow member): beyond, counted and dropped as a slow reader's. */
        static final int MAX_HELD = 1_000;

        /** The stream's send: an event's kind and data. */
        private final BiConsumer<String, JsonObject> sse;

        private final Set<Integer> pmIds;
        private List<JsonObject> early = new ArrayList<>();
        private long dropped;
        /** Batches numbered up to this are in the last lines; none once a later one came (a new daemon counts anew). */
        private long mark = NO_MARK;

        Live(BiConsumer<String, JsonObject> sse, Set<Integer> pmIds) {
            this.sse = sse;
            this.pmIds = pmIds;
        }

        /** A batch from the member: held, dropped or passed; the stream sends what this returns. */
        JsonObject arrived(JsonObject batch) {
            if (early != null) {
                if (early.size() < MAX_HELD) {
                    early.add(batch);
                } else {
                    dropped++;
                }
                return null;
            }
            return pass(batch);
        }

        /** The last lines are sent, read when batch {@code seq} was the last: the held batches go after them. */
        void from(long seq) {
            mark = seq;
            List<JsonObject> held = early;
            early = null;
            for (JsonObject batch : held) {
                JsonObject passed = pass(batch);
                if (passed != null) {
                    sse.accept("log", passed);
                }
            }
            if (dropped > 0) {
                sse.accept("dropped", new JsonObject().put("events", dropped));
            }
        }

        private JsonObject pass(JsonObject batch) {
            if (mark != NO_MARK && batch.getLong("seq", 0L) <= mark) {
                return null;
            }
            mark = NO_MARK;
            return LogRoutes.onlyThese(batch, pmIds);
        }
    }
}
