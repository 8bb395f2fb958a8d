package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ProcessViewPm2Env;
import io.jpm.verticle.PartlyEncoded;
import java.util.Map;
import java.util.Objects;

/**
 * Each instance's pm2_env as a jlist row lists it, but its changing fields ({@link
 * ProcessViewPm2Env#CHANGING}), kept encoded while what it is built from stays the same: the app's
 * config (replaced whole by any change to it), the run's module environment, the instance's ids and
 * log files, watch and monitoring turned on or off, and how much of the environment is shown. A
 * listing then builds and encodes only the changing fields of each row ({@link PartlyEncoded}); the
 * steady ~90% of a row's values, the environment twice among them, are copied as bytes.
 *
 * <p>Held by the instance itself, so a deleted one's goes with it (a map by instance kept ~4 MB of a
 * thousand deleted apps' parts until its next use); one view per instance: a second client with
 * another view (the read-only token's names only) rebuilds it when they alternate. ~4 KB per
 * instance. God's loop only.
 */
final class SteadyParts {
    private SteadyParts() {}

    /** What the steady part is built from; compared by identity where a change replaces the object. */
    record Source(
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

    /** An instance's steady part as encoded, with what it was built from. */
    record Kept(Source source, byte[] encoded) {}

    /** The instance's pm2_env for a full row: its changing fields fresh, the rest as encoded last time. */
    static PartlyEncoded pm2Env(Instance i, EnvView view, Object listedId) {
        Source source = Source.of(i, view);
        Kept kept = i.steady();
        if (kept == null || !kept.source().same(source)) {
            kept = new Kept(
                    source, PartlyEncoded.fieldsOf(Pm2EnvView.of(i, view).steadyMap()));
            i.steady(kept);
        }
        return new PartlyEncoded(
                ProcessViewPm2Env.changingMap(listedId, Pm2EnvView.run(i), Pm2EnvView.codeMetrics(i)), kept.encoded());
    }
}
