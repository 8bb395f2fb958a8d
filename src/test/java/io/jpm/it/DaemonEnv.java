package io.jpm.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A variable in the environment of every jpm command of a {@link JpmExtension} test class, so of the
 * daemon they start: a subclass runs its parent's tests again under another setting of the daemon's
 * (NuProcessLogsIT: JPM_LAUNCHER=nuprocess) in the same run as the rest, not in a run of its own.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface DaemonEnv {
    String name();

    String value();
}
