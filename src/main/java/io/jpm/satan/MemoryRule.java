package io.jpm.satan;

import io.jpm.protocol.MetricsSample;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** max_memory_restart, checked at every sample: a run over its limit is restarted once. */
final class MemoryRule implements Rule {
    private final Restarter restarter;
    /** The pid a restart was already asked for, by pm_id: a run is not asked about twice. */
    private final Map<Integer, Integer> askedFor = new HashMap<>();

    MemoryRule(Restarter restarter) {
        this.restarter = restarter;
    }

    void onSample(MetricsSample sample, IntFunction<Watched> watched) {
        for (MetricsSample.Usage usage : sample.processes()) {
            Watched w = watched.apply(usage.pmId());
            if (w == null || w.pid == null || w.pid != usage.pid()) {
                continue;
            }
            long limit = w.options.maxMemoryBytes();
            if (limit > 0
                    && usage.memory() > limit
                    && !Integer.valueOf(usage.pid()).equals(askedFor.get(w.pmId))) {
                askedFor.put(w.pmId, usage.pid());
                restarter.restart(
                        w, usage.pid(), "memory " + mb(usage.memory()) + " over max_memory_restart " + mb(limit));
            }
        }
    }

    @Override
    public void online(Watched w) {
        askedFor.remove(w.pmId);
    }

    @Override
    public void applied(Watched w) {
        // the limit is read from w.options at each sample
    }

    @Override
    public void judgeAgain(Watched w, int pid) {
        askedFor.remove(w.pmId);
    }

    @Override
    public void forget(Watched w) {
        askedFor.remove(w.pmId);
    }

    private static String mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024 * 10) / 10.0 + "M";
    }
}
