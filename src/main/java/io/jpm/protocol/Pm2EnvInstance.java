package io.jpm.protocol;

/**
 * pm2_env's instance variables, as the app's balancer options name them.
 *
 * @param instanceVar the name under which pm2_env lists the instance's index (pm2's
 *     God.injectVariables), null for none
 * @param incrementVar null (not listed) without one
 */
public record Pm2EnvInstance(String instanceVar, int index, String incrementVar) {
    public static final Pm2Key<Pm2EnvInstance, String> INSTANCE_VAR =
            Pm2Key.string("instance_var", Pm2EnvInstance::instanceVar);
    public static final Pm2Key<Pm2EnvInstance, Integer> INDEX = Pm2Key.namedBy(INSTANCE_VAR, 0, Pm2EnvInstance::index);
    public static final Pm2Key<Pm2EnvInstance, String> INCREMENT_VAR =
            Pm2Key.string("increment_var", Pm2EnvInstance::incrementVar).whenSet();

    public static final Pm2Keys<Pm2EnvInstance> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvInstance(v.get(INSTANCE_VAR), v.get(INDEX), v.get(INCREMENT_VAR)),
            INSTANCE_VAR,
            INDEX,
            INCREMENT_VAR);
}
