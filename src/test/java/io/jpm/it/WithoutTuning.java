package io.jpm.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An IT that runs with the daemon's memory and wake-up tuning switched off ({@code JPM_TUNING=0}):
 * pom.xml's failsafe execution "untuned" runs the classes so marked, and only those, with that
 * variable in the environment every daemon they start inherits; the execution "tuned" runs the
 * others with the defaults. Half the suite each, so the tuning stays optional (nothing comes to lean
 * on it unseen) at no CI time: no IT runs twice. The marked ones are what keeps apps running
 * whatever the tuning does: the daemon's lifecycle, its keeper, adoption, the balancer, logs, the
 * cluster's faults (a split, a lost host, an update, a join after a crash). Not marked: what tests
 * the tuning itself (RenewalIT, KeptRulesIT's renewal), and the cluster's verbs and fleet placement
 * (ClusterIT, ClusterRemoteIT, FleetIT), which run tuned as a user's daemon does. That also parts the
 * cluster ITs, which start two or three daemons each: all nine at the untuned run's end, five at
 *  once on two cores, a host was not back in the cluster a minute after its update (CI, stop 75).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(WithoutTuning.TAG)
public @interface WithoutTuning {
    /** The JUnit tag pom.xml's executions select on. */
    String TAG = "without-tuning";
}
