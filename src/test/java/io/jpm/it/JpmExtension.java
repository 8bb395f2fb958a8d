package io.jpm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One real jpm (temporary JPM_HOME, real daemon) per test class, injected as a {@link Jpm}
 * parameter, its commands with the class's {@link DaemonEnv} if it has one. After each test every app is deleted, so tests start from an empty table; after the
 * class, the daemon is killed. A test during which the daemon made a blocking call on an event loop
 * fails ({@link BlockingCallLines}). A failed test prints the tail of the daemon's log, the only account
 * of what the daemon did when the failure happened on a CI machine.
 */
public final class JpmExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(JpmExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Jpm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return jpm(context);
    }

    private static Jpm jpm(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NS);
        String key = context.getRequiredTestClass().getName();
        return store.getOrComputeIfAbsent(
                key,
                k -> {
                    DaemonEnv env = context.getRequiredTestClass().getAnnotation(DaemonEnv.class);
                    try {
                        return new Jpm(List.of(), env == null ? Map.of() : Map.of(env.name(), env.value()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                Jpm.class);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Jpm jpm = context.getRoot()
                .getStore(NS)
                .get(context.getRequiredTestClass().getName(), Jpm.class);
        if (jpm != null) {
            HostLogs.printTail(context.getDisplayName(), jpm.home.resolve("daemon.log"));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Jpm jpm = context.getRoot()
                .getStore(NS)
                .get(context.getRequiredTestClass().getName(), Jpm.class);
        // jpm delete all, asked from here while the daemon answers (as DaemonList asks its list)
        if (jpm != null
                && Files.isRegularFile(jpm.home.resolve("jpm.pid"))
                && !DaemonList.deleteAll(jpm.home, jpm.scratch)) {
            jpm.cli("delete", "all");
        }
        if (jpm != null) {
            jpm.blockingCalls.assertNoneSince("during " + context.getDisplayName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Jpm jpm = context.getRoot()
                .getStore(NS)
                .remove(context.getRequiredTestClass().getName(), Jpm.class);
        if (jpm != null) {
            jpm.close();
        }
    }
}
