package io.jpm.balancer;

import io.jpm.config.BalancerOptions.Balance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The upstreams of one app and the choice of the next one. Pure: no Vert.x, unit-tested. */
final class Rotation {
  private final Map<Integer, Upstream> byPid = new LinkedHashMap<>();
  private int cursor;

  void add(Upstream upstream) {
    byPid.put(upstream.pid, upstream);
  }

  Upstream remove(int pid) {
    return byPid.remove(pid);
  }

  Upstream get(int pid) {
    return byPid.get(pid);
  }

  Collection<Upstream> all() {
    return byPid.values();
  }

  long readyCount() {
    return byPid.values().stream().filter(u -> u.state() == Upstream.State.READY).count();
  }

  /**
   * The next ready upstream not in {@code tried}, or null when there is none. Round-robin walks the
   * ready ones in order; least-connections (and HTTP, by requests in flight) takes the least busy,
   * round-robin among equals so that idle instances share the load too.
   */
  Upstream pick(Balance balance, Set<Upstream> tried) {
    List<Upstream> ready = new ArrayList<>();
    for (Upstream u : byPid.values()) {
      if (u.state() == Upstream.State.READY && !tried.contains(u)) {
        ready.add(u);
      }
    }
    if (ready.isEmpty()) {
      return null;
    }
    int start = Math.floorMod(cursor++, ready.size());
    if (balance == Balance.ROUND_ROBIN) {
      return ready.get(start);
    }
    Upstream best = null;
    for (int k = 0; k < ready.size(); k++) {
      Upstream u = ready.get((start + k) % ready.size());
      if (best == null || u.active < best.active) {
        best = u;
      }
    }
    return best;
  }
}
