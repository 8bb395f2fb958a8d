package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.LastLines;
import io.jpm.protocol.ProcessView;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An app's logs: {@code GET /api/processes/:target/logs?lines=N} (the last N lines of each
 * instance's out and err files, as {@code jpm logs --nostream}) and {@code .../logs/stream} (the
 * last lines in the order written, then each new line as it is written, over Server-Sent Events).
 * Another member's app ({@code api@web-2}) is read by that member ({@link HostLogs}).
 */
final class LogRoutes {
    static final int DEFAULT_LINES = 15;

    private final Vertx vertx;
    private final ApiRoutes api;
    private final HttpTokenRules doorman;
    private final EventStreams streams;
    private final HostLogs hostLogs;

    LogRoutes(Vertx vertx, ApiRoutes api, HttpTokenRules doorman, EventStreams streams) {
        this.vertx = vertx;
        this.api = api;
        this.doorman = doorman;
        this.streams = streams;
        this.hostLogs = new HostLogs(new BusCall(vertx));
    }

    void mount(Router router) {
        router.get("/api/processes/:target/logs")
                .handler(doorman.sends(Addresses.QUERY_DESCRIBE))
                .handler(ctx ->
                        ApiRoutes.answer(ctx, linesWanted(ctx).compose(n -> tail(ctx, ctx.pathParam("target"), n))));
        router.get("/api/processes/:target/logs/stream")
                .handler(doorman.listens(Addresses.EVENTS_LOG))
                .handler(this::stream);
    }

    /**
     * The stream follows the live batches first, then asks the LogAggregator for the instances' last
     * lines in the order written: the batches up to its reply's {@code seq} hold only lines the reply
     * has, and are dropped. When it kept none (nothing written since the daemon started), the files'
     * last lines are sent instead, each file's in turn.
     */
    private void stream(RoutingContext ctx) {
        linesWanted(ctx)
                .compose(n -> api.find(ctx, ctx.pathParam("target")).compose(found -> {
                    if (found.node() != null) {
                        hostLogs.stream(streams.open(ctx), found.node(), found.processes(), n);
                        return Future.<Void>succeededFuture();
                    }
                    return streamHere(ctx, found.processes(), n);
                }))
                .onFailure(e -> HttpReplies.fail(ctx, e));
    }

    private Future<Void> streamHere(RoutingContext ctx, JsonArray found, int n) {
        List<Integer> pmIds = new ArrayList<>();
        found.forEach(p -> pmIds.add(ProcessView.from(Plain.map((JsonObject) p)).pmId()));
        EventStreams.Stream sse = streams.open(ctx);
        long[] cut = {Long.MAX_VALUE};
        sse.follow(
                Addresses.EVENTS_LOG,
                "log",
                body -> body.getLong("seq", 0L) <= cut[0] ? null : onlyThese(body, new HashSet<>(pmIds)));
        return recent(pmIds, n, found).map(first -> {
            cut[0] = first.getLong("seq", 0L);
            sse.send(
                    "lines",
                    new JsonObject()
                            .put("ordered", first.getBoolean("kept", false))
                            .put("lines", first.getJsonArray("lines")));
            return (Void) null;
        });
    }

    /** The LogAggregator's last lines in order, or the files' with {@code kept} false. */
    private Future<JsonObject> recent(List<Integer> pmIds, int n, JsonArray found) {
        JsonObject ask = new JsonObject().put("pm_ids", new JsonArray(pmIds)).put("lines", n);
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_LOGS_RECENT, ask)
                .map(reply -> reply.body().getJsonObject("data"))
                .compose(data -> data.getBoolean("kept", false)
                        ? Future.succeededFuture(data)
                        : tailOf(found, n).map(lines -> data.put("lines", lines)));
    }

    /** A live batch cut down to the followed pm_ids; null when none of its lines is theirs. */
    static JsonObject onlyThese(JsonObject batch, Set<Integer> pmIds) {
        JsonArray kept = new JsonArray();
        batch.getJsonArray("lines", new JsonArray()).forEach(l -> {
            if (pmIds.contains(((JsonObject) l).getInteger("pm_id"))) {
                kept.add(l);
            }
        });
        return kept.isEmpty()
                ? null
                : new JsonObject().put("host", batch.getString("host")).put("lines", kept);
    }

    /** Only the log paths are read: the environment is left out. */
    private Future<JsonArray> tail(RoutingContext ctx, String target, int lines) {
        return api.find(ctx, target)
                .compose(found -> found.node() == null
                        ? tailOf(found.processes(), lines)
                        : hostLogs.last(found.node(), found.processes(), lines));
    }

    /**
     * Each instance's out lines, then its err lines: {"app","pm_id","stream","line"}; at most
     * {@link LogTail#MAX_BYTES} in all, shared by the files: where a file's older lines did not fit,
     * its first line says how many were left out.
     */
    private Future<JsonArray> tailOf(JsonArray processes, int lines) {
        return vertx.executeBlocking(
                () -> {
                    List<JsonObject> files = files(processes);
                    long budget = files.isEmpty() ? 0 : LogTail.MAX_BYTES / files.size();
                    JsonArray out = new JsonArray();
                    for (JsonObject file : files) {
                        LastLines last = LogTail.last(file.getString("path"), lines, budget);
                        if (last.dropped() > 0) {
                            out.add(line(file, LastLines.droppedMarker(last.dropped(), LogTail.MAX_BYTES)));
                        }
                        last.lines().forEach(line -> out.add(line(file, line)));
                    }
                    return out;
                },
                false);
    }

    /** Each instance's out and err files, {"app","pm_id","stream","path"}; instances merged into one file: read once. */
    static List<JsonObject> files(JsonArray processes) {
        List<JsonObject> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Object o : processes) {
            ProcessView p = ProcessView.from(Plain.map((JsonObject) o));
            for (String stream : List.of("out", "err")) {
                String file = stream.equals("out")
                        ? p.pm2Env().logs().outLogPath()
                        : p.pm2Env().logs().errLogPath();
                if (file != null && !"/dev/null".equals(file) && seen.add(file)) {
                    files.add(new JsonObject()
                            .put("app", p.name())
                            .put("pm_id", p.listedId())
                            .put("stream", stream)
                            .put("path", file));
                }
            }
        }
        return files;
    }

    static JsonObject line(JsonObject file, String line) {
        return new JsonObject()
                .put("app", file.getString("app"))
                .put("pm_id", file.getValue("pm_id"))
                .put("stream", file.getString("stream"))
                .put("line", line);
    }

    private static Future<Integer> linesWanted(RoutingContext ctx) {
        String lines = ctx.request().getParam("lines");
        if (lines == null) {
            return Future.succeededFuture(DEFAULT_LINES);
        }
        try {
            int n = Integer.parseInt(lines);
            if (n >= 0 && n <= LogTail.MAX_LINES) {
                return Future.succeededFuture(n);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        return Future.failedFuture(new JpmException(
                JpmError.INVALID_ARGUMENT,
                "query parameter 'lines' must be a whole number from 0 to " + LogTail.MAX_LINES + ", got '" + lines
                        + "'"));
    }
}
