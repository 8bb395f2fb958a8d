package io.jpm.protocol;

import java.util.Map;
import java.util.StringJoiner;

/**
 * A part of {@link ProcessViewPm2Env}: its values by key, given by name ({@link Pm2Keys#builder})
 * or read from a row ({@link Pm2Keys#read}). A part's accessors read their key; equal parts hold
 * equal values.
 */
public abstract class Pm2Part {
    private final Map<Pm2Key<?, ?>, Object> values;

    Pm2Part(Map<Pm2Key<?, ?>, Object> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    final <T> T get(Pm2Key<?, T> key) {
        return (T) values.get(key);
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((Pm2Part) other).values.equals(values);
    }

    @Override
    public final int hashCode() {
        return values.hashCode();
    }

    @Override
    public final String toString() {
        StringJoiner text = new StringJoiner(", ", getClass().getSimpleName() + "[", "]");
        values.forEach((key, value) -> text.add(key.name() + "=" + value));
        return text.toString();
    }
}
