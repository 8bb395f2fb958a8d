package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * This member's share of the cluster's fleet apps (docs/CLUSTER.md, "Fleet apps"): given every
 * definition the cluster holds, God makes its own instances match: an app named here that does not
 * run starts with its {@code instances}, one whose definition changed is replaced, one asked to rest
 * stops, one asked to run again restarts what rests, one no longer named here (or deleted) goes. The
 * instances are then God's as any app's: restart policy, logs, health and adoption stay local. A
 * definition already matched ({@code at}) is left alone, so the same news told twice does nothing;
 * a fleet app here that the cluster does not hold is left running (the cluster switch writes it back).
 * One reconcile at a time, on God's loop; the definitions are parsed on a worker.
 */
final class FleetShare {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** God's operations the share is kept with. */
    interface Actions {
        Future<List<Instance>> start(AppConfig config);

        Future<?> stop(List<Instance> instances);

        Future<List<Instance>> restart(List<Instance> instances);

        Future<?> delete(List<Instance> instances);

        /** The app's instances here made {@code config.instances()} many (jpm scale's rules). */
        Future<List<Instance>> scale(AppConfig config);
    }

    private final Vertx vertx;
    private final ProcessTable table;
    private final Actions actions;
    /** Each fleet app's definition (its {@code at}) that the instances here match. */
    private final Map<String, Long> applied = new HashMap<>();
    /** Names of this daemon's own apps a fleet app's name clashes with, said once each. */
    private final Set<String> clashes = new HashSet<>();

    private Future<?> busy = Future.succeededFuture();

    FleetShare(Vertx vertx, ProcessTable table, Actions actions) {
        this.vertx = vertx;
        this.table = table;
        this.actions = actions;
    }

    /** {"node","fleet":[definitions]}: this member's share made to match; reply {"started":[summaries]}. */
    Future<JsonObject> reconcile(JsonObject body) {
        String node = body.getString("node");
        List<FleetDefinition> fleet = new ArrayList<>();
        for (Object o : body.getJsonArray("fleet", new JsonArray())) {
            fleet.add(FleetDefinition.from(Plain.map((JsonObject) o)));
        }
        Future<List<Instance>> done =
                busy.transform(ar -> parse(node, fleet).compose(parsed -> apply(node, fleet, parsed)));
        busy = done;
        return done.map(started -> new JsonObject().put("started", Listing.summariesOf(started)));
    }

    /** The definitions of this member's share as configs, parsed on a worker; one that cannot run here is said. */
    private Future<Map<String, AppConfig>> parse(String node, List<FleetDefinition> fleet) {
        Map<String, Long> seen = Map.copyOf(applied);
        return vertx.executeBlocking(
                () -> {
                    Map<String, AppConfig> parsed = new HashMap<>();
                    for (FleetDefinition d : fleet) {
                        if (d.runsOn(node) && !Long.valueOf(d.at()).equals(seen.get(d.name()))) {
                            try {
                                parsed.put(d.name(), AppConfigParser.parseDumped(entryOn(node, d)));
                            } catch (RuntimeException e) {
                                LOG.warning(() ->
                                        "fleet app '" + d.name() + "' cannot run on " + node + ": " + e.getMessage());
                            }
                        }
                    }
                    return parsed;
                },
                false);
    }

    /** The app as this member reads it: its ecosystem file is its origin on the member it came from only. */
    private static DumpEntry entryOn(String node, FleetDefinition d) {
        DumpEntry app = d.app();
        return node.equals(d.by())
                ? app
                : DumpEntry.builder()
                        .name(app.name())
                        .source(app.source())
                        .env(app.env())
                        .envName(app.envName())
                        .build();
    }

    private Future<List<Instance>> apply(String node, List<FleetDefinition> fleet, Map<String, AppConfig> parsed) {
        List<Future<List<Instance>>> steps = new ArrayList<>();
        for (FleetDefinition d : fleet) {
            List<Instance> here = table.named(d.name());
            if (!here.isEmpty() && !here.get(0).config().origin().fleet()) {
                if (clashes.add(d.name())) {
                    LOG.warning(() -> "fleet app '" + d.name() + "': this daemon runs an app of its own by that"
                            + " name; the fleet's share is not run here");
                }
                continue;
            }
            if (Long.valueOf(d.at()).equals(applied.get(d.name()))) {
                continue;
            }
            if (!d.runsOn(node)) {
                applied.remove(d.name());
                if (!here.isEmpty()) {
                    LOG.info(() -> "fleet app '" + d.name() + "': " + (d.deleted() ? "deleted" : "no longer on " + node)
                            + "; its instances here go");
                    steps.add(actions.delete(here).map(v -> List.of()));
                }
                continue;
            }
            AppConfig config = parsed.get(d.name());
            if (config != null) {
                applied.put(d.name(), d.at());
                steps.add(match(d, config, here));
            }
        }
        return Future.all(steps).map(all -> {
            List<Instance> started = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                started.addAll(all.<List<Instance>>resultAt(i));
            }
            return started;
        });
    }

    /** The options but where and how many: a hosts edit or a scale changes no instance that stays. */
    private static JsonObject withoutPlacement(JsonObject source) {
        JsonObject copy = source.copy();
        copy.remove(AppOption.HOSTS.key);
        copy.remove(AppOption.INSTANCES.key);
        return copy;
    }

    /** The instances here made what {@code d} asks: started, replaced, scaled, stopped or restarted. */
    private Future<List<Instance>> match(FleetDefinition d, AppConfig config, List<Instance> here) {
        if (here.isEmpty()) {
            return d.stopped() ? Future.succeededFuture(List.of()) : actions.start(config);
        }
        if (!withoutPlacement(config.source())
                .equals(withoutPlacement(here.get(0).config().source()))) {
            LOG.info(() -> "fleet app '" + d.name() + "': its definition changed; its instances here are replaced");
            return actions.delete(here)
                    .compose(v -> d.stopped() ? Future.succeededFuture(List.<Instance>of()) : actions.start(config));
        }
        // a hosts edit moves instances between members, a scale changes how many: those that stay run on
        here.forEach(i -> i.reconfigure(config));
        if (d.stopped()) {
            List<Instance> active =
                    here.stream().filter(i -> i.state().isActive()).toList();
            return actions.stop(active).map(v -> List.of());
        }
        Future<List<Instance>> counted =
                here.size() == config.instances() ? Future.succeededFuture(List.of()) : actions.scale(config);
        return counted.compose(scaled -> {
            List<Instance> resting = table.named(d.name()).stream()
                    .filter(i -> !i.state().isActive())
                    .toList();
            return resting.isEmpty() ? Future.succeededFuture(scaled) : actions.restart(resting);
        });
    }
}
