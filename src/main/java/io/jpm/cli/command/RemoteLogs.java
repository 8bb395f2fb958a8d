package io.jpm.cli.command;

import io.jpm.cli.render.LogOutput;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.LastLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code jpm logs api@web-2}: the last lines of the app's files, read by web-2's daemon
 * ({@link Addresses#QUERY_LOGS}, at most {@link LastLines#MAX_LINES} lines of a file and
 * {@link LastLines#MAX_BYTES} in all), then its live lines. The registration for the live lines
 * comes first and the last lines are asked for on the same connection after it; the batches that
 * came before the reply and are numbered up to its {@code seq} hold lines already in the files
 * and are dropped, so no line shows twice and none written after the read is missed.
 */
final class RemoteLogs {
    private static final long NO_MARK = Long.MIN_VALUE;

    private final Session session;
    private final HostTargets onHost;
    private final LogOutput out;
    private final Consumer<Json.Value> live;
    /** Batches numbered up to this are in the files already; none once a later batch came. */
    private long mark = NO_MARK;
    /** Live batches that came before the last lines, printed after them. */
    private List<Json.Value> early = new ArrayList<>();

    RemoteLogs(Session session, HostTargets onHost, LogOutput out, Consumer<Json.Value> live) {
        this.session = session;
        this.onHost = onHost;
        this.out = out;
        this.live = live;
    }

    int show(String id, List<LogsCommand.Source> sources, int lines, boolean stream) throws IOException {
        List<String> paths = new ArrayList<>();
        sources.forEach(source -> paths.add(source.path()));
        Map<String, Object> body = Map.of("files", paths, "lines", lines, "follow", stream);
        if (out.decorated()) {
            session.out.println(out.gray("[TAILING] Tailing last " + Math.min(lines, LastLines.MAX_LINES)
                    + " lines for [" + id + "] process" + ("all".equals(id) ? "es" : "") + " on " + onHost.host()
                    + " (change the value with --lines option)"));
        }
        if (!stream) {
            last(sources, lines, onHost.request(session, Addresses.QUERY_LOGS, body));
            return 0;
        }
        session.daemon()
                .listen(
                        List.of(onHost.address(Addresses.EVENTS_LOG)),
                        onHost.address(Addresses.QUERY_LOGS),
                        body,
                        reply -> {
                            last(sources, lines, reply);
                            mark = reply.path("seq").asLong();
                            early.forEach(this::pass);
                            early = null;
                        },
                        message -> {
                            if (early != null) {
                                early.add(message);
                            } else {
                                pass(message);
                            }
                        });
        return 0;
    }

    private void pass(Json.Value message) {
        if (mark != NO_MARK && message.path("body").path("seq").asLong() <= mark) {
            return;
        }
        mark = NO_MARK;
        live.accept(message);
    }

    /** The reply's files, the least recently written first (as jpm logs shows local files). */
    private void last(List<LogsCommand.Source> sources, int lines, Json.Value reply) {
        Map<String, LogsCommand.Source> byPath = new HashMap<>();
        sources.forEach(source -> byPath.put(source.path(), source));
        List<Json.Value> files = new ArrayList<>();
        reply.path("files").forEach(files::add);
        files.sort(Comparator.comparingLong(file -> file.path("mtime").asLong()));
        for (Json.Value file : files) {
            LogsCommand.Source source = byPath.get(file.path("path").asText());
            if (source == null || lines == 0 || file.path("mtime").asLong() == 0) {
                continue;
            }
            List<String> text = new ArrayList<>();
            int dropped = file.path("dropped").asInt();
            if (dropped > 0) {
                text.add(LastLines.droppedMarker(dropped, LastLines.MAX_BYTES));
            }
            file.path("lines").forEach(line -> text.add(line.asText()));
            LogsCommand.print(source, onHost.host() + ":" + source.path(), lines, text, out);
        }
        session.out.flush();
    }
}
