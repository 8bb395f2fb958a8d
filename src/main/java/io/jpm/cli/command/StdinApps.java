package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code -} target: the apps come as JSON on stdin ({@code echo '{"apps":[...]}' | jpm start -},
 * {@code ... | jpm delete -}), in any of an ecosystem file's JSON shapes: {@code {"apps":[...]}}, an
 * array of apps, or one app.
 */
final class StdinApps {
    private StdinApps() {}

    static final String TARGET = "-";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        Object document;
        try {
            document = Json.parse(bytes).raw;
        } catch (IOException | RuntimeException e) {
            throw CliException.usage("stdin: not JSON apps ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        Object apps = document instanceof Map<?, ?> map && map.containsKey("apps") ? map.get("apps") : document;
        List<Object> list = apps instanceof List<?> l ? new ArrayList<>(l) : apps == null ? List.of() : List.of(apps);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object app : list) {
            if (!(app instanceof Map<?, ?>)) {
                throw CliException.usage("stdin: each app must be an object, got " + app);
            }
            out.add((Map<String, Object>) app);
        }
        if (out.isEmpty()) {
            throw CliException.usage("stdin: no apps (expected {\"apps\":[...]}, an array of apps or one app)");
        }
        return out;
    }

    /** The apps' names, for stop/restart/delete {@code -}. */
    static List<String> names(InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> app : read(in)) {
            Object name = app.get("name");
            if (!(name instanceof String s) || s.isBlank()) {
                throw CliException.usage("stdin: every app needs a name here, got " + Json.text(app));
            }
            names.add(s);
        }
        return names;
    }
}
