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
 * While a member is lost, the switch asks for more instances here than {@code instances} (its {@code
 * counts}: this member's part of the lost one's share, {@code FleetDeal}), and while a member that
 * came back is not ready yet it holds what runs here ({@code held}: no instance stops for the count);
 * the extras are more instances of the app, the newest stopped first, and the definition kept as it is.
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

        /**
         * The app's instances here made {@code count} many: jpm scale's rules, but only the newest
         * stop while {@code count} is at least {@code config.instances()} (extras, no own instance).
         */
        Future<List<Instance>> scale(AppConfig config, int count);
    }

    private final Vertx vertx;
    private final ProcessTable table;
    private final Actions actions;
    /** Each fleet app's definition (its {@code at}), count and hold that the instances here match. */
    private final Map<String, String> applied = new HashMap<>();
    /** Names of this daemon's own apps a fleet app's name clashes with, said once each. */
    private final Set<String> clashes = new HashSet<>();

    private Future<?> busy = Future.succeededFuture();

    FleetShare(Vertx vertx, ProcessTable table, Actions actions) {
        this.vertx = vertx;
        this.table = table;
        this.actions = actions;
    }

    /** How many instances an app has here, and whether none may stop for that count now. */
    private record Count(int count, boolean held) {}

    /**
     * {"node","fleet":[definitions],"counts":{app:n},"held":[apps]}: this member's share made to
     * match; reply {"started":[summaries]}.
     */
    Future<JsonObject> reconcile(JsonObject body) {
        String node = body.getString("node");
        List<FleetDefinition> fleet = new ArrayList<>();
        for (Object o : body.getJsonArray("fleet", new JsonArray())) {
            fleet.add(FleetDefinition.from(Plain.map((JsonObject) o)));
        }
        JsonObject counts = body.getJsonObject("counts", new JsonObject());
        List<?> held = body.getJsonArray("held", new JsonArray()).getList();
        Map<String, Count> wanted = new HashMap<>();
        counts.forEach(
                e -> wanted.put(e.getKey(), new Count(((Number) e.getValue()).intValue(), held.contains(e.getKey()))));
        Future<List<Instance>> done =
                busy.transform(ar -> parse(node, fleet, wanted).compose(parsed -> apply(node, fleet, parsed, wanted)));
        busy = done;
        return done.map(started -> new JsonObject().put("started", Listing.summariesOf(started)));
    }

    /** The definitions of this member's share as configs, parsed on a worker; one that cannot run here is said. */
    private Future<Map<String, AppConfig>> parse(String node, List<FleetDefinition> fleet, Map<String, Count> wanted) {
        Map<String, String> seen = Map.copyOf(applied);
        return vertx.executeBlocking(
                () -> {
                    Map<String, AppConfig> parsed = new HashMap<>();
                    for (FleetDefinition d : fleet) {
                        if (d.runsOn(node) && !key(d, wanted).equals(seen.get(d.name()))) {
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

    /** What the instances here match: the definition's {@code at}, the count asked and whether it holds. */
    private static String key(FleetDefinition d, Map<String, Count> wanted) {
        return d.at() + "/" + wanted.get(d.name());
    }

    private Future<List<Instance>> apply(
            String node, List<FleetDefinition> fleet, Map<String, AppConfig> parsed, Map<String, Count> wanted) {
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
            if (key(d, wanted).equals(applied.get(d.name()))) {
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
                applied.put(d.name(), key(d, wanted));
                steps.add(match(d, config, here, wanted.getOrDefault(d.name(), new Count(config.instances(), false))));
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
    private Future<List<Instance>> match(FleetDefinition d, AppConfig config, List<Instance> here, Count wanted) {
        if (here.isEmpty()) {
            return d.stopped() ? Future.succeededFuture(List.of()) : started(config, wanted.count());
        }
        if (!withoutPlacement(config.source())
                .equals(withoutPlacement(here.get(0).config().source()))) {
            LOG.info(() -> "fleet app '" + d.name() + "': its definition changed; its instances here are replaced");
            return actions.delete(here)
                    .compose(v -> d.stopped()
                            ? Future.succeededFuture(List.<Instance>of())
                            : started(config, wanted.count()));
        }
        // a hosts edit moves instances between members, a scale changes how many: those that stay run on
        here.forEach(i -> i.reconfigure(config));
        if (d.stopped()) {
            List<Instance> active =
                    here.stream().filter(i -> i.state().isActive()).toList();
            return actions.stop(active).map(v -> List.of());
        }
        int count = wanted.held() ? Math.max(wanted.count(), here.size()) : wanted.count();
        if (count != config.instances()) {
            LOG.info(() -> "fleet app '" + d.name() + "': " + count + " instance(s) here, " + config.instances()
                    + " its own" + (wanted.held() ? ", held until the members back are ready" : ""));
        }
        Future<List<Instance>> counted =
                here.size() == count ? Future.succeededFuture(List.of()) : actions.scale(config, count);
        return counted.compose(scaled -> {
            List<Instance> resting = table.named(d.name()).stream()
                    .filter(i -> !i.state().isActive())
                    .toList();
            return resting.isEmpty() ? Future.succeededFuture(scaled) : actions.restart(resting);
        });
    }

    /** The app started here with its {@code instances}, then made {@code count} many. */
    private Future<List<Instance>> started(AppConfig config, int count) {
        return actions.start(config)
                .compose(first -> count == first.size()
                        ? Future.succeededFuture(first)
                        : actions.scale(config, count).map(more -> {
                            List<Instance> all = new ArrayList<>(first);
                            all.addAll(more);
                            return all;
                        }));
    }
}
