package io.jpm.verticle;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Every jpm address means "this daemon": when daemons form one clustered bus (docs/CLUSTER.md)
 * an event published here must not reach another host's consumers, nor a bridge client
 * registered there (the bridge registers cluster-wide consumers). Consumers are registered with
 * {@code localConsumer}; publishes go with {@link #only()}. What crosses hosts goes only through
 * the {@code jpm.host.<node>.*} addresses of the cluster package.
 */
public final class LocalBus {
  private LocalBus() {}

  /** Fresh delivery options for a publish that stays in this daemon. */
  public static DeliveryOptions only() {
    return new DeliveryOptions().setLocalOnly(true);
  }
}
