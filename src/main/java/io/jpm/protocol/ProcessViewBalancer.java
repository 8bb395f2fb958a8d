package io.jpm.protocol;

import java.util.List;
import java.util.Map;

/** A balanced app's {@code jpm.balancer}: the proxy's counters for this run, or socket mode's sockets. */
public sealed interface ProcessViewBalancer {
    /** The word of socket mode's {@code balance}. */
    String SOCKET = "socket";

    Map<String, Object> toMap();

    static ProcessViewBalancer from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        if (SOCKET.equals(f.string("balance"))) {
            return new Socket(
                    f.string("public_host"),
                    f.integer("public_port"),
                    f.strings("sockets"),
                    f.strings("shared_with"),
                    f.string("state"),
                    f.has("connections") ? f.whole("connections", 0) : null);
        }
        return new Proxy(
                f.string("public_host"),
                f.integer("public_port"),
                f.string("balance"),
                f.integer("private_port"),
                f.string("state"),
                Counters.from(json));
    }

    /**
     * A proxy mode (round-robin, least-connections, http): the run's place in the rotation and its
     * counters (0 and "out" when it is not running).
     *
     * <pre>{"public_host":"127.0.0.1","public_port":8080,"balance":"round-robin","private_port":41000,
     *  "state":"ready","connections":3,"served":40,"per_minute":7,"bytes_in":1000,"bytes_out":2000}</pre>
     *
     * @param privatePort null when none is given to the run
     * @param counters its connections, served, per_minute (connections, http: requests, handed to the
     *     run over the last minute), bytes_in and bytes_out
     */
    record Proxy(
            String publicHost, Integer publicPort, String balance, Integer privatePort, String state, Counters counters)
            implements ProcessViewBalancer {
        public long connections() {
            return counters.connections();
        }

        public long served() {
            return counters.served();
        }

        public long perMinute() {
            return counters.perMinute();
        }

        public long bytesIn() {
            return counters.bytesIn();
        }

        public long bytesOut() {
            return counters.bytesOut();
        }

        @Override
        public Map<String, Object> toMap() {
            ProcessViewWriter row = new ProcessViewWriter(false);
            row.full("public_host", publicHost);
            row.full("public_port", publicPort);
            row.full("balance", balance);
            row.full("private_port", privatePort);
            row.full("state", state);
            row.full("connections", counters.connections());
            row.full("served", counters.served());
            row.full("per_minute", counters.perMinute());
            row.full("bytes_in", counters.bytesIn());
            row.full("bytes_out", counters.bytesOut());
            return row.map();
        }
    }

    /**
     * A proxy's counters for a run, read by name from the balancer's stats or a jlist row (both
     * spell them the same), never built positionally: five longs in a row are not told apart by the compiler.
     */
    record Counters(long connections, long served, long perMinute, long bytesIn, long bytesOut) {
        /** The counters of {@code json}'s keys, 0 for a key it lacks. */
        public static Counters from(Map<String, ?> json) {
            Fields f = Fields.of(json);
            return new Counters(
                    f.whole("connections", 0),
                    f.whole("served", 0),
                    f.whole("per_minute", 0),
                    f.whole("bytes_in", 0),
                    f.whole("bytes_out", 0));
        }
    }

    /**
     * Socket mode: the app's shared sockets, the other apps listening on the same address, and how
     * many connections this run holds on them (in a full describe of a running instance, else absent).
     *
     * <pre>{"balance":"socket","public_host":null,"public_port":8080,"sockets":["0.0.0.0:8080"],
     *  "shared_with":[],"state":"ready","connections":2}</pre>
     *
     * @param state "out", "waiting", "ready" or "not listening", as the proxy modes say it
     */
    record Socket(
            String publicHost,
            Integer publicPort,
            List<String> sockets,
            List<String> sharedWith,
            String state,
            Long connections)
            implements ProcessViewBalancer {
        @Override
        public Map<String, Object> toMap() {
            ProcessViewWriter row = new ProcessViewWriter(false);
            row.full("balance", SOCKET);
            row.full("public_host", publicHost);
            row.full("public_port", publicPort);
            row.full("sockets", sockets);
            row.full("shared_with", sharedWith);
            row.full("state", state);
            row.fullIfPresent("connections", connections);
            return row.map();
        }
    }
}
