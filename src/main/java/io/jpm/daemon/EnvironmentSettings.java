package io.jpm.daemon;

import io.jpm.protocol.JpmEnv;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two daemon settings pm2 reads from its environment, read here under jpm's name first, then
 * pm2's, so a pm2 user's environment keeps working: where the daemon's pid goes besides
 * JPM_HOME/jpm.pid ({@code JPM_PID_FILE_PATH}, pm2's {@code PM2_PID_FILE_PATH}), and whether every
 * app is stopped by a {@code 'shutdown'} message as if it had {@code shutdown_with_message}
 * ({@code JPM_KILL_USE_MESSAGE}, pm2's {@code PM2_KILL_USE_MESSAGE}). Both are read once, when the
 * daemon starts, from the environment of the command that started it.
 */
record EnvironmentSettings(Path pidFile, boolean killUseMessage) {
    /** Words that turn a switch off; pm2 reads any value as on, even {@code false}. */
    private static final Set<String> OFF = Set.of("", "0", "false", "no", "off");

    static EnvironmentSettings of(Map<String, String> env, Path cwd) {
        String pidFile = either(env, JpmEnv.PID_FILE_PATH, "PM2_PID_FILE_PATH");
        String kill = either(env, JpmEnv.KILL_USE_MESSAGE, "PM2_KILL_USE_MESSAGE");
        return new EnvironmentSettings(
                pidFile == null || pidFile.isBlank()
                        ? null
                        : cwd.resolve(pidFile).normalize(),
                kill != null && !OFF.contains(kill.trim().toLowerCase(Locale.ROOT)));
    }

    private static String either(Map<String, String> env, JpmEnv jpm, String pm2Name) {
        String value = jpm.in(env);
        return value != null && !value.isEmpty() ? value : env.get(pm2Name);
    }
}
