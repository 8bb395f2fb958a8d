package io.jpm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
}
