package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.ProcessState;
import java.util.List;
import java.util.Map;

/**
 * The process table's code run once on a made-up row, its text dropped: {@code jpm ls} runs it once
 * its queries are sent ({@code BridgeClient.requestAll}), so the table's one-time costs (its classes'
 * initialisation, the first run of each call in the interpreter: ~5-8 ms of a fresh JVM) are paid
 * while the daemon answers rather than after the reply.
 */
public final class TableWarmUp {
    private TableWarmUp() {}

    public static void run() {
        Map<String, Object> env = Map.of(
                "namespace",
                "default",
                "status",
                ProcessState.ONLINE.word(),
                "restart_time",
                0L,
                "pm_uptime",
                System.currentTimeMillis(),
                AppOption.EXEC_MODE.key(),
                "fork_mode",
                "watch",
                false,
                "version",
                "N/A",
                "username",
                "jpm");
        Map<String, Object> row = Map.of(
                "pid",
                1L,
                "name",
                "warm-up",
                "pm2_env",
                env,
                "pm_id",
                0L,
                "monit",
                Map.of("memory", 1L << 20, "cpu", 0.0));
        Render.table(Render.sorted(new Json.Value(List.of(row, row)), "name"));
    }
}
