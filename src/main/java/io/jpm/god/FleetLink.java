package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * God's side of the fleet apps (docs/CLUSTER.md, "Fleet apps"): a start of an app with {@code
 * hosts} goes to the cluster switch, which checks the hosts and writes its definition, and every
 * named member (this one too) runs its share from it ({@link FleetShare}); a stop, start or delete
 * that reaches a fleet app (by its name, even from a member that runs none of it, or through one of
 * its instances here) changes its definition, so it acts on every member, one that is away included
 * once it is back. Without a cluster, {@code hosts} is refused before anything starts.
 */
final class FleetLink {
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
        for (AppConfig config : fleet) {
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
                .request(Addresses.INTERNAL_FLEET_PLACE, new JsonObject().put("apps", apps), PLACING)
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
        if (names.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        JsonObject request = new JsonObject().put("names", new JsonArray(names)).put("action", action);
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_FLEET_ACT, request, PLACING)
                .map(reply -> reply.body().getJsonObject("data", new JsonObject()))
                .map(data -> data.getJsonArray("fleet", new JsonArray()).stream()
                        .map(String.class::cast)
                        .toList())
                .recover(e -> noCluster(e) ? Future.succeededFuture(List.of()) : Future.failedFuture(e));
    }

    /** A target that can only be an app's name (no id, no file, no regex, not all). */
    private static boolean plainName(String target) {
        return !target.equals("all") && !target.matches("\\d+") && !target.startsWith("/") && !target.contains(".");
    }
}
