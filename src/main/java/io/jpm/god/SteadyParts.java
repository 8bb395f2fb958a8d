package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ProcessViewPm2Env;
import io.jpm.verticle.PartlyEncoded;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Each instance's pm2_env as a jlist row lists it, but its changing fields ({@link
 * ProcessViewPm2Env#CHANGING}), kept encoded while what it is built from stays the same: the app's
 * config (replaced whole by any change to it), the run's module environment, the instance's ids and
 * log files, watch and monitoring turned on or off, and how much of the environment is shown. A
 * listing then builds and encodes only the changing fields of each row ({@link PartlyEncoded}); the
 * steady ~90% of a row's values, the environment twice among them, are copied as bytes.
 *
 * <p>Held weakly by instance (a deleted one's goes with it), one view per instance: a second client
 * with another view (the read-only token's names only) rebuilds it when they alternate. Bounded by
 * the table: ~4 KB per instance. God's loop only.
 */
final class SteadyParts {
    private final Map<Instance, Entry> byInstance = new WeakHashMap<>();

    /** What the steady part is built from; compared by identity where a change replaces the object. */
    private record Source(
            AppConfig config,
            Map<String, String> moduleEnv,
            String uniqueId,
            String combinedLog,
            boolean watching,
            Boolean monitored,
            EnvView view) {
        static Source of(Instance i, EnvView view) {
            return new Source(
                    i.config(),
                    i.run().moduleEnv(),
                    i.uniqueId(),
                    i.combinedLog(),
                    i.watchdog().watch(),
                    i.monitored(),
                    view);
        }

        boolean same(Source other) {
            return config == other.config
                    && moduleEnv == other.moduleEnv
                    && uniqueId.equals(other.uniqueId)
                    && Objects.equals(combinedLog, other.combinedLog)
                    && watching == other.watching
                    && Objects.equals(monitored, other.monitored)
                    && view == other.view;
        }
    }

    private record Entry(Source source, byte[] encoded) {}

    /** The instance's pm2_env for a full row: its changing fields fresh, the rest as encoded last time. */
    PartlyEncoded pm2Env(Instance i, EnvView view, Object listedId) {
        Source source = Source.of(i, view);
        Entry entry = byInstance.get(i);
        if (entry == null || !entry.source().same(source)) {
            entry = new Entry(
                    source, PartlyEncoded.fieldsOf(Pm2EnvView.of(i, view).steadyMap()));
            byInstance.put(i, entry);
        }
        return new PartlyEncoded(
                ProcessViewPm2Env.changingMap(
                        listedId, Pm2EnvView.run(i), i.run().reported().view(i.channel())),
                entry.encoded());
    }
}
