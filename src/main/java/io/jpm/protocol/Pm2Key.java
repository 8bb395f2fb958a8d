package io.jpm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One key of a {@link ProcessViewPm2Env} part, declared once: its name in pm2_env, its type and the
 * value an absent key reads as, whether the ls table shows it, and whether pm2 lists it for every
 * app or only for the apps that have it. The part's {@link Pm2Keys} table writes, reads and builds
 * the part through its keys, so no key is spelled twice. Declared by kind, not with a function per
 * key: every {@code jpm ls} reads its rows through them, and each lambda is a call site the
 * client's JVM links at its start.
 *
 * @param <P> the part whose key it is
 * @param <T> the value's type
 */
public final class Pm2Key<P extends Pm2Part, T> {
    /** Where pm2 lists a key: with every app's keys, or after them and only when the app has it. */
    enum Pass {
        EVERY_APP,
        WHEN_SET
    }

    /** How a row's value is read. */
    private enum Kind {
        BOOL,
        INTEGER,
        WHOLE,
        TEXT,
        TEXTS,
        INTEGERS,
        OBJECT,
        ANY
    }

    /** When a key is listed: one of {@link Pass#WHEN_SET} by the first two, one of every app always or unless null. */
    private enum Listing {
        NOT_NULL,
        TRUE,
        UNLESS_NULL
    }

    private final String name;
    private final Kind kind;
    private final Object absent;
    private final boolean table;
    /** Null (or {@code UNLESS_NULL}) for a key of every app. */
    private final Listing set;
    /** Null, or the key whose value is this one's name in the row (pm2's instance_var). */
    private final Pm2Key<P, String> namedBy;

    private Pm2Key(String name, Kind kind, Object absent, boolean table, Listing set, Pm2Key<P, String> namedBy) {
        this.name = name;
        this.kind = kind;
        this.absent = absent;
        this.table = table;
        this.set = set;
        this.namedBy = namedBy;
    }

    private static <P extends Pm2Part, T> Pm2Key<P, T> of(String name, Kind kind, Object absent) {
        return new Pm2Key<>(name, kind, absent, false, null, null);
    }

    static <P extends Pm2Part> Pm2Key<P, Boolean> bool(String name, boolean absent) {
        return of(name, Kind.BOOL, absent);
    }

    /** A whole number; {@code absent} may be null. */
    static <P extends Pm2Part> Pm2Key<P, Integer> integer(String name, Integer absent) {
        return of(name, Kind.INTEGER, absent);
    }

    /** A number as a long (a time in ms, a byte count); {@code absent} may be null. */
    static <P extends Pm2Part> Pm2Key<P, Long> whole(String name, Long absent) {
        return of(name, Kind.WHOLE, absent);
    }

    /** Text, null when absent. */
    static <P extends Pm2Part> Pm2Key<P, String> string(String name) {
        return of(name, Kind.TEXT, null);
    }

    /** An array of text, empty when absent. */
    static <P extends Pm2Part> Pm2Key<P, List<String>> strings(String name) {
        return of(name, Kind.TEXTS, List.of());
    }

    /** An array of whole numbers (what is not a number left out), empty when absent. */
    static <P extends Pm2Part> Pm2Key<P, List<Integer>> integers(String name) {
        return of(name, Kind.INTEGERS, List.of());
    }

    /** An object of names to plain values, empty when absent. */
    static <P extends Pm2Part> Pm2Key<P, Map<String, Object>> object(String name) {
        return of(name, Kind.OBJECT, Map.of());
    }

    /** Any plain value, as given (an app's option listed as it gave it). */
    static <P extends Pm2Part> Pm2Key<P, Object> any(String name, Object absent) {
        return of(name, Kind.ANY, absent);
    }

    /**
     * A number listed under the name {@code nameKey} holds, when it holds one: pm2's
     * {@code instance_var} names the key of the instance's index ({@code "NODE_APP_INSTANCE": 0}).
     */
    static <P extends Pm2Part> Pm2Key<P, Integer> namedBy(Pm2Key<P, String> nameKey, int absent) {
        return new Pm2Key<>("(" + nameKey.name + ")", Kind.INTEGER, absent, false, null, nameKey);
    }

    /** The same key, shown by the ls table too ({@link ProcessView#toTableMap}). */
    Pm2Key<P, T> table() {
        return new Pm2Key<>(name, kind, absent, true, set, namedBy);
    }

    /** The same key, listed after every app's keys and only when not null; read back, an absent one is null. */
    Pm2Key<P, T> whenSet() {
        return new Pm2Key<>(name, kind, null, table, Listing.NOT_NULL, namedBy);
    }

    /** The same key, listed after every app's keys and only when true. */
    Pm2Key<P, T> whenTrue() {
        return new Pm2Key<>(name, kind, absent, table, Listing.TRUE, namedBy);
    }

    /**
     * The same key, listed with every app's keys unless null: pm2 deletes some from pm2_env for good
     * ({@code reload <app> --node-args=null} leaves no node_args). Read back, an absent one is {@code absent}.
     */
    Pm2Key<P, T> unlessNull() {
        return new Pm2Key<>(name, kind, absent, table, Listing.UNLESS_NULL, namedBy);
    }

    public String name() {
        return name;
    }

    /** The name the key is listed under in {@code part}'s row: its own, or the one its naming key holds. */
    String listedAs(P part) {
        return namedBy == null ? name : part.get(namedBy);
    }

    @SuppressWarnings("unchecked")
    T read(Fields row) {
        String key = namedBy == null ? name : namedBy.read(row);
        if (key == null) {
            return (T) absent;
        }
        Object value =
                switch (kind) {
                    case BOOL -> row.bool(key, (Boolean) absent);
                    case INTEGER -> row.integer(key);
                    case WHOLE -> row.has(key) ? row.whole(key, 0) : null;
                    case TEXT -> row.string(key);
                    case TEXTS -> row.has(key) ? row.strings(key) : null;
                    case INTEGERS -> numbers(row.list(key));
                    case OBJECT -> row.object(key).asMap();
                    case ANY -> row.get(key);
                };
        return (T) (value == null ? absent : value);
    }

    /** Writes {@code value} under the key's name, a key of every app. */
    void write(T value, ProcessViewWriter row) {
        write(name, value, row, Pass.EVERY_APP);
    }

    /** Writes {@code value} under {@code listedAs} if it belongs to this pass and is listed. */
    void write(String listedAs, T value, ProcessViewWriter row, Pass pass) {
        boolean everyApp = set == null || set == Listing.UNLESS_NULL;
        if (everyApp != (pass == Pass.EVERY_APP) || listedAs == null || !listed(value)) {
            return;
        }
        if (table) {
            row.table(listedAs, value);
        } else {
            row.full(listedAs, value);
        }
    }

    private boolean listed(T value) {
        if (set == null) {
            return true;
        }
        return switch (set) {
            case NOT_NULL, UNLESS_NULL -> value != null;
            case TRUE -> Boolean.TRUE.equals(value);
        };
    }

    private static List<Integer> numbers(List<Object> values) {
        List<Integer> integers = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Number n) {
                integers.add(n.intValue());
            }
        }
        return integers;
    }
}
