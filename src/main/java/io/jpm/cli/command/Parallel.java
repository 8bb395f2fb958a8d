package io.jpm.cli.command;

import io.jpm.cli.CliException;

/** pm2's {@code --parallel N}: at most N instances restarted at a time. */
final class Parallel {
    private Parallel() {}

    static int instances(String value) {
        if (!value.matches("\\d{1,4}") || Long.parseLong(value) < 1) {
            throw CliException.usage(
                    "--parallel expects a number of instances at a time (1 or more), got '" + value + "'");
        }
        return Integer.parseInt(value);
    }
}
