package io.jpm.protocol;

/**
 * What pm2_env shows of the app that is no option: its package version, the run's unique id, the
 * user, node's version.
 *
 * @param nodeVersion null when the app is not run by node (then not listed)
 */
public record Pm2EnvFacts(String version, String uniqueId, String username, String nodeVersion) {
    public static final Pm2Key<Pm2EnvFacts, String> VERSION =
            Pm2Key.string("version", Pm2EnvFacts::version).table();
    public static final Pm2Key<Pm2EnvFacts, String> UNIQUE_ID = Pm2Key.string("unique_id", Pm2EnvFacts::uniqueId);
    public static final Pm2Key<Pm2EnvFacts, String> USERNAME =
            Pm2Key.string("username", Pm2EnvFacts::username).table();
    public static final Pm2Key<Pm2EnvFacts, String> NODE_VERSION =
            Pm2Key.string("node_version", Pm2EnvFacts::nodeVersion).whenSet();

    public static final Pm2Keys<Pm2EnvFacts> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvFacts(v.get(VERSION), v.get(UNIQUE_ID), v.get(USERNAME), v.get(NODE_VERSION)),
            VERSION,
            UNIQUE_ID,
            USERNAME,
            NODE_VERSION);
}
