package io.jpm.protocol;

import java.util.Locale;

/**
 * The names of the files in JPM_HOME that people and their scripts read: the daemon's pid file and
 * the user's dump (its previous version beside it with {@code .bak}). jpm's own are jpm.pid and
 * dump.json; {@code JPM_FILE_NAMES=pm2} (what compat/jpm-as-pm2 sets) gives pm2's, pm2.pid and
 * dump.pm2 in pm2's format, so a pm2 user's script that reads {@code ~/.pm2/pm2.pid} or {@code
 * ~/.pm2/dump.pm2} keeps working when jpm runs under pm2's name. Read once by each command and by
 * the daemon, which the command that starts it hands its own names to.
 */
public enum HomeFileNames {
    JPM("jpm.pid", "dump.json"),
    PM2("pm2.pid", "dump.pm2");

    /** The environment variable that chooses: {@code jpm} (or unset) or {@code pm2}. */
    public static final String VARIABLE = JpmEnv.FILE_NAMES.variable;

    private final String pidFile;
    private final String dump;

    HomeFileNames(String pidFile, String dump) {
        this.pidFile = pidFile;
        this.dump = dump;
    }

    public String pidFile() {
        return pidFile;
    }

    public String dump() {
        return dump;
    }

    /** The word {@link #VARIABLE} takes for these names. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What {@link #VARIABLE} says: unset or empty is jpm's; anything but jpm and pm2 is refused, naming it. */
    public static HomeFileNames of(String value) {
        if (value == null || value.isBlank()) {
            return JPM;
        }
        for (HomeFileNames names : values()) {
            if (names.word().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return names;
            }
        }
        throw new JpmException(
                JpmError.INVALID_ARGUMENT,
                VARIABLE + "=" + value + ": jpm (jpm.pid, dump.json) or pm2 (pm2.pid, dump.pm2)");
    }
}
