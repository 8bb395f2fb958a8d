package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.BalancerOptions;
import io.jpm.config.LogPaths;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * pm2's start flags given to apps that exist ({@code restart api --node-args=...}, {@code start
 * api --cron-restart ...}, {@code -- args}): pm2 merges them into each app's settings and its next
 * run takes them. Here each app is read again from its source with the options over it, validated
 * as a start would, and its targeted instances take the new config; when one app is refused,
 * none changes. What is fixed per instance (how many there are, their log and pid files, a
 * balanced app's public port) is kept, as pm2 keeps it; a change there is refused, naming what
 * does it. Runs on God's event loop; apps are read on a worker.
 */
final class OptionChanges {
    private final Vertx vertx;
    private final ProcessTable table;
    /** Whether an app is on a socket of socket mode now (one its runs listen on, shared by address). */
    private final Predicate<String> onASocket;

    OptionChanges(Vertx vertx, ProcessTable table, Predicate<String> onASocket) {
        this.vertx = vertx;
        this.table = table;
        this.onASocket = onASocket;
    }

    /**
     * @param options pm2's option names as the CLI sends them ({@code StartOptions}); empty changes nothing
     * @param clientCwd where the command was typed: a relative {@code --cwd} is taken from there
     */
    Future<List<Instance>> apply(List<Instance> instances, Map<String, Object> options, Path clientCwd) {
        JsonObject given = new JsonObject(new LinkedHashMap<>(options));
        // pm2 (API.js, _handleAttributeUpdate) drops exec_mode; the script is the app's own
        given.remove(AppOption.EXEC_MODE.key);
        given.remove(AppOption.SCRIPT.key);
        if (given.isEmpty() || instances.isEmpty()) {
            return Future.succeededFuture(instances);
        }
        Map<String, List<Instance>> apps = new LinkedHashMap<>();
        instances.forEach(
                i -> apps.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i));
        checkRename(apps, given.getValue(AppOption.NAME.key));
        Map<String, Integer> counts = new LinkedHashMap<>();
        apps.keySet().forEach(name -> counts.put(name, table.named(name).size()));
        return vertx.executeBlocking(
                        () -> {
                            Map<String, AppConfig> changed = new LinkedHashMap<>();
                            apps.forEach((name, list) -> changed.put(
                                    name, reread(list.get(0).config(), given, clientCwd, counts.get(name))));
                            return changed;
                        },
                        false)
                .map(changed -> {
                    changed.forEach((name, next) ->
                            checkFixed(name, apps.get(name).get(0).config(), next));
                    changed.forEach((name, next) -> apps.get(name).forEach(i -> {
                        i.reconfigure(next);
                        if (given.containsKey(AppOption.WATCH.key)) {
                            i.watchAsConfigured(); // watch paths given: they replace a toggle made before
                        }
                    }));
                    return instances;
                });
    }

    /**
     * The app's source with the options over it, parsed with the env it runs with (pm2's immutable
     * env). An instance count is fixed: the one it runs with is no change (a deploy script that starts
     * {@code app.js -i 4} again), another one is refused.
     */
    private static AppConfig reread(AppConfig config, JsonObject given, Path clientCwd, int count) {
        JsonObject source = config.source().copy().mergeIn(given);
        // pm2's Utility.extendMix: an option given as 'null' is dropped, back to its default
        // (`reload api --node-args=null`)
        given.forEach(e -> {
            if ("null".equals(e.getValue())) {
                source.remove(e.getKey());
            }
        });
        if (AppConfig.clearsNodeArgs(given)) {
            // and pm2 deletes node_args from pm2_env for good: jlist lists none from then on
            source.putNull(AppConfig.NODE_ARGS);
        }
        if (given.containsKey(AppOption.NAME.key)) {
            source.remove(AppOption.NAME_PREFIX.key); // the new name is the whole name: pm2 prefixes only a file's apps
        }
        AppConfigParser parser = new AppConfigParser("command line", clientCwd, config.env())
                .withOrigin(config.origin().file(), config.origin().commandCwd());
        // options of the command line are no edit of the app's file: a hot reload compares what it declares
        AppConfig next = parser.parse(source, config.origin().envName()).withDeclared(config.declared());
        String instances = AppOption.INSTANCES.key;
        if (!given.containsKey(instances)) {
            return next;
        }
        if (next.instances() != count) {
            throw refused("'" + config.name() + "' runs " + count + " instance(s): jpm scale " + config.name() + " "
                    + next.instances() + " changes that, not -i on a restart");
        }
        source.remove(instances);
        if (config.source().containsKey(instances)) {
            source.put(instances, config.source().getValue(instances));
        }
        return parser.parse(source, config.origin().envName()).withDeclared(config.declared());
    }

    /**
     * pm2 renames every target to the name given; jpm renames one whole app, to a name no other app
     * has (pm2 would then list two apps as one), and not a balanced one (its port is the name's) nor
     * one on a socket of socket mode now (the socket keeps the apps on it by name); a socket-mode app
     * that listens on nothing (a Node cluster worker without a server) is renamed as under pm2.
     */
    private void checkRename(Map<String, List<Instance>> apps, Object name) {
        if (!(name instanceof String next) || apps.size() == 1 && apps.containsKey(next)) {
            return;
        }
        if (apps.size() > 1) {
            throw refused("--name gives one app a new name; the targets are " + apps.size() + " apps ("
                    + String.join(", ", apps.keySet()) + ")");
        }
        String now = apps.keySet().iterator().next();
        List<Instance> targeted = apps.get(now);
        if (table.named(now).size() != targeted.size()) {
            throw refused("--name renames a whole app: name '" + now + "' itself, not some of its pm_ids");
        }
        if (!table.named(next).isEmpty()) {
            throw refused("an app named '" + next + "' exists already: give '" + now + "' another name");
        }
        AppConfig config = targeted.get(0).config();
        if (config.balancer().balanced() || config.balancer().sharesSocket() && onASocket.test(now)) {
            throw refused("'" + now
                    + "' listens through a port or socket jpm holds for it by name: delete it and start it again"
                    + " under the new name");
        }
    }

    /** What the options may not change on instances that exist (pm2 keeps those as they are). */
    private static void checkFixed(String name, AppConfig now, AppConfig next) {
        BalancerOptions a = now.balancer();
        BalancerOptions b = next.balancer();
        if (!Objects.equals(a.port(), b.port()) || !Objects.equals(a.host(), b.host()) || a.balance() != b.balance()) {
            throw refused("'" + name
                    + "': its public port, host and balance change with its ecosystem file (a hot reload), or"
                    + " delete it and start it again");
        }
        if (!Objects.equals(now.ecosystem().pidFile(), next.ecosystem().pidFile())) {
            throw refused("'" + name
                    + "' keeps its pid file for its life, as in pm2: delete it and start it again with another --pid");
        }
        boolean logs = !Objects.equals(now.outFile(), next.outFile())
                || !Objects.equals(now.errorFile(), next.errorFile())
                || !Objects.equals(now.logs().logFile(), next.logs().logFile())
                || now.logs().defaultLogFile() != next.logs().defaultLogFile()
                || LogPaths.merged(now) != LogPaths.merged(next);
        if (logs) {
            throw refused("'" + name
                    + "' keeps its log files for its life, as in pm2: delete it and start it again to log elsewhere");
        }
    }

    private static JpmException refused(String why) {
        return new JpmException(JpmError.INVALID_ARGUMENT, why);
    }
}
