package io.jpm.protocol;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One key of a {@link ProcessViewPm2Env} part, declared once: its name in pm2_env, the part's value
 * it lists, how a row is read back (with the value an absent key means), whether the ls table shows
 * it, and whether pm2 lists it for every app or only for the apps that have it. The part's
 * {@link Pm2Keys} table writes and reads through it, so no key is spelled twice.
 *
 * @param <P> the part (a record of pm2_env's fields)
 * @param <T> the value's type
 */
public final class Pm2Key<P, T> {
    /** Where pm2 lists a key: with every app's keys, or after them and only when the app has it. */
    enum Pass {
        EVERY_APP,
        WHEN_SET
    }

    private final String name;
    private final Function<P, T> value;
    private final BiFunction<Fields, String, T> read;
    private final boolean table;
    /** Null for a key of every app; else whether a value is listed (pm2 omits it when unset). */
    private final Predicate<T> set;
    /** Null, or the key whose value is this one's name in the row (pm2's instance_var). */
    private final Pm2Key<P, String> namedBy;

    private Pm2Key(
            String name,
            Function<P, T> value,
            BiFunction<Fields, String, T> read,
            boolean table,
            Predicate<T> set,
            Pm2Key<P, String> namedBy) {
        this.name = name;
        this.value = value;
        this.read = read;
        this.table = table;
        this.set = set;
        this.namedBy = namedBy;
    }

    /** A key read by {@code read} (given the row and the key's name). */
    static <P, T> Pm2Key<P, T> of(String name, Function<P, T> value, BiFunction<Fields, String, T> read) {
        return new Pm2Key<>(name, value, read, false, null, null);
    }

    static <P> Pm2Key<P, Boolean> bool(String name, boolean absent, Function<P, Boolean> value) {
        return of(name, value, (f, key) -> f.bool(key, absent));
    }

    static <P> Pm2Key<P, Integer> integer(String name, int absent, Function<P, Integer> value) {
        return of(name, value, (f, key) -> f.integer(key, absent));
    }

    /** A number as a long (a time in ms, a byte count). */
    static <P> Pm2Key<P, Long> whole(String name, long absent, Function<P, Long> value) {
        return of(name, value, (f, key) -> f.whole(key, absent));
    }

    /** Text, null when absent. */
    static <P> Pm2Key<P, String> string(String name, Function<P, String> value) {
        return of(name, value, Fields::string);
    }

    /** An array of text, empty when absent. */
    static <P> Pm2Key<P, List<String>> strings(String name, Function<P, List<String>> value) {
        return of(name, value, Fields::strings);
    }

    /**
     * A number listed under the name {@code nameKey} holds, when it holds one: pm2's
     * {@code instance_var} names the key of the instance's index ({@code "NODE_APP_INSTANCE": 0}).
     */
    static <P> Pm2Key<P, Integer> namedBy(Pm2Key<P, String> nameKey, int absent, Function<P, Integer> value) {
        BiFunction<Fields, String, Integer> read = (f, ignored) -> {
            String listedAs = nameKey.read(f);
            return listedAs == null ? absent : f.integer(listedAs, absent);
        };
        return new Pm2Key<>("(" + nameKey.name + ")", value, read, false, null, nameKey);
    }

    /** The same key, shown by the ls table too ({@link ProcessView#toTableMap}). */
    Pm2Key<P, T> table() {
        return new Pm2Key<>(name, value, read, true, set, namedBy);
    }

    /** The same key, listed after every app's keys and only when {@code set} says the app has it. */
    Pm2Key<P, T> whenSet(Predicate<T> listed) {
        return new Pm2Key<>(name, value, read, table, listed, namedBy);
    }

    /** The same key, listed after every app's keys and only when not null. */
    Pm2Key<P, T> whenSet() {
        return whenSet(v -> v != null);
    }

    public String name() {
        return name;
    }

    T read(Fields row) {
        return read.apply(row, name);
    }

    T valueOf(P part) {
        return value.apply(part);
    }

    void write(P part, ProcessViewWriter row, Pass pass) {
        if ((set == null) != (pass == Pass.EVERY_APP)) {
            return;
        }
        T v = value.apply(part);
        String listedAs = namedBy == null ? name : namedBy.valueOf(part);
        if (listedAs == null || set != null && !set.test(v)) {
            return;
        }
        if (table) {
            row.table(listedAs, v);
        } else {
            row.full(listedAs, v);
        }
    }
}
