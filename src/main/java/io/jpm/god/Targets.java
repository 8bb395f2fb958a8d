package io.jpm.god;

import io.jpm.config.AppConfigParser;
import io.jpm.config.EcosystemFile;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.TargetRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A command's targets ({@code <id|name|all|/regex/|script|ecosystem file>...}) as instances of the
 * table; those naming ecosystem files are read first, off the event loop. The matching rules are
 * {@link ProcessTable#resolve}'s.
 */
final class Targets {
    private final Vertx vertx;
    private final ProcessTable table;

    Targets(Vertx vertx, ProcessTable table) {
        this.vertx = vertx;
        this.table = table;
    }

    /** The targets of a command's body ({@link TargetRequest}). */
    Future<List<Instance>> of(JsonObject body) {
        return resolve(TargetRequest.from(Plain.map(body)));
    }

    /** A verb on targets ({@link ActionRequest}): its targets resolved, then the action on them. */
    Future<?> act(JsonObject body, BiFunction<ActionRequest, List<Instance>, Future<?>> action) {
        ActionRequest request = ActionRequest.from(Plain.map(body));
        return resolve(request.target()).compose(list -> action.apply(request, list));
    }

    Future<List<Instance>> resolve(TargetRequest request) {
        List<String> files = request.targets().stream()
                .filter(EcosystemFile::isEcosystemFile)
                .toList();
        if (files.isEmpty()) {
            return Future.succeededFuture(table.resolve(request.targets(), Map.of(), Path.of(request.cwd())));
        }
        return vertx.executeBlocking(
                        () -> {
                            Map<String, List<String>> fileApps = new HashMap<>();
                            for (String file : files) {
                                Path path = Path.of(request.cwd()).resolve(file).normalize();
                                if (Files.isRegularFile(path)) {
                                    fileApps.put(
                                            file,
                                            appNames(StartPlanner.readApps(
                                                    path, request.env(), Path.of(request.cwd()))));
                                }
                            }
                            return fileApps;
                        },
                        false)
                .map(fileApps -> {
                    for (String file : files) {
                        if (!fileApps.containsKey(file) && table.named(file).isEmpty()) {
                            // pm2 reads a name like this as a file: no such file is the error, not no such app
                            throw new JpmException(
                                    JpmError.UNKNOWN_TARGET,
                                    "file "
                                            + Path.of(request.cwd())
                                                    .resolve(file)
                                                    .normalize() + " not found");
                        }
                    }
                    return table.resolve(request.targets(), fileApps, Path.of(request.cwd()));
                });
    }

    /** The first of pm2's spellings of an option that the app gives. */
    private static Object firstOf(JsonObject app, String... names) {
        for (String name : names) {
            if (app.getValue(name) != null) {
                return app.getValue(name);
            }
        }
        return null;
    }

    /** The names an ecosystem file gives its apps (pm2's default for those without one). */
    private static List<String> appNames(JsonArray apps) {
        List<String> names = new ArrayList<>();
        for (Object app : apps) {
            Object script =
                    app instanceof JsonObject o ? firstOf(o, AppOption.SCRIPT.key, "exec", "cmd", "command") : null;
            if (script instanceof String s) {
                JsonObject o = (JsonObject) app;
                names.add(o.getValue(AppOption.NAME.key) instanceof String n ? n : AppConfigParser.defaultName(s));
            }
        }
        return names;
    }
}
