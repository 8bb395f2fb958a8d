package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.BlockingCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code GET /}: the JSON of pm2's old {@code pm2 web} (lib/HttpInterface.js), so a monitor written
 * for it reads jpm unchanged: {@code {"system_info":{"hostname","uptime"},"monit":{"loadavg",
 * "total_mem","free_mem","cpu","interfaces"},"processes":<jlist>}}. The machine's figures are
 * node's {@code os} module's, read from /proc the way libuv reads them (uptime in seconds, memory
 * in bytes, free memory as MemAvailable, cpu times in ms).
 */
final class Pm2WebView {
    private final Vertx vertx;
    private final BusCall bus;

    Pm2WebView(Vertx vertx, BusCall bus) {
        this.vertx = vertx;
        this.bus = bus;
    }

    void serve(RoutingContext ctx) {
        Future<JsonObject> machine = vertx.executeBlocking(Pm2WebView::machine, false);
        Future<Object> list = bus.request(
                Addresses.QUERY_LIST, HttpTokenRules.query(ctx, new JsonObject()), BusCall.QUERY_TIMEOUT_MS);
        Future.all(machine, list)
                .onSuccess(v -> {
                    JsonObject view = machine.result().put("processes", list.result());
                    HttpReplies.json(ctx, 200, view);
                })
                .onFailure(e -> HttpReplies.fail(ctx, e));
    }

    private static JsonObject machine() throws IOException {
        BlockingCall.check("a read of /proc/meminfo, loadavg, cpuinfo, stat");
        List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
        String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return new JsonObject()
                .put(
                        "system_info",
                        new JsonObject()
                                .put(
                                        "hostname",
                                        Files.readString(Path.of("/proc/sys/kernel/hostname"))
                                                .trim())
                                .put(
                                        "uptime",
                                        Double.parseDouble(Files.readString(Path.of("/proc/uptime"))
                                                .trim()
                                                .split("\\s+")[0])))
                .put(
                        "monit",
                        new JsonObject()
                                .put(
                                        "loadavg",
                                        new JsonArray()
                                                .add(Double.parseDouble(load[0]))
                                                .add(Double.parseDouble(load[1]))
                                                .add(Double.parseDouble(load[2])))
                                .put("total_mem", kib(meminfo, "MemTotal:") * 1024)
                                .put("free_mem", kib(meminfo, "MemAvailable:") * 1024)
                                .put("cpu", cpus())
                                .put("interfaces", interfaces()));
    }

    private static long kib(List<String> meminfo, String key) {
        return meminfo.stream()
                .filter(l -> l.startsWith(key))
                .findFirst()
                .map(l -> Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]))
                .orElse(0L);
    }

    /** node's os.cpus(): model and MHz per cpu, and its times from /proc/stat (clock ticks of 10 ms). */
    private static JsonArray cpus() throws IOException {
        List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
        List<String> models = info.stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .toList();
        List<String> speeds = info.stream()
                .filter(l -> l.startsWith("cpu MHz"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .toList();
        JsonArray cpus = new JsonArray();
        int i = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (!line.matches("cpu\\d+ .*")) {
                continue;
            }
            String[] t = line.split("\\s+");
            cpus.add(new JsonObject()
                    .put("model", i < models.size() ? models.get(i) : "")
                    .put("speed", i < speeds.size() ? (long) Double.parseDouble(speeds.get(i)) : 0)
                    .put(
                            "times",
                            new JsonObject()
                                    .put("user", Long.parseLong(t[1]) * 10)
                                    .put("nice", Long.parseLong(t[2]) * 10)
                                    .put("sys", Long.parseLong(t[3]) * 10)
                                    .put("idle", Long.parseLong(t[4]) * 10)
                                    .put("irq", Long.parseLong(t[6]) * 10)));
            i++;
        }
        return cpus;
    }

    /** node's os.networkInterfaces(): name to its addresses. */
    private static JsonObject interfaces() throws IOException {
        JsonObject all = new JsonObject();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            byte[] hw = nic.getHardwareAddress();
            String mac = hw == null
                    ? "00:00:00:00:00:00"
                    : HexFormat.ofDelimiter(":").formatHex(hw);
            JsonArray addresses = new JsonArray();
            for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                InetAddress ip = a.getAddress();
                boolean v4 = ip.getAddress().length == 4;
                String address = ip.getHostAddress().replaceAll("%.*$", "");
                addresses.add(new JsonObject()
                        .put("address", address)
                        .put("netmask", netmask(a.getNetworkPrefixLength(), v4))
                        .put("family", v4 ? "IPv4" : "IPv6")
                        .put("mac", mac)
                        .put("internal", nic.isLoopback())
                        .put("cidr", address + "/" + a.getNetworkPrefixLength()));
            }
            all.put(nic.getName(), addresses);
        }
        return all;
    }

    private static String netmask(int prefix, boolean v4) {
        byte[] mask = new byte[v4 ? 4 : 16];
        for (int i = 0; i < prefix && i < mask.length * 8; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(mask).getHostAddress().replaceAll("%.*$", "");
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
