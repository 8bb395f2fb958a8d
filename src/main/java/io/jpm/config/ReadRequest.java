package io.jpm.config;

import io.jpm.protocol.Fields;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * On whose behalf an ecosystem file is read: the environment and the folder of the command that
 * named it (pm2 evaluates a JavaScript file there, resolves relative scripts and cwds from there and
 * gives the apps that environment), its {@code --env} name and {@code --only} selection, whether
 * a warning refuses the file ({@code --strict} or jpm.json's {@code ecosystem.strict}), and the
 * options the command gives the apps that do not set them ({@link FileDefaults}). A hot reload
 * reads the file again with the request of the command that started it.
 *
 * @param cwd the command's folder; null: the file's own folder
 * @param envName null when no {@code --env} was given
 * @param only empty: every app
 * @param defaults options by pm2's names for the apps that leave them unset ({@code start <file> --watch})
 */
public record ReadRequest(
        Map<String, String> env,
        Path cwd,
        String envName,
        List<String> only,
        boolean strict,
        Map<String, Object> defaults) {
    public ReadRequest {
        env = Map.copyOf(env);
        only = List.copyOf(only);
        defaults = Map.copyOf(defaults);
    }

    /** A request that gives the apps nothing of its own. */
    public ReadRequest(Map<String, String> env, Path cwd, String envName, List<String> only, boolean strict) {
        this(env, cwd, envName, only, strict, Map.of());
    }

    /** The same request for every app of the file. */
    public ReadRequest allApps() {
        return new ReadRequest(env, cwd, envName, List.of(), strict, defaults);
    }

    /**
     * What a dump keeps of it beside the app's folder and --env name, which its entries hold already
     * (protocol.DumpEntry's "file_read").
     */
    public Map<String, Object> kept() {
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("env", new TreeMap<>(env));
        kept.put("only", only);
        kept.put("strict", strict);
        kept.put("defaults", defaults);
        return kept;
    }

    /** The request a dump kept ({@link #kept}), read in {@code cwd} with {@code envName}. */
    public static ReadRequest fromKept(Map<String, Object> kept, Path cwd, String envName) {
        Fields f = Fields.of(kept);
        return new ReadRequest(
                f.texts("env"),
                cwd,
                envName,
                f.strings("only"),
                f.bool("strict", false),
                f.object("defaults").asMap());
    }
}
