package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What set, unset, get and conf share for jpm's settings file JPM_HOME/jpm.json, dotted keys
 * ({@code persist.auto_dump}) that name a section and one of its options ({@code ConfKeys});
 * any other key is pm2's module configuration ({@link ModuleConfig}). The daemon writes the file, only when the whole of it validates, and
 * applies it as it applies any edit; reads come from the file itself.
 */
final class Settings {
    private Settings() {}

    /** {@code value} null: back to the default. */
    static void write(Session session, String key, String value) throws IOException {
        Map<String, Object> body = Json.object();
        body.put("key", key);
        body.put("value", value);
        Json.Value done = session.request(Addresses.CMD_SET, body);
        session.out.println("[jpm] " + done.path("file").asText() + ": " + key
                + (value == null ? " unset (the default applies)" : " = " + done.path("value")));
    }

    /** {@code key} null: the whole file, when there is one. */
    static void print(Session session, String key) throws IOException {
        Path file = session.home.settings();
        Json.Value settings =
                Files.isRegularFile(file) ? Json.parse(Files.readAllBytes(file)) : new Json.Value(Json.object());
        if (key == null) {
            if (Files.isRegularFile(file)) {
                session.out.println(Json.pretty(settings));
            }
            return;
        }
        Json.Value value = settings;
        for (String part : key.split("\\.")) {
            if (!value.has(part)) {
                throw new CliException(
                        JpmError.UNKNOWN_TARGET, key + " is not set in " + file + ": the default applies");
            }
            value = value.path(part);
        }
        session.out.println(value.raw instanceof String s ? s : Json.pretty(value));
    }
}
