package io.jpm.protocol;

import java.util.List;

/**
 * An option's default for every app that gives none, set for the whole daemon: the starting command's
 * {@code variable} (else pm2's {@code pm2Variable}, as pm2's daemon reads it from its environment) becomes
 * the {@code -D property} of the daemon's command line (cli.transport.DaemonJvm), a flag rather than its
 * environment, so the daemon a keeper starts for {@code jpm update} takes the updating command's value.
 */
public record DaemonDefault(JpmEnv variable, String pm2Variable, String property) {
    /** The {@code -Dproperty=ms} for these variables' values, none when neither holds a whole number of ms. */
    public List<String> flag(String value, String pm2Value) {
        String given = value != null && !value.isBlank() ? value : pm2Value;
        return given != null && given.trim().matches("\\d{1,9}")
                ? List.of("-D" + property + "=" + Long.parseLong(given.trim()))
                : List.of();
    }

    /** The daemon's value, {@code declared} when its command line sets none. */
    long value(long declared) {
        return Long.getLong(property, declared);
    }
}
