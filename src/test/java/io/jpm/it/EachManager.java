package io.jpm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * A differential scenario, run once per process manager: against jpm (or jpm as the scenario names
 * it: {@code "jpm-as-pm2"}, jpm under pm2's name), and against pm2 itself too when {@code
 * PM2_DIFF=1}. The test method takes the {@link Manager} as its parameter; it is killed (its daemon
 * and its apps) once the run is over, passed or failed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachManager.Runs.class)
@interface EachManager {
    /** jpm as the scenario runs it: {@code "jpm"} (bin/jpm), {@code "jpm-as-pm2"} (compat/jpm-as-pm2). */
    String value() default "jpm";

    /** The managers a scenario runs against. */
    final class Runs implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            String jpm = context.getRequiredTestMethod()
                    .getAnnotation(EachManager.class)
                    .value();
            Stream<String> tools = "1".equals(System.getenv("PM2_DIFF")) ? Stream.of(jpm, "pm2") : Stream.of(jpm);
            return tools.map(Run::new);
        }
    }

    /** One run of a scenario: its name is the tool's, its parameter a fresh manager of that tool. */
    record Run(String tool) implements TestTemplateInvocationContext, ParameterResolver {
        @Override
        public String getDisplayName(int invocationIndex) {
            return tool;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Manager.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            try {
                Manager manager = Manager.of(tool);
                context.getStore(Namespace.create(EachManager.class))
                        .put(Manager.class, (CloseableResource) manager::close);
                return manager;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
