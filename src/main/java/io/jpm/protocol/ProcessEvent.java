package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Published on {@link Addresses#EVENTS_PROCESS} at every lifecycle transition.
 *
 * <pre>{"app":"api","pm_id":0,"pid":1234,"from":"online","to":"waiting restart",
 *  "reason":"exited with code 1","exit_code":1,"signal":null,"time":1700000000000,"host":"box","old_run":false}</pre>
 *
 * {@code from} is null for a process that did not exist before; {@code pid} is null when none
 * runs; {@code signal} names the signal that ended the process when jpm knows it (e.g. SIGKILL).
 * {@code old_run} is true on the events of a run a rolling reload is replacing (pm2's
 * {@code _old_<pm_id>}): the pm_id already belongs to the new run, so a subscriber that keeps state
 * by pm_id leaves these out (docs/PROTOCOL.md, "Reload").
 */
public record ProcessEvent(
        String app,
        int pmId,
        Integer pid,
        String from,
        String to,
        String reason,
        Integer exitCode,
        String signal,
        long time,
        String host,
        boolean oldRun) {
    /** The {@code to} of the event that ends an instance's life: it left the process table. */
    public static final String DELETED = "deleted";
    /**
     * How the {@code reason} of a restart the file watch asked for begins ({@code watch: /srv/app/a.js
     * changed}), on the events of that restart: jpm-dev's {@code --post-exec} follows it.
     */
    public static final String WATCH_REASON = "watch: ";

    /**
     * An event built by naming each field ({@code ProcessEvent.builder().app(a).from(f).to(t)...build()}):
     * from, to, reason and signal are all strings, so a positional call could swap them without a
     * compiler error.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("pm_id", pmId);
        json.put("pid", pid);
        json.put("from", from);
        json.put("to", to);
        json.put("reason", reason);
        json.put("exit_code", exitCode);
        json.put("signal", signal);
        json.put("time", time);
        json.put("host", host);
        json.put("old_run", oldRun);
        return json;
    }

    public static ProcessEvent from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new ProcessEvent(
                f.string("app"),
                f.integer("pm_id", -1),
                f.integer("pid"),
                f.string("from"),
                f.string("to"),
                f.string("reason"),
                f.integer("exit_code"),
                f.string("signal"),
                f.whole("time", 0L),
                f.string("host"),
                f.bool("old_run", false));
    }

    /** Fields not named stay null, 0 or false. */
    public static final class Builder {
        private String app;
        private int pmId;
        private Integer pid;
        private String from;
        private String to;
        private String reason;
        private Integer exitCode;
        private String signal;
        private long time;
        private String host;
        private boolean oldRun;

        private Builder() {}

        public Builder app(String app) {
            this.app = app;
            return this;
        }

        public Builder pmId(int pmId) {
            this.pmId = pmId;
            return this;
        }

        public Builder pid(Integer pid) {
            this.pid = pid;
            return this;
        }

        public Builder from(String from) {
            this.from = from;
            return this;
        }

        public Builder to(String to) {
            this.to = to;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder exitCode(Integer exitCode) {
            this.exitCode = exitCode;
            return this;
        }

        public Builder signal(String signal) {
            this.signal = signal;
            return this;
        }

        public Builder time(long time) {
            this.time = time;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder oldRun(boolean oldRun) {
            this.oldRun = oldRun;
            return this;
        }

        public ProcessEvent build() {
            return new ProcessEvent(app, pmId, pid, from, to, reason, exitCode, signal, time, host, oldRun);
        }
    }
}
