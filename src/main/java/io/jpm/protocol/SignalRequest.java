package io.jpm.protocol;

import java.util.Map;

/**
 * {@code jpm sendSignal SIGUSR2 api}: a signal name or number, delivered to each target's process
 * group. <pre>{"signal":"SIGUSR2","target":{"targets":["api"],"cwd":"/"}}</pre>
 */
public record SignalRequest(String signal, TargetRequest target) {
    public Map<String, Object> toMap() {
        return Map.of("signal", signal, "target", target.toMap());
    }

    public static SignalRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String signal = f.string("signal");
        if (signal == null || signal.isBlank()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "sendSignal needs a signal, e.g. SIGUSR2");
        }
        return new SignalRequest(signal, TargetRequest.from(f.object("target").asMap()));
    }
}
