package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ProcessEvent;
import java.util.function.Consumer;

/** An instance of app api for the tests of God's plain classes: its logs under /logs, on host box. */
final class ApiInstance {
    private ApiInstance() {}

    /** Instance {@code pmId} ({@code index}) of {@code config}, with {@code combinedLog} when not null. */
    static Instance of(
            int pmId, int index, AppConfig config, String combinedLog, String pidFile, Consumer<ProcessEvent> events) {
        return new Instance(
                pmId, index, config, "/logs/api-out.log", "/logs/api-error.log", combinedLog, pidFile, "box", events);
    }
}
