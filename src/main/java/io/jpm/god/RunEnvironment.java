package io.jpm.god;

import io.jpm.config.BalancerOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What a run's environment holds beyond the app's own env (called off the event loop, at spawn). */
final class RunEnvironment {
  private RunEnvironment() {}

  /**
   * The run's environment: the app's env, the instance index in JPM_INSTANCE_ID and in pm2's
   * instance_var (NODE_APP_INSTANCE unless renamed), increment_var's number plus the index, and
   * for a balanced app its private PORT (which wins over an increment_var named PORT); pm2's
   * pm_id, name and exec_mode.
   */
  static Map<String, String> of(Instance instance, int port, Path home) {
    Map<String, String> env = new HashMap<>(instance.config().env());
    BalancerOptions balancing = instance.config().balancer();
    String index = Integer.toString(instance.index);
    env.put("JPM_INSTANCE_ID", index);
    env.put(balancing.instanceVar(), index);
    if (balancing.incrementVar() != null) {
      env.put(balancing.incrementVar(), Long.toString(incremented(instance)));
    }
    if (port > 0) {
      env.put("PORT", Integer.toString(port));
    }
    env.put("pm_id", Integer.toString(instance.pmId));
    env.put("name", instance.name());
    // as pm2 gives it; jpm-errors.js logs in the mode's own words by it
    env.put("exec_mode", instance.config().execMode() + "_mode");
    env.put("JPM_HOME", home.toString());
    return env;
  }

  /** increment_var's value for this instance: the app's env's number plus the instance index (pm2's rule). */
  static long incremented(Instance instance) {
    String base = instance.config().env().getOrDefault(instance.config().balancer().incrementVar(), "0");
    return Long.parseLong(base) + instance.index;
  }
}
