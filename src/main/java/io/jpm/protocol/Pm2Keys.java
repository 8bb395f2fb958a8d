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
public final class Pm2Keys<P> {
    /** A part's values by key: a row's, or those given to a {@link Builder}. */
    public interface Values<P> {
        <T> T get(Pm2Key<P, T> key);
    }

    private final List<Pm2Key<P, ?>> keys;
    private final Function<Values<P>, P> make;

    /**
     * @param make the part from its values (its one call of the record's constructor)
     * @param keys in pm2's order
     */
    @SafeVarargs
    Pm2Keys(Function<Values<P>, P> make, Pm2Key<P, ?>... keys) {
        this.make = make;
        this.keys = List.of(keys);
    }

    void write(P part, ProcessViewWriter row, Pm2Key.Pass pass) {
        for (Pm2Key<P, ?> key : keys) {
            key.write(part, row, pass);
        }
    }

    P read(Fields row) {
        return make.apply(new Values<>() {
            @Override
            public <T> T get(Pm2Key<P, T> key) {
                return key.read(row);
            }
        });
    }

    /** A part given key by key: {@link Builder#build} refuses one whose keys are not all given. */
    public Builder<P> builder() {
        return new Builder<>(this);
    }

    /** A part's values given by name. */
    public static final class Builder<P> implements Values<P> {
        private final Pm2Keys<P> table;
        private final Map<Pm2Key<P, ?>, Object> given = new HashMap<>();

        private Builder(Pm2Keys<P> table) {
            this.table = table;
        }

        public <T> Builder<P> with(Pm2Key<P, T> key, T value) {
            given.put(key, value);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(Pm2Key<P, T> key) {
            return (T) given.get(key);
        }

        public P build() {
            for (Pm2Key<P, ?> key : table.keys) {
                if (!given.containsKey(key)) {
                    throw new IllegalStateException("pm2_env." + key.name() + " was not given");
                }
            }
            return table.make.apply(this);
        }
    }
}
