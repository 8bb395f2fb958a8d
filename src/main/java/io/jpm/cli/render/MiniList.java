package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewPm2Env;

/** pm2's {@code ls -m} (mini list): a block of {@code key : value} lines per process, no table. */
public final class MiniList {
    private MiniList() {}

    /** pm2's {@code ls -m}: one block per process, {@code key : value} lines. */
    public static String mini(Json.Value processes) {
        StringBuilder out = new StringBuilder();
        long now = System.currentTimeMillis();
        for (ProcessView p : Render.views(processes)) {
            ProcessViewPm2Env env = p.pm2Env();
            out.append("+--- ")
                    .append(Render.text(p.name()))
                    .append('\n')
                    .append("namespace : ")
                    .append(Render.text(env.ecosystem().namespace()))
                    .append('\n')
                    .append("version : ")
                    .append(env.facts().version() == null ? "N/A" : env.facts().version())
                    .append('\n')
                    .append("pid : ")
                    .append(p.pid())
                    .append('\n')
                    .append("pm2 id : ")
                    .append(Render.text(p.listedId()))
                    .append('\n')
                    .append("status : ")
                    .append(Render.text(env.run().status()))
                    .append('\n')
                    .append("mode : ")
                    .append(Render.text(env.program().execMode()).replace("_mode", ""))
                    .append('\n')
                    .append("restarted : ")
                    .append(env.run().restartTime())
                    .append('\n')
                    .append("uptime : ")
                    .append(p.online() ? Render.duration(now - env.run().pmUptime()) : "0")
                    .append('\n')
                    .append("memory usage : ")
                    .append(Render.bytes(p.memory()))
                    .append('\n')
                    .append("error log : ")
                    .append(Render.text(env.logs().errLogPath()))
                    .append('\n')
                    .append("watching : ")
                    .append(env.watch().watching() ? "yes" : "no")
                    .append('\n')
                    .append("PID file : ")
                    .append(Render.text(env.ecosystem().pidPath()))
                    .append("\n\n");
        }
        return out.toString();
    }
}
