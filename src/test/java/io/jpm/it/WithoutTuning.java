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
 * cluster. Not marked: what tests the tuning itself (RenewalIT, KeptRulesIT's renewal).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(WithoutTuning.TAG)
public @interface WithoutTuning {
    /** The JUnit tag pom.xml's executions select on. */
    String TAG = "without-tuning";
}
