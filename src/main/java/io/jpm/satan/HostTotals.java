package io.jpm.satan;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This host's totals for the dashboard's every-host view ({@link Addresses#QUERY_HOST}): the
 * machine's cpu, memory, load and the free space of JPM_HOME's file system, and the apps by state.
 * Read only when asked, on a worker (/proc and statvfs reads may wait), so an idle daemon pays
 * nothing for it; the apps' figures come from God's list, which carries Satan's last sample.
 */
public final class HostTotals {
    private static final long LIST_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final Path home;
    private final String hostname;
    /** The previous ask's /proc/stat busy and total ticks: the cpu % is the machine's since then. */
    private long[] previous;

    private HostTotals(Vertx vertx, Path home, String hostname) {
        this.vertx = vertx;
        this.home = home;
        this.hostname = hostname;
    }

    /** Answers {@link Addresses#QUERY_HOST} on {@code vertx}'s bus for this daemon. */
    static void serve(Vertx vertx, Path home, String hostname) {
        HostTotals totals = new HostTotals(vertx, home, hostname);
        vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_HOST, totals::answer);
    }

    private void answer(Message<JsonObject> message) {
        Future<JsonObject> machine = vertx.executeBlocking(this::machine, false);
        Future<JsonArray> list = vertx.eventBus()
                .<JsonObject>request(
                        Addresses.QUERY_LIST,
                        new JsonObject().put("env", false),
                        new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))
                .map(reply -> reply.body().getJsonArray("data", new JsonArray()));
        Future.all(machine, list)
                .onSuccess(v -> message.reply(Reply.ok(withApps(machine.result(), list.result()))))
                .onFailure(e -> message.fail(JpmError.INTERNAL.code(), "host totals: " + e.getMessage()));
    }

    /** The apps by status (pm2's words), and the sums of their cpu and memory. */
    static JsonObject withApps(JsonObject totals, JsonArray processes) {
        JsonObject byStatus = new JsonObject();
        double cpu = 0;
        long memory = 0;
        for (Object o : processes) {
            if (!(o instanceof JsonObject p)) {
                continue;
            }
            String status = p.getJsonObject("pm2_env", new JsonObject()).getString("status", "unknown");
            byStatus.put(status, byStatus.getInteger(status, 0) + 1);
            JsonObject monit = p.getJsonObject("monit", new JsonObject());
            cpu += monit.getDouble("cpu", 0.0);
            memory += monit.getLong("memory", 0L);
        }
        return totals.put("apps", byStatus)
                .put("processes", processes.size())
                .put("apps_cpu", Math.round(cpu * 10) / 10.0)
                .put("apps_memory", memory);
    }

    private synchronized JsonObject machine() throws IOException {
        BlockingCall.check("a read of /proc/stat, meminfo, loadavg and statvfs of JPM_HOME");
        String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
        long total = kib(meminfo, "MemTotal:") * 1024;
        long available = kib(meminfo, "MemAvailable:") * 1024;
        FileStore store = Files.getFileStore(home);
        return new JsonObject()
                .put("hostname", hostname)
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .put("cpu", cpuPercent(Files.readAllLines(Path.of("/proc/stat")).get(0)))
                .put("memory", new JsonObject().put("used", total - available).put("total", total))
                .put(
                        "load",
                        new JsonArray()
                                .add(Double.parseDouble(load[0]))
                                .add(Double.parseDouble(load[1]))
                                .add(Double.parseDouble(load[2])))
                .put(
                        "disk",
                        new JsonObject()
                                .put("path", home.toString())
                                .put("free", store.getUsableSpace())
                                .put("total", store.getTotalSpace()));
    }

    /**
     * The machine's busy share since the previous ask (since boot on the first): the cpu line's
     * ticks, idle and iowait counted as not busy.
     */
    private double cpuPercent(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        long busy = total - Long.parseLong(f[4]) - (f.length > 5 ? Long.parseLong(f[5]) : 0);
        long[] now = {busy, total};
        long[] before = previous == null ? new long[] {0, 0} : previous;
        previous = now;
        long span = now[1] - before[1];
        return span <= 0 ? 0.0 : Math.round(1000.0 * (now[0] - before[0]) / span) / 10.0;
    }

    private static long kib(List<String> meminfo, String key) {
        return meminfo.stream()
                .filter(l -> l.startsWith(key))
                .findFirst()
                .map(l -> Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]))
                .orElse(0L);
    }
}
