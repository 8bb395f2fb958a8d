package io.jpm.history;

import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code jpm.query.history}: the request read and checked, the store asked, the answer in JSON.
 *
 * <pre>{"from":"6h","to":1795320564471,"step":"5m","apps":["api"]}</pre>
 *
 * {@code from} and {@code to}: epoch milliseconds (a number, or digits), or a duration before now
 * ({@code "90m"}); by default the last hour. {@code step}: milliseconds or a duration, rounded up to
 * 5 s under a minute and to whole minutes above; by default the smallest of {@link #STEPS} that gives
 * at most {@link #AUTO_POINTS} points (under a minute only while the range lies in the last hour, give or
 * take a minute; whole 10 minutes when it reaches past the last 24 h: 20 minutes for 7 days). Points
 * older than 24 h come from the 10 minutes' ring ({@link Tier#WEEK}).
 * {@code apps}: the apps wanted (all by default; the host's totals always come).
 */
final class HistoryQuery {
    static final int MAX_POINTS = 1_500;
    /** An hour at 5 s. */
    static final int AUTO_POINTS = 721;
    /** A bound on what one answer holds: points times series. */
    static final long MAX_FIGURES = 1_000_000;

    static final long[] STEPS = {
        5_000,
        10_000,
        30_000,
        60_000,
        300_000,
        900_000,
        1_200_000,
        1_800_000,
        3_600_000,
        10_800_000,
        21_600_000,
        86_400_000
    };

    private HistoryQuery() {}

    static JsonObject answer(HistoryStore store, JsonObject request, String host, long now) {
        long to = time(request, "to", now, now);
        long from = time(request, "from", to - 3_600_000, now);
        if (from > to) {
            throw invalid("'from' is after 'to'");
        }
        // the minutes reach back 24 h from now at most (a store with no sample yet has no head)
        long minuteStart = Math.max(store.start(Tier.MINUTE), now - Tier.MINUTE.span() + Tier.MINUTE.length);
        long step = step(request, from, to, store.start(Tier.FINE), minuteStart);
        from -= Math.floorMod(from, step);
        to -= Math.floorMod(to, step);
        long points = (to - from) / step + 1;
        if (points > MAX_POINTS) {
            throw invalid(
                    points + " points from 'from' to 'to' at this step: at most " + MAX_POINTS + "; ask a larger step");
        }
        Predicate<String> wanted = wanted(request.getValue("apps"));
        long figures = points * store.seriesCount(wanted);
        if (figures > MAX_FIGURES) {
            throw invalid("the answer would hold " + figures + " figures, at most " + MAX_FIGURES
                    + ": ask fewer apps or a larger step");
        }
        HistoryStore.Answer answer = store.query(from, to, step, wanted);
        JsonObject apps = new JsonObject();
        JsonObject totals = new JsonObject();
        answer.figures().forEach((subject, metrics) -> {
            JsonObject of = Figures.HOST.equals(subject) ? totals : new JsonObject();
            metrics.forEach((metric, values) -> {
                if (metric.startsWith(Metrics.CUSTOM)) {
                    JsonObject custom = of.getJsonObject("custom");
                    if (custom == null) {
                        of.put("custom", custom = new JsonObject());
                    }
                    custom.put(metric.substring(Metrics.CUSTOM.length()), new JsonArray(values));
                } else {
                    of.put(metric, new JsonArray(values));
                }
            });
            if (!Figures.HOST.equals(subject)) {
                apps.put(subject, of);
            }
        });
        return new JsonObject()
                .put("host", host)
                .put("from", from)
                .put("to", to)
                .put("step_ms", step)
                .put("times", new JsonArray(answer.times()))
                .put("totals", totals)
                .put("apps", apps);
    }

    /** A time: epoch ms (a number or digits), or a duration before now ("90m"). */
    static long time(JsonObject request, String field, long otherwise, long now) {
        Object value = request.getValue(field);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        if (value instanceof String s && s.strip().matches("\\d{1,15}")) {
            return Long.parseLong(s.strip());
        }
        long ago = value instanceof String s ? Durations.parseMillis(s) : -1;
        if (ago < 0) {
            throw invalid("'" + field + "' must be epoch milliseconds or a duration before now like \"6h\", got "
                    + new JsonObject().put("v", value).encode().replaceAll("^\\{\"v\":|}$", ""));
        }
        return now - ago;
    }

    static long step(JsonObject request, long from, long to, long fineStart, long minuteStart) {
        Object value = request.getValue("step");
        if (value == null) {
            // a minute of slack: "the last hour" asked by a client's clock reaches a few seconds past the ring
            boolean inFineRing = from >= fineStart - HistoryStore.MINUTE_MS;
            // a range reaching past the minutes' ring: a step of whole 10 minutes (none cut in two)
            long least = from >= minuteStart - HistoryStore.MINUTE_MS ? HistoryStore.FINE_MS : Tier.WEEK.length;
            for (long step : STEPS) {
                boolean fits = step % least == 0 && (step >= HistoryStore.MINUTE_MS || inFineRing);
                if ((to - from) / step + 1 <= AUTO_POINTS && fits) {
                    return step;
                }
            }
            return STEPS[STEPS.length - 1];
        }
        long step = Durations.millis(value);
        if (step < HistoryStore.FINE_MS) {
            throw invalid("'step' must be a duration of at least 5s (milliseconds, or like \"5m\")");
        }
        long length = step < HistoryStore.MINUTE_MS ? HistoryStore.FINE_MS : HistoryStore.MINUTE_MS;
        return (step + length - 1) / length * length;
    }

    private static Predicate<String> wanted(Object apps) {
        if (apps == null) {
            return subject -> true;
        }
        List<?> names =
                apps instanceof JsonArray a ? a.getList() : apps instanceof String s ? List.of(s.split(",")) : null;
        if (names == null || names.stream().anyMatch(n -> !(n instanceof String))) {
            throw invalid("'apps' must be an array of app names");
        }
        Set<Object> set = new HashSet<>(names);
        return subject -> Figures.HOST.equals(subject) || set.contains(subject);
    }

    private static JpmException invalid(String why) {
        return new JpmException(JpmError.INVALID_ARGUMENT, "history: " + why);
    }
}
