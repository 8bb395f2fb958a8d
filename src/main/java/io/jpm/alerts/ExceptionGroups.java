package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The apps' exceptions grouped by app, message (its numbers left out) and place (the first frame of the stack), with a count
 * and when each was first and last seen: the same error thrown a thousand times is one row. Bounded:
 * {@link #MAX_GROUPS} groups, the one seen longest ago dropped for a new one (and counted), each stack
 * kept once, cut at {@link #MAX_STACK} characters. Kept over a daemon restart in JPM_HOME/exceptions.json
 * ({@link AlertFiles}).
 */
final class ExceptionGroups {
    static final int MAX_GROUPS = 500;
    static final int MAX_STACK = 8 * 1024;
    static final int MAX_MESSAGE = 500;
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /** One group; the stack is the first one seen. */
    private static final class Group {
        final String app;
        final String message;
        final String place;
        final String stack;
        final String source;
        long count;
        long first;
        long last;
        int pmId;

        Group(String app, String message, String place, String stack, String source) {
            this.app = app;
            this.message = message;
            this.place = place;
            this.stack = stack;
            this.source = source;
        }
    }

    private long dropped;

    private final Map<String, Group> groups = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
            if (size() > MAX_GROUPS) {
                dropped++;
                return true;
            }
            return false;
        }
    };

    /**
     * One exception seen; returns whether its group is new.
     *
     * @param source {@code stderr} (a stack in the app's error output) or {@code pm2io} (@pm2/io's report)
     */
    boolean add(String app, int pmId, String message, String place, String stack, String source, long time) {
        String shortMessage = cut(message, MAX_MESSAGE);
        String key = key(app, shortMessage, place);
        Group g = groups.get(key);
        boolean fresh = g == null;
        if (fresh) {
            g = new Group(app, shortMessage, place, cut(stack, MAX_STACK), source);
            g.first = time;
            groups.put(key, g);
        }
        g.count++;
        g.last = Math.max(g.last, time);
        g.pmId = pmId;
        return fresh;
    }

    /** "timeout after 1203 ms", "rejection 7": the numbers in a message would make each one a group of its own. */
    private static String key(String app, String message, String place) {
        return app + "\0" + DIGITS.matcher(message).replaceAll("#") + "\0" + place;
    }

    /** What exceptions.json keeps: the groups, the one seen longest ago first (the order they are dropped in). */
    JsonObject save() {
        JsonArray rows = new JsonArray();
        groups.values().forEach(g -> rows.add(row(g)));
        return new JsonObject().put("groups", rows).put("dropped_groups", dropped);
    }

    /**
     * Takes the groups a daemon before this one kept (exceptions.json), cut and bounded as new ones are;
     * throws (ClassCastException, NullPointerException) on a shape this did not write.
     */
    void restore(JsonObject saved) {
        for (Object o : saved.getJsonArray("groups")) {
            JsonObject row = (JsonObject) o;
            String message = cut(Objects.requireNonNull(row.getString("message")), MAX_MESSAGE);
            String place = Objects.requireNonNull(row.getString("place"));
            Group g = new Group(
                    Objects.requireNonNull(row.getString("app")),
                    message,
                    place,
                    cut(row.getString("stack", ""), MAX_STACK),
                    row.getString("source"));
            g.count = row.getLong("count");
            g.first = row.getLong("first_seen");
            g.last = row.getLong("last_seen");
            g.pmId = row.getInteger("pm_id", -1);
            groups.put(key(g.app, message, place), g);
        }
        dropped += saved.getLong("dropped_groups", 0L);
    }

    /** The groups, the last seen first, of one app or of all (app null). */
    JsonObject answer(String app, int limit) {
        List<Group> list = new ArrayList<>(groups.values());
        list.removeIf(g -> app != null && !g.app.equals(app));
        list.sort(Comparator.comparingLong((Group g) -> g.last).reversed());
        JsonArray rows = new JsonArray();
        for (Group g : list.subList(0, Math.min(limit, list.size()))) {
            rows.add(row(g));
        }
        return new JsonObject()
                .put("groups", rows)
                .put("total_groups", list.size())
                .put("dropped_groups", dropped);
    }

    private static JsonObject row(Group g) {
        return new JsonObject()
                .put("app", g.app)
                .put("pm_id", g.pmId)
                .put("message", g.message)
                .put("place", g.place)
                .put("count", g.count)
                .put("first_seen", g.first)
                .put("last_seen", g.last)
                .put("source", g.source)
                .put("stack", g.stack);
    }

    /** The app left the table: its groups go with it. */
    void forget(String app) {
        groups.values().removeIf(g -> g.app.equals(app));
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
