package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * God's side of the fleet apps (docs/CLUSTER.md, "Fleet apps"): a start of an app with {@code
 * hosts} goes to the cluster switch, which checks the hosts and writes its definition, and every
 * named member (this one too) runs its share from it ({@link FleetShare}); a stop, start or delete
 * that reaches a fleet app (by its name, even from a member that runs none of it, or through one of
 * its instances here) changes its definition, so it acts on every member, one that is away included
 * once it is back. Without a cluster, {@code hosts} is refused before anything starts.
 */
final class FleetLink {
    /** What a member is asked when it only makes its share match and lists it (scale, a resting app restarted). */
    private static final String FLEET_SHARE = "share";
    /** What the cluster switch is asked after a restore: the fleet apps running here written back if it lacks them. */
    private static final String FLEET_KEPT = "kept";
    /** Placing waits for this member's share to start (a JVM app's listen_timeout is 30 s). */
    private static final DeliveryOptions PLACING = new DeliveryOptions().setSendTimeout(180_000);

    private final Vertx vertx;
    private final ProcessTable table;
    private final Targets targets;

    FleetLink(Vertx vertx, ProcessTable table, Targets targets) {
        this.vertx = vertx;
        this.table = table;
        this.targets = targets;
    }

    /**
     * Places the fleet apps among {@code configs} (all of them or none: a host the cluster does not
     * know refuses the lot) and runs this member's share; the instances here are the result.
     */
    Future<List<Instance>> place(List<AppConfig> fleet) {
        JsonArray apps = new JsonArray();
        JsonArray ports = new JsonArray();
        for (AppConfig config : fleet) {
            Integer port = config.balancer().port();
            if (port != null && port > 0 && config.balancer().host() != null) {
                // its public port (or socket mode's shared one), which each member checks before any starts
                ports.add(new JsonObject()
                        .put("app", config.name())
                        .put("host", config.balancer().host())
                        .put("port", port));
            }
            DumpEntry app = DumpEntry.builder()
                    .name(config.name())
                    .source(Plain.map(config.source()))
                    .env(config.env())
                    .file(config.origin().file())
                    .commandCwd(config.origin().commandCwd())
                    .envName(config.origin().envName())
                    .build();
            apps.add(Plain.json(new FleetDefinition(
                            config.name(), config.origin().hosts(), FleetDefinition.ONLINE, false, 0, null, app)
                    .toMap()));
        }
        return vertx.eventBus()
                .request(
                        Addresses.INTERNAL_FLEET_PLACE,
                        new JsonObject().put("apps", apps).put("ports", ports),
                        PLACING)
                .recover(e -> Future.failedFuture(noCluster(e) ? withoutCluster(fleet.get(0)) : e))
                .map(reply -> {
                    List<Instance> here = new ArrayList<>();
                    fleet.forEach(config -> here.addAll(table.named(config.name())));
                    return here;
                });
    }

    /** The one line a fleet app gets from a daemon in no cluster; nothing was started. */
    private static JpmException withoutCluster(AppConfig config) {
        String where = config.origin().file() == null
                ? "command line"
                : config.origin().file();
        return new JpmException(
                JpmError.INVALID_CONFIG,
                where + ": app '" + config.name() + "': option '" + AppOption.HOSTS.key + "' needs a cluster and"
                        + " this daemon is in none (jpm.json's cluster section, docs/CLUSTER.md): nothing started");
    }

    private static boolean noCluster(Throwable e) {
        return e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
    }

    /**
     * A verb on targets where fleet apps are one app across the cluster: the fleet apps it names (by
     * name, those of no instance here too) or reaches (through an instance here) get {@code action}
     * (stop, start, delete) in their definitions and each member acts on its share, this one
     * included; {@code local} then acts on the other instances the targets reach here. Without a
     * cluster every target is this daemon's, as before.
     */
    <T> Future<T> act(JsonObject body, String action, BiFunction<ActionRequest, List<Instance>, Future<T>> local) {
        ActionRequest request = ActionRequest.from(Plain.map(body));
        TargetRequest target = request.target();
        List<String> elsewhere = target.targets().stream()
                .filter(t -> plainName(t) && table.named(t).isEmpty())
                .toList();
        return changeDefinitions(elsewhere, action).compose(fleetElsewhere -> {
            List<String> rest = new ArrayList<>(target.targets());
            rest.removeAll(fleetElsewhere);
            if (rest.isEmpty()) {
                return local.apply(request, instancesOf(fleetElsewhere));
            }
            return targets.resolve(new TargetRequest(rest, target.cwd(), target.env()))
                    .compose(list -> actHere(list, action))
                    .compose(list -> {
                        List<Instance> all = new ArrayList<>(list);
                        all.addAll(instancesOf(fleetElsewhere));
                        return local.apply(request, all);
                    });
        });
    }

    /** The instances the targets reach here, those of fleet apps after their definitions say {@code action}. */
    private Future<List<Instance>> actHere(List<Instance> reached, String action) {
        Set<String> fleetHere = new LinkedHashSet<>();
        reached.stream().filter(i -> i.config().origin().fleet()).forEach(i -> fleetHere.add(i.name()));
        return changeDefinitions(List.copyOf(fleetHere), action).map(acted -> {
            List<Instance> all = new ArrayList<>(
                    reached.stream().filter(i -> !acted.contains(i.name())).toList());
            all.addAll(instancesOf(acted));
            return all;
        });
    }

    /**
     * {@code jpm start api} of a fleet app (resting, or of no instance here): its definition runs
     * again on every member; empty when {@code name} is no fleet app (this daemon starts it as before).
     */
    Future<Optional<List<Instance>>> startByName(String name) {
        List<Instance> here = table.named(name);
        if (!plainName(name)
                || !here.isEmpty() && !here.get(0).config().origin().fleet()) {
            return Future.succeededFuture(Optional.empty());
        }
        return changeDefinitions(List.of(name), "start")
                .map(acted -> acted.isEmpty() ? Optional.empty() : Optional.of(instancesOf(acted)));
    }

    /**
     * After a resurrect (or a restore at the daemon's start): the fleet apps it brought back are
     * written back into the cluster when it lacks them (every member was down: the cluster's map went
     * with the last), as at a join; a restore that ends after the join would leave them out else.
     */
    void restored() {
        if (table.all().stream().anyMatch(i -> i.config().origin().fleet())) {
            JsonObject request = new JsonObject().put("names", new JsonArray()).put("action", FLEET_KEPT);
            vertx.eventBus().request(Addresses.INTERNAL_FLEET_ACT, request, PLACING); // no cluster: nothing to keep
        }
    }

    /** Fleet apps gone from their ecosystem file: deleted on every member. */
    Future<List<String>> delete(List<String> names) {
        return changeDefinitions(names, "delete");
    }

    /** The instances here of these fleet apps, after their share was made to match. */
    private List<Instance> instancesOf(List<String> names) {
        List<Instance> here = new ArrayList<>();
        names.forEach(n -> here.addAll(table.named(n)));
        return here;
    }

    /** The fleet apps among {@code names} whose definitions now say {@code action}; none without a cluster. */
    private Future<List<String>> changeDefinitions(List<String> names, String action) {
        return fleetAct(names, action, new JsonObject()).map(Acted::names);
    }

    /** What the cluster switch did to the fleet apps among some names, and every member's answer. */
    private record Acted(List<String> names, JsonArray processes) {
        static final Acted NONE = new Acted(List.of(), new JsonArray());
    }

    /** {@code action} on the fleet apps among {@code names}, on every member; none without a cluster. */
    private Future<Acted> fleetAct(List<String> names, String action, JsonObject command) {
        if (names.isEmpty()) {
            return Future.succeededFuture(Acted.NONE);
        }
        JsonObject request = new JsonObject()
                .put("names", new JsonArray(names))
                .put("action", action)
                .put("request", command);
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_FLEET_ACT, request, PLACING)
                .map(reply -> reply.body().getJsonObject("data", new JsonObject()))
                .map(data -> new Acted(
                        data.getJsonArray("fleet", new JsonArray()).stream()
                                .map(String.class::cast)
                                .toList(),
                        data.getJsonArray("processes", new JsonArray())))
                .recover(e -> noCluster(e) ? Future.succeededFuture(Acted.NONE) : Future.failedFuture(e));
    }

    /**
     * restart, reload or describe on targets where a fleet app is one app across the cluster: the
     * fleet apps the targets name (those of no instance here too) or reach (through an instance here)
     * are done by every member up that runs them, each answering for its instances with its host;
     * {@code local} does the rest here, on a body whose targets are what is left. Without a cluster
     * it is {@code local} on the body.
     */
    Future<JsonArray> verb(JsonObject body, String action, Function<JsonObject, Future<JsonArray>> local) {
        TargetRequest target = TargetRequest.from(Plain.map(body));
        List<String> elsewhere = target.targets().stream()
                .filter(t -> plainName(t) && table.named(t).isEmpty())
                .toList();
        return fleetAct(elsewhere, action, body).compose(first -> {
            List<String> rest = new ArrayList<>(target.targets());
            rest.removeAll(first.names());
            if (rest.isEmpty()) {
                return Future.succeededFuture(first.processes());
            }
            if (first.names().isEmpty()
                    && table.all().stream().noneMatch(i -> i.config().origin().fleet())) {
                return local.apply(body); // no fleet app here: as without a cluster
            }
            return targets.resolve(new TargetRequest(rest, target.cwd(), target.env()))
                    .compose(reached -> {
                        Set<String> fleetHere = new LinkedHashSet<>();
                        reached.stream()
                                .filter(i -> i.config().origin().fleet())
                                .forEach(i -> fleetHere.add(i.name()));
                        return fleetAct(List.copyOf(fleetHere), action, body).compose(second -> {
                            List<String> others = reached.stream()
                                    .filter(i -> !second.names().contains(i.name()))
                                    .map(i -> String.valueOf(i.pmId))
                                    .toList();
                            Future<JsonArray> here = fleetHere.isEmpty()
                                    ? local.apply(body.copy().put("targets", new JsonArray(rest)))
                                    : others.isEmpty()
                                            ? Future.succeededFuture(new JsonArray())
                                            : local.apply(body.copy().put("targets", new JsonArray(others)));
                            return here.map(done ->
                                    done.copy().addAll(second.processes()).addAll(first.processes()));
                        });
                    });
        });
    }

    /**
     * {@code jpm scale api <count>} of a fleet app (by its name, here or not): its definition's
     * per-host instances change and every member up follows it, each answering with its instances;
     * any other app is {@code local}'s.
     */
    Future<JsonArray> scale(JsonObject body, Function<JsonObject, Future<JsonArray>> local) {
        String name = ScaleRequest.from(Plain.map(body)).name();
        List<Instance> here = table.named(name);
        if (!plainName(name)
                || !here.isEmpty() && !here.get(0).config().origin().fleet()) {
            return local.apply(body);
        }
        return fleetAct(List.of(name), "scale", body)
                .compose(acted ->
                        acted.names().isEmpty() ? local.apply(body) : Future.succeededFuture(acted.processes()));
    }

    /**
     * {@link Addresses#INTERNAL_GOD_FLEET_VERB}: a fleet command asked of this member, on its own
     * instances of the apps named only: their summaries ({@code share}: after its share was made to
     * match), or {@code verbs}' answer on a body whose targets are those apps.
     */
    Future<JsonArray> here(JsonObject body, Map<String, Function<JsonObject, Future<JsonArray>>> verbs) {
        String action = body.getString("action", "");
        List<String> names = body.getJsonArray("names", new JsonArray()).stream()
                .map(String::valueOf)
                .filter(n -> table.named(n).stream()
                        .anyMatch(i -> i.config().origin().fleet()))
                .toList();
        if (names.isEmpty()) {
            return Future.succeededFuture(new JsonArray());
        }
        if (FLEET_SHARE.equals(action)) {
            return Future.succeededFuture(Listing.summariesOf(instancesOf(names)));
        }
        Function<JsonObject, Future<JsonArray>> verb = verbs.get(action);
        if (verb == null) {
            return Future.failedFuture(new JpmException(JpmError.INVALID_ARGUMENT, "no fleet verb '" + action + "'"));
        }
        return verb.apply(body.getJsonObject("request", new JsonObject()).copy().put("targets", new JsonArray(names)));
    }

    /** A target that can only be an app's name (no id, no file, no regex, not all). */
    private static boolean plainName(String target) {
        return !target.equals("all") && !target.matches("\\d+") && !target.startsWith("/") && !target.contains(".");
    }
}
