package io.jpm.alerts;

import io.jpm.config.AlertSettings;
import io.jpm.config.AlertSettings.Rule;
import io.jpm.config.AlertSettings.When;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rules' state and verdicts, with no bus and no clock of its own (the times come with each fact,
 * so it is tested without waiting). A condition is judged per rule and app: when it begins to hold
 * (for memory and cpu: has held for the rule's {@code for}) one {@code firing} alert, nothing more
 * while it holds, one {@code resolved} when it clears. Rate limits: an app's rule fires at most once
 * per window (a condition that flaps is {@code suppressed}, counted), and a rule at most
 * {@code max_per_window} times per window over all its apps (a fleet crashing at once sends a
 * bounded number). A new daemon takes over what the one before it sent ({@link CarriedRules}): a
 * condition whose firing was sent and not resolved is {@code carried}, and holding again on the new
 * daemon fires nothing (the firing sent stands); its end sends the {@code resolved}.
 */
final class RuleBook {
    /** Restart times kept per app: enough for the largest count a rule can ask about, and bounded. */
    static final int MAX_RESTART_TIMES = 1_000;

    private final AlertSettings settings;
    private final Map<String, Condition> conditions = new HashMap<>();
    private final Map<String, ArrayDeque<Long>> restarts = new HashMap<>();
    /** Each rule's recent firings, for its max_per_window. */
    private final Map<String, ArrayDeque<Long>> fired = new HashMap<>();

    private final Map<String, Long> suppressed = new HashMap<>();
    private long nextId;

    /** One rule's condition for one app. */
    private static final class Condition {
        boolean holds;
        long since;
        boolean announced;
        /** Its firing was sent (not held back): its end is sent too. */
        boolean sent;
        /** Its firing was sent by the daemon before this one, and this one has not seen it hold yet. */
        boolean carried;

        long lastFired = Long.MIN_VALUE;
    }

    RuleBook(AlertSettings settings, long firstId) {
        this.settings = settings;
        this.nextId = firstId;
    }

    AlertSettings settings() {
        return settings;
    }

    long nextId() {
        return nextId;
    }

    /** How many alerts each rule did not send for its rate limits. */
    Map<String, Long> suppressed() {
        return suppressed;
    }

    /** An instance of {@code app} exited and is restarted. */
    List<Alert> restarted(String app, long now) {
        ArrayDeque<Long> times = restarts.computeIfAbsent(app, a -> new ArrayDeque<>());
        times.addLast(now);
        if (times.size() > MAX_RESTART_TIMES) {
            times.removeFirst();
        }
        return judgeRestarts(now);
    }

    /** The restart rules judged again: a crash loop that ended clears once its restarts leave the window. */
    List<Alert> judgeRestarts(long now) {
        List<Alert> out = new ArrayList<>();
        for (Rule rule : rules(When.RESTARTS)) {
            for (Map.Entry<String, ArrayDeque<Long>> e : restarts.entrySet()) {
                if (rule.covers(e.getKey())) {
                    long count = within(e.getValue(), now - rule.perMs());
                    String text = e.getKey() + " restarted " + count + " times in " + Figures.duration(rule.perMs())
                            + " (over " + (long) rule.over() + ")";
                    judge(rule, e.getKey(), count >= rule.over(), now, text, out);
                }
            }
        }
        restarts.values().removeIf(times -> {
            times.removeIf(t -> t < now - longestPer());
            return times.isEmpty();
        });
        return out;
    }

    /** When a restart rule's verdict may change with no new fact (its oldest restart leaving the window); -1: never. */
    long nextRestartCheck(long now) {
        long next = -1;
        for (Rule rule : rules(When.RESTARTS)) {
            for (Map.Entry<String, ArrayDeque<Long>> e : restarts.entrySet()) {
                Condition c = conditions.get(key(rule, e.getKey()));
                if (c != null && c.holds && !e.getValue().isEmpty()) {
                    long at = e.getValue().stream()
                                    .filter(t -> t >= now - rule.perMs())
                                    .findFirst()
                                    .orElse(now)
                            + rule.perMs();
                    next = next < 0 ? at : Math.min(next, at);
                }
            }
        }
        return next;
    }

    /** Whether a rule of {@code when} is set: what the verticle listens for. */
    boolean watches(When when) {
        return !rules(when).isEmpty();
    }

    /** A condition of an app as a whole (errored, unhealthy: some instance is) now holds or not. */
    List<Alert> state(When when, String app, boolean holds, long now, String text) {
        List<Alert> out = new ArrayList<>();
        for (Rule rule : rules(when)) {
            if (rule.covers(app)) {
                judge(rule, app, holds, now, text, out);
            }
        }
        return out;
    }

    /** An app's memory (bytes, its instances summed) and cpu (its busiest instance) at a sample. */
    List<Alert> usage(String app, long memory, double cpu, long now) {
        List<Alert> out = new ArrayList<>();
        for (Rule rule : rules(When.MEMORY)) {
            if (rule.covers(app)) {
                String text = app + " uses " + Figures.bytes(memory) + " of memory, over "
                        + Figures.bytes((long) rule.over()) + Figures.forWhile(rule.forMs());
                judge(rule, app, memory > rule.over(), now, text, out);
            }
        }
        for (Rule rule : rules(When.CPU)) {
            if (rule.covers(app)) {
                String text = app + " uses " + Math.round(cpu) + "% cpu, over " + Figures.number(rule.over()) + "%"
                        + Figures.forWhile(rule.forMs());
                judge(rule, app, cpu > rule.over(), now, text, out);
            }
        }
        return out;
    }

    /** An exception: no state to clear, each one may fire (within the rate limits). */
    List<Alert> exception(String app, String text, long now) {
        List<Alert> out = new ArrayList<>();
        for (Rule rule : rules(When.EXCEPTION)) {
            if (rule.covers(app)) {
                Condition c = conditions.computeIfAbsent(key(rule, app), k -> new Condition());
                c.announced = false; // each exception is an event of its own; only the window holds the next back
                fire(rule, app, c, now, text, out);
                c.announced = false;
            }
        }
        return out;
    }

    /** The app left the table: its conditions and restarts go, with no resolved alert for an app that is gone. */
    void forget(String app) {
        restarts.remove(app);
        conditions.keySet().removeIf(k -> k.endsWith("\0" + app));
    }

    /** Whether a rule of {@code when} has a carried firing for {@code app}: any fact of it is judged. */
    boolean carries(When when, String app) {
        for (Rule rule : rules(when)) {
            Condition c = conditions.get(key(rule, app));
            if (c != null && c.carried) {
                return true;
            }
        }
        return false;
    }

    /** What the next daemon takes over: the firings sent and not resolved, the windows' firings, the restarts. */
    CarriedRules carry(long now) {
        List<CarriedRules.Firing> firing = new ArrayList<>();
        conditions.forEach((key, c) -> {
            boolean inWindow = c.lastFired >= now - settings.windowMs();
            if ((c.sent || inWindow) && firing.size() < CarriedRules.MAX_FIRING) {
                int cut = key.indexOf('\0');
                firing.add(new CarriedRules.Firing(key.substring(0, cut), key.substring(cut + 1), c.lastFired, c.sent));
            }
        });
        Map<String, List<Long>> windows = new HashMap<>();
        fired.forEach((rule, times) -> windows.put(
                rule, times.stream().filter(t -> t >= now - settings.windowMs()).toList()));
        Map<String, List<Long>> restartTimes = new HashMap<>();
        restarts.forEach((app, times) -> restartTimes.put(app, List.copyOf(times)));
        return new CarriedRules(firing, windows, restartTimes);
    }

    /**
     * Takes over what the daemon before this one left ({@link #carry}), for the rules still set: a
     * restart rule's firing holds on (its restarts came too, and it clears when they leave its
     * window); an exception rule's window goes on; any other is carried until this daemon sees its condition.
     */
    void takeOver(CarriedRules left) {
        left.restarts().forEach((app, times) -> restarts.put(app, new ArrayDeque<>(times)));
        left.fired().forEach((rule, times) -> fired.put(rule, new ArrayDeque<>(times)));
        for (CarriedRules.Firing f : left.firing()) {
            Rule rule = settings.rules().stream()
                    .filter(r -> r.name().equals(f.rule()) && r.covers(f.app()))
                    .findFirst()
                    .orElse(null);
            if (rule == null) {
                continue;
            }
            Condition c = new Condition();
            c.lastFired = f.fired();
            // an exception is an event, never open: only its window carries over
            c.sent = f.open() && rule.when() != When.EXCEPTION;
            if (c.sent && rule.when() == When.RESTARTS) {
                c.holds = true;
                c.announced = true;
                c.since = f.fired();
            } else {
                c.carried = c.sent;
            }
            conditions.put(key(rule, f.app()), c);
        }
    }

    private void judge(Rule rule, String app, boolean holds, long now, String text, List<Alert> out) {
        String key = key(rule, app);
        Condition c = conditions.get(key);
        if (c == null) {
            if (!holds) {
                return; // nothing held: nothing to remember
            }
            c = new Condition();
            conditions.put(key, c);
        }
        if (holds && !c.holds) {
            c.holds = true;
            c.since = now;
        }
        if (holds && !c.announced && now - c.since >= rule.forMs()) {
            fire(rule, app, c, now, text, out);
        } else if (!holds && (c.holds || c.carried)) {
            c.holds = false;
            c.carried = false;
            c.announced = false;
            if (c.sent) {
                c.sent = false;
                out.add(alert(rule, app, Alert.RESOLVED, now, "resolved: " + text));
            }
            if (c.lastFired < now - settings.windowMs()) {
                conditions.remove(key);
            }
        }
    }

    /**
     * Fires unless a rate limit holds it back: then it is only counted (listing each would let an app
     * that throws in a loop push every other alert out of the history).
     */
    private void fire(Rule rule, String app, Condition c, long now, String text, List<Alert> out) {
        if (c.carried) {
            c.carried = false;
            c.announced = true; // the firing the daemon before this one sent stands
            return;
        }
        ArrayDeque<Long> times = fired.computeIfAbsent(rule.name(), r -> new ArrayDeque<>());
        times.removeIf(t -> t < now - settings.windowMs());
        c.announced = true; // sent or held back, it is not judged again while it holds
        if (c.lastFired >= now - settings.windowMs() || times.size() >= settings.maxPerWindow()) {
            suppressed.merge(rule.name(), 1L, Long::sum);
            return;
        }
        c.lastFired = now;
        c.sent = true;
        times.addLast(now);
        out.add(alert(rule, app, Alert.FIRING, now, text));
    }

    private Alert alert(Rule rule, String app, String status, long now, String text) {
        return new Alert(++nextId, rule.name(), rule.when().word(), app, status, text, now);
    }

    private List<Rule> rules(When when) {
        return settings.rules().stream().filter(r -> r.when() == when).toList();
    }

    private long longestPer() {
        return rules(When.RESTARTS).stream().mapToLong(Rule::perMs).max().orElse(0);
    }

    private static long within(ArrayDeque<Long> times, long from) {
        long n = 0;
        for (Iterator<Long> it = times.descendingIterator(); it.hasNext() && it.next() >= from; ) {
            n++;
        }
        return n;
    }

    private static String key(Rule rule, String app) {
        return rule.name() + "\0" + app;
    }
}
