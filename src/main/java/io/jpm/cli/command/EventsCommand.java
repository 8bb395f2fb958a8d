package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jpm events [--all] [--host node]}: prints live process events (all jpm.events.* with
 * --all), one JSON per line. On a clustered daemon {@code --all} follows every host in the cluster,
 * each line with its {@code host} (the node name), and prints this daemon's
 * {@code jpm.events.cluster} (a member up or left): a member that joins later is followed from
 * then on (one that comes back is followed still: its registrations outlive it); {@code --host}
 * one host.
 *
 * <pre>
 * {"address":"jpm.events.process","host":"web-2","body":{..the event, as on web-2..}}
 * {"address":"jpm.events.cluster","body":{"node":"web-3","status":"up","at":1795320564471}}
 * </pre>
 */
public final class EventsCommand extends ParsedCommand {
    private static final List<String> EVERY = List.of(
            Addresses.EVENTS_PROCESS,
            Addresses.EVENTS_LOG,
            Addresses.EVENTS_METRICS,
            Addresses.EVENTS_CONFIG,
            Addresses.EVENTS_BALANCER,
            Addresses.EVENTS_HEALTH,
            Addresses.EVENTS_ALERT);

    public EventsCommand() {
        super(Syntax.of("events")
                .summary("live process events, one JSON object per line, until Ctrl-C")
                .flag(Flag.toggle(
                        "--all",
                        "all",
                        "every event address (logs, metrics, config, balancer, health, alerts), each with its address;"
                                + " in a cluster, of every host, each with its host"))
                .flag(TargetActionCommand.HOST));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> locals = args.has("all") ? EVERY : List.of(Addresses.EVENTS_PROCESS);
        List<String> hosts = hosts(args, session);
        List<String> addresses = new ArrayList<>();
        Set<String> followed = new HashSet<>();
        for (String host : hosts) {
            addresses.addAll(on(host, locals));
            followed.add(host);
        }
        // every host: also those that join later, told by this daemon's jpm.events.cluster
        boolean everyHost = args.has("all") && !args.has("host") && !hosts.contains(null);
        if (everyHost) {
            addresses.add(Addresses.EVENTS_CLUSTER);
        }
        boolean enveloped = args.has("all") || args.has("host");
        BridgeClient daemon = session.daemon();
        daemon.listen(addresses, message -> {
            session.out.println(
                    enveloped ? envelope(message) : message.path("body").toString());
            session.out.flush();
            Json.Value body = message.path("body");
            if (everyHost
                    && Addresses.EVENTS_CLUSTER.equals(message.path("address").asText())
                    && "up".equals(body.path("status").asText())
                    && followed.add(body.path("node").asText())) {
                try {
                    daemon.register(on(body.path("node").asText(), locals));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return 0;
    }

    /** The addresses of {@code host} (null: this daemon's own). */
    private static List<String> on(String host, List<String> locals) {
        List<String> addresses = new ArrayList<>();
        locals.forEach(local -> addresses.add(host == null ? local : Addresses.onHost(host, local)));
        return addresses;
    }

    /**
     * The hosts to follow: the one of --host; with --all on a clustered daemon every member up now;
     * else this daemon (null: its local addresses, the frames as they were before clusters).
     */
    private static List<String> hosts(Args args, Session session) throws IOException {
        if (args.has("host")) {
            HostTargets onHost = HostTargets.of(List.of(), args.get("host"));
            onHost.request(session, Addresses.QUERY_PING, Map.of()); // an unknown host is refused here, in one line
            return List.of(onHost.host());
        }
        if (!args.has("all")) {
            return Collections.singletonList(null);
        }
        Json.Value cluster;
        try {
            cluster = session.request(Addresses.QUERY_CLUSTER, Map.of());
        } catch (CliException e) {
            return Collections.singletonList(null); // not clustered: this daemon's events, as before
        }
        List<String> up = new ArrayList<>();
        for (Json.Value member : cluster.path("members")) {
            if ("up".equals(member.path("status").asText())) {
                up.add(member.path("node").asText());
            }
        }
        return up;
    }

    /** {"address":the local address,"host":node (in a cluster),"body":..}. */
    private static String envelope(Json.Value message) {
        String address = message.path("address").asText();
        String host = Addresses.hostOf(address);
        return "{\"address\":\"" + Addresses.localOf(address) + "\""
                + (host == null ? "" : ",\"host\":\"" + host + "\"") + ",\"body\":" + message.path("body") + "}";
    }
}
