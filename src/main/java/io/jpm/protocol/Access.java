package io.jpm.protocol;

import java.util.Map;
import java.util.Set;

/**
 * What a request's token lets it see. The doors (the bridge, the HTTP server) set
 * {@code "access": "read-only"} in the body of every query sent with the read-only token,
 * overwriting whatever the client put there, so a client cannot claim more than its token; the
 * admin token's queries reach the bus as the client sent them. God answers a read-only
 * {@link Addresses#QUERY_LIST} or {@link Addresses#QUERY_DESCRIBE} with each environment
 * variable's name and {@link #REDACTED} for its value, unless jpm.json's
 * {@code access.read_only_sees_env} is true. The mark rides in the body, not in a header, so it
 * reaches another host's God unchanged through the cluster's per-host doors and clusterList.
 */
public final class Access {
    private Access() {}

    /** The body field a door sets. */
    public static final String FIELD = "access";
    /** Its value for the read-only token. */
    public static final String READ_ONLY = "read-only";
    /** What a withheld value reads as, in {@code pm2_env.env} and in {@code pm2_env}. */
    public static final String REDACTED = "<redacted>";
    /**
     * Variables whose value no listing shows, whichever the token: {@code jpm serve}'s basic-auth
     * password (serve.ServeOptions.PASSWORD). The app gets it in its environment, and dump.json keeps
     * it so that resurrect starts the server with it.
     */
    public static final Set<String> NEVER_LISTED = Set.of("PM2_SERVE_BASIC_AUTH_PASSWORD");

    /** Whether a query's body was sent with the read-only token. */
    public static boolean readOnly(Map<String, Object> body) {
        return body != null && READ_ONLY.equals(body.get(FIELD));
    }

    /** The setting that lets the read-only token see values: {@code access.read_only_sees_env}. */
    public static final String SETTINGS_SECTION = "access";

    public static final String SEES_ENV = "read_only_sees_env";
}
