package io.jpm.protocol;

import java.util.Map;

/**
 * What pm2_env shows of the app that is no option: its package version, the run's unique id, the
 * user, node's version.
 */
public final class Pm2EnvFacts extends Pm2Part {
    public static final Pm2Key<Pm2EnvFacts, String> VERSION =
            Pm2Key.<Pm2EnvFacts>string("version").table();
    public static final Pm2Key<Pm2EnvFacts, String> UNIQUE_ID = Pm2Key.string("unique_id");
    public static final Pm2Key<Pm2EnvFacts, String> USERNAME =
            Pm2Key.<Pm2EnvFacts>string("username").table();
    public static final Pm2Key<Pm2EnvFacts, String> NODE_VERSION =
            Pm2Key.<Pm2EnvFacts>string("node_version").whenSet();

    public static final Pm2Keys<Pm2EnvFacts> KEYS =
            new Pm2Keys<>(Pm2EnvFacts::new, VERSION, UNIQUE_ID, USERNAME, NODE_VERSION);

    private Pm2EnvFacts(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public String version() {
        return get(VERSION);
    }

    public String uniqueId() {
        return get(UNIQUE_ID);
    }

    public String username() {
        return get(USERNAME);
    }

    /** Null when the app is not run by node (then not listed). */
    public String nodeVersion() {
        return get(NODE_VERSION);
    }
}
