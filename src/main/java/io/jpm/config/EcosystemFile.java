package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ecosystem file, read and validated whole: {@code {"apps":[...]}} (or a bare array) into app
 * configs in start order. Blocking: call it off the event loop. Nothing is returned unless every
 * app validates.
 */
public final class EcosystemFile {
    private EcosystemFile() {}

    /** Reads, validates and keeps the apps the request names with --only (all when it names none). */
    public static List<AppConfig> read(Path file, ReadRequest request) {
        BlockingCall.check("a read of " + file);
        return parse(file, text(file), request);
    }

    /**
     * A file's apps, and whether its edits are applied as they are saved (its top-level
     * {@code hot_reload}, default true).
     */
    public record Parsed(List<AppConfig> apps, boolean hotReload) {}

    /**
     * As {@link #read}, from the text the file holds. A JavaScript file is evaluated by node as it
     * is on disk, with {@code clientEnv}.
     */
    public static List<AppConfig> parse(Path file, String text, ReadRequest request) {
        return parseWhole(file, text, request).apps();
    }

    /** As {@link #parse}, with the file's own options. */
    public static Parsed parseWhole(Path file, String text, ReadRequest request) {
        Object document = document(file, text, request.env(), request.cwd());
        boolean hotReload = true;
        if (document instanceof JsonObject object && object.containsKey("hot_reload")) {
            if (!(object.getValue("hot_reload") instanceof Boolean b)) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        file + ": hot_reload must be true or false, got " + object.getValue("hot_reload"));
            }
            hotReload = b;
        }
        AppConfigParser parser = AppConfigParser.forFile(file, request.cwd(), request.env())
                .strict(request.strict())
                .withDeployEnv(deployEnv(document, request.envName()));
        JsonArray apps = FileDefaults.apply(appsOf(file, document), request.defaults());
        return new Parsed(select(file, parser.parseAll(apps, request.envName()), request.only()), hotReload);
    }

    /**
     * pm2's mergeEnvironmentVariables: with {@code --env <name>}, the file's {@code deploy.<name>.env}
     * is merged into every app's env (jpm: below the app's own {@code env}, the priority pm2's source
     * states for it; docs/COMPAT.md). Values as in {@code env}.
     */
    private static Map<String, String> deployEnv(Object document, String envName) {
        if (envName == null
                || envName.isBlank()
                || !(document instanceof JsonObject object)
                || !(object.getValue("deploy") instanceof JsonObject deploy)
                || !(deploy.getValue(envName) instanceof JsonObject target)
                || !(target.getValue("env") instanceof JsonObject env)) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        env.forEach(e -> values.put(e.getKey(), OptionReader.envValue(e.getValue())));
        return values;
    }

    private static List<AppConfig> select(Path file, List<AppConfig> configs, List<String> only) {
        if (only.isEmpty()) {
            return configs;
        }
        for (String name : only) {
            if (configs.stream().noneMatch(c -> c.name().equals(name))) {
                throw new JpmException(
                        JpmError.INVALID_ARGUMENT,
                        file + ": --only names '" + name + "', which the file does not declare");
            }
        }
        return configs.stream().filter(c -> only.contains(c.name())).toList();
    }

    public static String text(Path file) {
        BlockingCall.check("a read of " + file);
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new JpmException(JpmError.SCRIPT_NOT_FOUND, "file not found: " + file);
        } catch (IOException e) {
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": cannot read: " + e.getMessage());
        }
    }

    /** A target naming an ecosystem file rather than an app, by pm2's rule ({@link EcosystemFileKind}). */
    public static boolean isEcosystemFile(String target) {
        return EcosystemFileKind.isEcosystemFile(target);
    }

    /**
     * The apps array of an ecosystem file, as pm2 finds it: {@code apps}, else {@code pm2}, else the
     * document itself (an array of apps, or one app). JSON is read leniently, as pm2 evaluates it;
     * JavaScript is evaluated by node with {@code env} ({@link JsEcosystem}).
     */
    public static JsonArray apps(Path file, String text, Map<String, String> env, Path cwd) {
        return appsOf(file, document(file, text, env, cwd));
    }

    /**
     * One top-level section of an ecosystem file other than its apps (pm2's {@code deploy}), read by
     * the same rules as the apps: lenient JSON, YAML, or JavaScript evaluated by node with
     * {@code env} in this JVM's folder (the client's, as pm2's). Plain Java values (maps, lists,
     * strings, numbers, booleans), so the reader needs no JSON library; null when the file has no such section.
     */
    public static Object section(Path file, String name, Map<String, String> env) {
        Object document = document(file, text(file), env, Path.of("").toAbsolutePath());
        return document instanceof JsonObject object ? plain(object.getValue(name)) : null;
    }

    private static Object plain(Object value) {
        if (value instanceof JsonObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (value instanceof JsonArray array) {
            List<Object> list = new ArrayList<>();
            array.forEach(v -> list.add(plain(v)));
            return list;
        }
        return value;
    }

    /**
     * The file's whole document: a {@link JsonObject} or a {@link JsonArray}. JavaScript runs in
     * {@code cwd} (null: the file's own folder), as pm2 runs it where the command was typed. A JSON file is JavaScript to pm2 (it evaluates the text as an expression): one that
     * is not JSON even read leniently is evaluated by node the same way, when node is there.
     */
    private static Object document(Path file, String text, Map<String, String> env, Path cwd) {
        EcosystemFileKind kind = EcosystemFileKind.of(file.getFileName().toString());
        if (kind == EcosystemFileKind.YAML) {
            return YamlText.parse(file, text);
        }
        Map<String, String> callerEnv = env.isEmpty() ? System.getenv() : env;
        if (kind != null && kind.isJavaScript()) {
            return exported(file, JsEcosystem.evaluate(file, callerEnv, cwd));
        }
        try {
            return LenientJson.parse(file, text);
        } catch (JpmException notJson) {
            if (text.isBlank() || JsEcosystem.findNode(callerEnv) == null) {
                throw notJson;
            }
            try {
                return exported(file, JsEcosystem.evaluateExpression(file, callerEnv, cwd));
            } catch (JpmException notJavaScript) {
                throw notJson; // the JSON reader's line and column say more than node's
            }
        }
    }

    private static JsonArray appsOf(Path file, Object json) {
        if (json instanceof JsonArray array) {
            return array;
        }
        JsonObject document = (JsonObject) json;
        Object apps = document.containsKey("apps") ? document.getValue("apps") : document.getValue("pm2");
        if (apps == null && document.getValue(AppOption.SCRIPT.key) instanceof String) {
            return new JsonArray().add(document);
        }
        JsonArray statics = ServeApp.staticApps(file, document.getValue("static"));
        if (apps == null && !statics.isEmpty()) {
            return statics;
        }
        if (apps instanceof JsonObject one) {
            return new JsonArray().add(one).addAll(statics);
        }
        if (!(apps instanceof JsonArray array)) {
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": must hold {\"apps\": [ ... ]}");
        }
        return array.copy().addAll(statics);
    }

    /** What node printed for a JavaScript file: its export, which must be an object or an array. */
    private static Object exported(Path file, String json) {
        String trimmed = json.strip();
        try {
            if (trimmed.startsWith("{")) {
                return new JsonObject(trimmed);
            }
            if (trimmed.startsWith("[")) {
                return new JsonArray(trimmed);
            }
        } catch (DecodeException e) {
            // falls through: not an object
        }
        throw new JpmException(
                JpmError.INVALID_CONFIG,
                file + ": must export {apps: [ ... ]} (module.exports = ...), it exports "
                        + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "..." : trimmed));
    }
}
