package io.jpm.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts this daemon knows of, by node name: those in the cluster now ({@link #UP}) and those
 * that were and left ({@link #LEFT}: stopped, killed or cut off), kept so a cluster-wide query can
 * say they are unreachable rather than forget them. Written by {@link Membership} from Hazelcast's
 * threads, read by {@link ClusterSide}: a local map of the daemon's own Vert.x, safe from any thread.
 */
final class Members {
  static final String UP = "up";
  static final String LEFT = "left";
  private static final String MAP = "jpm.cluster.members";

  private final LocalMap<String, String> map;

  Members(Vertx vertx) {
    this.map = vertx.sharedData().getLocalMap(MAP);
  }

  void up(String node) {
    map.put(node, UP);
  }

  void left(String node) {
    map.put(node, LEFT);
  }

  /** Forgets every host: this daemon left the cluster. */
  void clear() {
    map.clear();
  }

  /** Every known node and its state, sorted by name. */
  Map<String, String> known() {
    return new TreeMap<>(map);
  }
}
