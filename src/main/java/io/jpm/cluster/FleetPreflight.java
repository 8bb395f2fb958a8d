package io.jpm.cluster;

import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.verticle.Plain;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What a placement checks before it writes anything (docs/CLUSTER.md, "Bad input, nothing started
 * anywhere"): every host named is a member the cluster knows, and each member up that the apps name
 * can open their public ports. A port another process holds on one host would leave the app on the
 * others only; so each such member is asked first ({@link #PORTS}, on its {@link
 * FleetVerbs#memberAddress}) and answers whether a bind of the port would pass, unless its daemon
 * runs the app on that port already (a placement again, which keeps its port). One refusal refuses
 * the whole placement, in one line naming the app, the option and the host. A member that cannot
 * answer is not asked to decide for the others (an older jpm, a member leaving): it finds the port
 * taken when it runs its share, and says so in its daemon.log.
 */
final class FleetPreflight {
    /** What a member is asked: whether the ports in the request would open there. */
    static final String PORTS = "ports";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    private static final DeliveryOptions ASKING = new DeliveryOptions().setSendTimeout(10_000);

    /** A public port an app opens on each host that runs it: the app's {@code port} on its {@code host}. */
    record Port(String app, String host, int port) {
        JsonObject toJson() {
            return new JsonObject().put("app", app).put("host", host).put("port", port);
        }

        static Port from(JsonObject json) {
            return new Port(json.getString("app"), json.getString("host"), json.getInteger("port"));
        }
    }

    private final Vertx daemon;
    private final Vertx cluster;
    private final ClusterSettings settings;
    private final Members members;

    FleetPreflight(Vertx daemon, Vertx cluster, ClusterSettings settings, Members members) {
        this.daemon = daemon;
        this.cluster = cluster;
        this.settings = settings;
        this.members = members;
    }

    /** Fails with the one line of the first app whose hosts or ports do not hold; nothing was written. */
    Future<Void> check(List<FleetDefinition> apps, List<Port> ports) {
        Set<String> known = members.known().keySet();
        for (FleetDefinition app : apps) {
            for (String host : app.hosts()) {
                if (!FleetDefinition.ALL.equals(host) && !known.contains(host)) {
                    return Future.failedFuture(refused(
                            app,
                            AppOption.HOSTS.key,
                            "no member named '" + host + "' in cluster '" + settings.name() + "'; members: "
                                    + String.join(", ", known)));
                }
            }
        }
        List<Future<Void>> asked = new ArrayList<>();
        for (Port port : ports) {
            FleetDefinition app = apps.stream()
                    .filter(a -> a.name().equals(port.app()))
                    .findFirst()
                    .orElse(null);
            if (app == null) {
                continue;
            }
            for (Map.Entry<String, String> member : members.known().entrySet()) {
                if (Members.UP.equals(member.getValue()) && app.runsOn(member.getKey())) {
                    asked.add(ask(member.getKey(), app, port));
                }
            }
        }
        return Future.all(asked).mapEmpty();
    }

    /** Member {@code node} asked whether {@code port} opens there; refused only on its clear no. */
    private Future<Void> ask(String node, FleetDefinition app, Port port) {
        JsonObject body = new JsonObject()
                .put("action", PORTS)
                .put("names", new JsonArray().add(app.name()))
                .put("request", new JsonObject().put("ports", new JsonArray().add(port.toJson())));
        return cluster.eventBus()
                .request(FleetVerbs.memberAddress(node), body, ASKING)
                .<Void>mapEmpty()
                .recover(e -> {
                    if (e instanceof ReplyException r
                            && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                            && r.failureCode() == JpmError.INVALID_CONFIG.code()) {
                        return Future.failedFuture(
                                refused(app, AppOption.PORT.key, r.getMessage() + " on member '" + node + "'"));
                    }
                    LOG.warning(() -> "fleet app '" + app.name() + "': member '" + node + "' did not say whether port "
                            + port.port() + " opens there (" + e.getMessage() + "): placed anyway");
                    return Future.succeededFuture();
                });
    }

    private static JpmException refused(FleetDefinition app, String option, String why) {
        String where = app.app().file() == null ? "command line" : app.app().file();
        return new JpmException(
                JpmError.INVALID_CONFIG,
                where + ": app '" + app.name() + "': option '" + option + "': " + why + ": nothing started");
    }

    /** This member's answer: each port would open here, or the first that would not, as a failure. */
    void answer(Message<JsonObject> message) {
        List<Port> ports = new ArrayList<>();
        for (Object o :
                message.body().getJsonObject("request", new JsonObject()).getJsonArray("ports", new JsonArray())) {
            ports.add(Port.from((JsonObject) o));
        }
        daemon.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_APPS, new JsonObject())
                .map(reply -> reply.body().getJsonArray("data", new JsonArray()))
                .compose(running -> daemon.executeBlocking(() -> {
                    for (Port port : ports) {
                        if (!runsOn(running, port)) {
                            bindable(port);
                        }
                    }
                    return null;
                }))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        message.reply(Reply.ok(new JsonObject()));
                    } else {
                        Reply.fail(message, ar.cause());
                    }
                });
    }

    /** Whether this daemon runs {@code port}'s app with that port already (its balancer or God holds it). */
    private static boolean runsOn(JsonArray running, Port port) {
        for (Object o : running) {
            DumpEntry entry = DumpEntry.from(Plain.map((JsonObject) o));
            Object asked = entry.source().get(AppOption.PORT.key);
            if (entry.name().equals(port.app())
                    && asked != null
                    && Objects.equals(String.valueOf(asked).strip(), Integer.toString(port.port()))) {
                return true;
            }
        }
        return false;
    }

    /** A bind as the balancer's (SO_REUSEADDR, as Netty's servers), closed at once; a worker's call. */
    private static void bindable(Port port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port.host(), port.port()));
        } catch (IOException e) {
            String why = e.getMessage() != null && e.getMessage().contains("in use")
                    ? "is already in use by another process"
                    : "cannot be opened (" + e.getMessage() + ")";
            throw new JpmException(JpmError.INVALID_CONFIG, "port " + port.port() + " on " + port.host() + " " + why);
        }
    }
}
