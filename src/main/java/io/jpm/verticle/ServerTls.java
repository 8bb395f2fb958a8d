package io.jpm.verticle;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A door's TLS (the bridge's, the HTTP server's): its config's {@code "tls"} object, the PEM key
 * and certificate that {@code io.jpm.config.DoorTls} checked, turned into server options. Absent:
 * the door speaks plain text, and none of the TLS engine is loaded.
 */
public final class ServerTls {
    private ServerTls() {}

    /** {@code options} set up for TLS when {@code config} has a {@code "tls"} object. */
    public static <T extends NetServerOptions> T apply(T options, JsonObject config) {
        JsonObject tls = config.getJsonObject("tls");
        if (tls != null) {
            options.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setKeyPath(tls.getString("key"))
                            .setCertPath(tls.getString("cert")));
        }
        return options;
    }

    /** Whether the door speaks TLS. */
    public static boolean on(JsonObject config) {
        return config.getJsonObject("tls") != null;
    }
}
