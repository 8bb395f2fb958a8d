package io.jpm.protocol;

import java.util.Map;

/** pm2_env's instance variables, as the app's balancer options name them. */
public final class Pm2EnvInstance extends Pm2Part {
    public static final Pm2Key<Pm2EnvInstance, String> INSTANCE_VAR = Pm2Key.string("instance_var");
    public static final Pm2Key<Pm2EnvInstance, Integer> INDEX = Pm2Key.namedBy(INSTANCE_VAR, 0);
    public static final Pm2Key<Pm2EnvInstance, String> INCREMENT_VAR =
            Pm2Key.<Pm2EnvInstance>string("increment_var").whenSet();

    public static final Pm2Keys<Pm2EnvInstance> KEYS =
            new Pm2Keys<>(Pm2EnvInstance::new, INSTANCE_VAR, INDEX, INCREMENT_VAR);

    private Pm2EnvInstance(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    /**
     * The name under which pm2_env lists the instance's index (pm2's God.injectVariables), null for
     * none.
     */
    public String instanceVar() {
        return get(INSTANCE_VAR);
    }

    public int index() {
        return get(INDEX);
    }

    /** Null (not listed) without one. */
    public String incrementVar() {
        return get(INCREMENT_VAR);
    }
}
