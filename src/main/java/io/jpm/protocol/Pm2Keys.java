package io.jpm.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link ProcessViewPm2Env} part's key table: its keys in pm2's order, the one place that writes
 * the part into pm2_env ({@link #write}) and reads it back ({@link #read}), and the part built key by
 * key ({@link #builder}), so its values are given by name, never by position.
 *
 * @param <P> the part
 */
public final class Pm2Keys<P extends Pm2Part> {
    private final List<Pm2Key<P, ?>> keys;
    private final Function<Map<Pm2Key<?, ?>, Object>, P> make;

    /**
     * @param make the part holding these values (its constructor)
     * @param keys in pm2's order
     */
    @SafeVarargs
    Pm2Keys(Function<Map<Pm2Key<?, ?>, Object>, P> make, Pm2Key<P, ?>... keys) {
        this.make = make;
        this.keys = List.of(keys);
    }

    /** The keys' names in pm2_env. */
    List<String> names() {
        return keys.stream().map(Pm2Key::name).toList();
    }

    void write(P part, ProcessViewWriter row, Pm2Key.Pass pass) {
        for (Pm2Key<P, ?> key : keys) {
            writeOne(key, part, row, pass);
        }
    }

    private static <P extends Pm2Part, T> void writeOne(
            Pm2Key<P, T> key, P part, ProcessViewWriter row, Pm2Key.Pass pass) {
        key.write(key.listedAs(part), part.get(key), row, pass);
    }

    P read(Fields row) {
        Map<Pm2Key<?, ?>, Object> values = new HashMap<>();
        for (Pm2Key<P, ?> key : keys) {
            values.put(key, key.read(row));
        }
        return make.apply(values);
    }

    /** A part given key by key: {@link Builder#build} refuses one whose keys are not all given. */
    public Builder<P> builder() {
        return new Builder<>(this);
    }

    /** A part's values given by name. */
    public static final class Builder<P extends Pm2Part> {
        private final Pm2Keys<P> table;
        private final Map<Pm2Key<?, ?>, Object> given = new HashMap<>();

        private Builder(Pm2Keys<P> table) {
            this.table = table;
        }

        public <T> Builder<P> with(Pm2Key<P, T> key, T value) {
            if (!table.keys.contains(key)) {
                throw new IllegalArgumentException("pm2_env." + key.name() + " is not a key of this part");
            }
            given.put(key, value);
            return this;
        }

        /**
         * Each key not given yet, by its name from {@code byName}: a part whose values another type
         * holds under pm2's names (an app's policy, its watchdog options). Each value must be of its
         * key's type, as {@link #with} would take it.
         */
        public Builder<P> withAll(Function<String, Object> byName) {
            for (Pm2Key<P, ?> key : table.keys) {
                if (!given.containsKey(key)) {
                    given.put(key, byName.apply(key.name()));
                }
            }
            return this;
        }

        public P build() {
            for (Pm2Key<P, ?> key : table.keys) {
                if (!given.containsKey(key)) {
                    throw new IllegalStateException("pm2_env." + key.name() + " was not given");
                }
            }
            return table.make.apply(new HashMap<>(given));
        }
    }
}
