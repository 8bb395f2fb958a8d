package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ConfKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.TargetRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What set, unset, get, conf and multiset share for pm2's module configuration
 * (JPM_HOME/module_conf.json, {@link ConfKeys}): the daemon writes the file ({@code jpm.cmd.set});
 * reads come from the file itself, shown as pm2 shows them (lib/API/Configuration.js), one
 * copy/paste line per value under each module.
 */
final class ModuleConfig {
    private ModuleConfig() {}

    /** One key and its value (null: unset). */
    record Pair(String key, String value) {}

    /**
     * {@code set} and {@code multiset}: the pairs written, then, as pm2 does, the app the first key
     * names restarted with the client's environment ({@code --update-env}) so it gets the new
     * values. No such app is no error: pm2 says nothing then either.
     */
    static void set(Session session, List<Pair> pairs) throws IOException {
        for (Pair pair : pairs) {
            hintWhenLikeASetting(pair.key());
        }
        write(session, pairs);
        String app = app(pairs.get(0).key());
        if (app == null) {
            return;
        }
        TargetRequest target = new TargetRequest(List.of(app), System.getProperty("user.dir"), System.getenv());
        try {
            session.request(
                    Addresses.CMD_RESTART, new ActionRequest(target, true, null, 0, ActionRequest.Watch.KEEP).toMap());
        } catch (CliException e) {
            if (e.error != JpmError.UNKNOWN_TARGET) {
                System.err.println("jpm: " + app + " not restarted: " + e.getMessage());
            }
            return;
        }
        session.out.println("[jpm] Module " + app + " restarted");
    }

    /** {@code unset <key>}; {@code unset all} empties the file. */
    static void unset(Session session, String key) throws IOException {
        write(session, List.of(new Pair(key, null)));
    }

    private static void write(Session session, List<Pair> pairs) throws IOException {
        List<Object> list = new ArrayList<>();
        for (Pair pair : pairs) {
            split(pair.key()); // a key pm2 refuses is refused before the daemon is asked
            Map<String, Object> p = Json.object();
            p.put("key", pair.key());
            p.put("value", pair.value());
            list.add(p);
        }
        Map<String, Object> body = Json.object();
        body.put("pairs", list);
        Json.Value done = session.request(Addresses.CMD_SET, body);
        for (Map.Entry<String, Object> e : done.path("settings").asMap().entrySet()) {
            session.out.println("[jpm] " + session.home.settings() + ": " + e.getKey()
                    + (e.getValue() == null ? " unset (the default applies)" : " = " + Json.text(e.getValue())));
        }
        for (Json.Value note : done.path("notes")) {
            session.out.println("[jpm] " + note.asText());
        }
    }

    /** {@code get <key>} of a module configuration key, pm2's way; exit 1 when it is not set. */
    static void print(Session session, String key) throws IOException {
        Map<String, Object> conf = read(session);
        List<String> parts = split(key);
        Object value = conf;
        for (String part : parts) {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new CliException(JpmError.UNKNOWN_TARGET, key + " is not set in " + session.home.moduleConf());
            }
            value = map.get(part);
        }
        if (parts.size() > 1) {
            session.out.println("Value for module " + parts.get(0) + " key " + parts.get(1) + ": " + text(value));
        } else if (value instanceof Map<?, ?>) {
            show(session.out, conf, key);
            session.out.println("Modules configuration. Copy/Paste line to edit values.");
        } else {
            session.out.println(text(value)); // pm2 prints only the line above, never the value
        }
    }

    /** pm2's listing: each module (an object at the top) with one {@code jpm set} line per value; {@code only} null: all. */
    static void show(Session session, String only) throws IOException {
        show(session.out, read(session), only);
    }

    private static void show(PrintStream out, Map<String, Object> conf, String only) throws IOException {
        for (Map.Entry<String, Object> module : conf.entrySet()) {
            if ((only == null || only.equals(module.getKey())) && module.getValue() instanceof Map<?, ?> values) {
                out.println("Module: " + module.getKey());
                for (Map.Entry<?, ?> e : values.entrySet()) {
                    out.println("$ jpm set " + module.getKey() + ":" + e.getKey() + " " + text(e.getValue()));
                }
            }
        }
    }

    /** The file as it is now; none is empty. */
    static Map<String, Object> read(Session session) throws IOException {
        Path file = session.home.moduleConf();
        if (!Files.isRegularFile(file)) {
            return Json.object();
        }
        Json.Value conf;
        try {
            conf = Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CliException(JpmError.INVALID_CONFIG, file + " does not read as JSON: " + e.getMessage());
        }
        if (!(conf.raw instanceof Map<?, ?>)) {
            throw new CliException(JpmError.INVALID_CONFIG, file + " does not hold a JSON object");
        }
        return conf.asMap();
    }

    /** The app pm2 restarts after setting {@code key}, null for none. */
    static String app(String key) {
        try {
            return ConfKeys.app(key);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    private static List<String> split(String key) {
        try {
            return ConfKeys.split(key);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /**
     * {@code persist.autodump}: a section of jpm.json with an option it does not have is pm2's module
     * configuration of an app named like the section (an app may be named web); a typo of a setting
     * then says so.
     */
    private static void hintWhenLikeASetting(String key) {
        String[] parts = key.split("\\.");
        if (parts.length >= 2
                && key.indexOf(':') < 0
                && ConfKeys.SETTINGS.containsKey(parts[0])
                && !ConfKeys.isSetting(key)) {
            System.err.println("[jpm] " + key + " is not one of jpm's settings (" + parts[0] + " has "
                    + String.join(
                            ", ",
                            ConfKeys.SETTINGS.get(parts[0]).stream().sorted().toList())
                    + "): kept as pm2 module configuration of an app named " + parts[0]);
        }
    }

    /** A value as pm2 prints it, with JSON for an object where pm2 prints [object Object]. */
    private static String text(Object value) throws IOException {
        return value instanceof String s ? s : Json.text(value);
    }
}
