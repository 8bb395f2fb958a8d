package io.jpm.cli.command;

import io.jpm.cli.Syntax;
import io.jpm.protocol.Addresses;

/**
 * {@code jpm monitor|unmonitor <targets>...}: pm2's flag for its hosted agent, pm2_env._km_monitored,
 * set or cleared, kept across restarts and listed by jlist and prettylist as pm2 lists it. Nothing of
 * jpm reads it: jpm has no hosted service, and its code metrics go wherever someone follows them.
 */
public final class MonitorCommand extends TargetActionCommand {
    private MonitorCommand(Syntax syntax, String address, String done) {
        super(syntax, address, done);
    }

    public static MonitorCommand monitor() {
        return new MonitorCommand(
                Syntax.of("monitor")
                        .operands(TARGETS, 1, Syntax.MANY)
                        .summary("mark the processes monitored (pm2_env._km_monitored: true), as pm2 does"),
                Addresses.CMD_MONITOR,
                "monitored");
    }

    public static MonitorCommand unmonitor() {
        return new MonitorCommand(
                Syntax.of("unmonitor")
                        .operands(TARGETS, 1, Syntax.MANY)
                        .summary("mark the processes unmonitored (pm2_env._km_monitored: false), as pm2 does"),
                Addresses.CMD_UNMONITOR,
                "unmonitored");
    }
}
