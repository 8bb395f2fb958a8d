package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.render.LogOutput;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code jpm logs api} of a fleet app (docs/CLUSTER.md, "Fleet apps") on a clustered daemon: the last
 * lines of its instances on every member that runs it (this host's files read here, another's read
 * there as {@code jpm logs api@web-2} does), then the live lines of all of them, each labelled
 * {@code pm_id|api@host}. The app's instances and files come from its description, which a fleet app
 * answers for every member.
 */
final class FleetLogs {
    private FleetLogs() {}

    /** The fleet app's logs shown; null when {@code id} is no fleet app (or the daemon is in no cluster). */
    static Integer show(Session session, String id, String exclusive, int lines, LogOutput out, boolean stream)
            throws IOException {
        if ("all".equals(id) || id.matches("\\d+") || id.startsWith("/")) {
            return null;
        }
        String self;
        Json.Value described;
        try {
            self = session.request(Addresses.QUERY_CLUSTER, Map.of())
                    .path("node")
                    .asText();
            described = session.request(Addresses.QUERY_DESCRIBE, Session.targets(List.of(id)));
        } catch (CliException e) {
            return null; // no cluster, or no such app: jpm logs says so as for any app
        }
        Map<String, List<Object>> byHost = new TreeMap<>();
        for (Json.Value p : described) {
            if (p.has("host") && id.equals(p.path("name").asText())) {
                byHost.computeIfAbsent(p.path("host").asText(), h -> new ArrayList<>())
                        .add(p.raw);
            }
        }
        if (byHost.isEmpty()) {
            return null;
        }
        Map<String, List<LogsCommand.Source>> sources = new TreeMap<>();
        byHost.forEach((host, views) -> sources.put(host, onHost(host, views, id, exclusive)));
        sources.values().forEach(list -> list.forEach(source -> out.fit(source.label())));
        List<String> addresses = new ArrayList<>();
        for (Map.Entry<String, List<LogsCommand.Source>> host : sources.entrySet()) {
            if (host.getKey().equals(self)) {
                List<LogsCommand.Source> mine = new ArrayList<>(host.getValue());
                mine.sort(Comparator.comparingLong(s -> LogsCommand.mtime(s.path())));
                for (LogsCommand.Source source : mine) {
                    LogsCommand.tail(source, lines, out);
                }
                addresses.add(Addresses.EVENTS_LOG);
            } else {
                HostTargets there = new HostTargets(List.of(id), host.getKey(), List.of(id), true);
                new RemoteLogs(session, there, out, m -> {}).show(id, host.getValue(), lines, false);
                addresses.add(Addresses.onHost(host.getKey(), Addresses.EVENTS_LOG));
            }
        }
        session.out.flush();
        if (stream) {
            session.daemon().listen(addresses, live(id, exclusive, self, out, session));
        }
        return 0;
    }

    /** A member's files of the app, each labelled with its host. */
    private static List<LogsCommand.Source> onHost(String host, List<Object> views, String id, String exclusive) {
        List<LogsCommand.Source> labelled = new ArrayList<>();
        for (LogsCommand.Source s : LogsCommand.sources(new Json.Value(views), id, exclusive, Set.of())) {
            labelled.add(new LogsCommand.Source(s.path(), s.label() + "@" + host, s.type(), s.time()));
        }
        return labelled;
    }

    /** The live lines of the app from every member, each labelled with the member it came from. */
    private static Consumer<Json.Value> live(String id, String exclusive, String self, LogOutput out, Session session) {
        return message -> {
            String host = Addresses.hostOf(message.path("address").asText(""));
            String from = host == null ? self : host;
            for (Json.Value json : message.path("body").path("lines")) {
                LogLine line = LogLine.from(json.asMap());
                if (id.equals(line.app()) && (exclusive == null || exclusive.equals(line.stream()))) {
                    String pmId = Integer.toString(line.pmId());
                    out.line(
                            pmId + "|" + line.app() + "@" + from,
                            line.app(),
                            pmId,
                            line.stream(),
                            line.line(),
                            line.time());
                }
            }
            session.out.flush();
        };
    }
}
