package io.jpm.protocol;

import java.util.Map;

/**
 * What a caller asks an option's declaration ({@link AppOption}) for: its value in an app's options
 * (pm2's names, as a file gives them, or the source the daemon keeps), typed by its grammar
 * ({@link OptionType}), its declared default when the app does not give it. As mvnd's users ask
 * {@code Environment.MVND_HOME.asPath()}: {@code AppOption.MIN_UPTIME.longFrom(options)}, never
 * the key spelled. A value of the wrong grammar throws {@link IllegalArgumentException} whose message
 * completes "option 'x' ..." ("must be true or false, got 3"); the parser adds the file and the app.
 */
public interface OptionValues {
    /** pm2's snake_case name. */
    String key();

    /** The grammar of its value. */
    OptionType type();

    /** Its declared default, null when it has none or it depends on the app. */
    Object defaultValue();

    /** Whether the app's options give it, even as null. */
    default boolean givenIn(Map<String, ?> options) {
        return options.containsKey(key());
    }

    /** A boolean option's value, its declared default when not given. */
    default boolean booleanFrom(Map<String, ?> options) {
        Object value = options.get(key());
        return value == null ? booleanDefault() : OptionType.booleanValue(value);
    }

    /** A whole-number or duration option's value (milliseconds), its declared default when not given. */
    default long longFrom(Map<String, ?> options) {
        return longFrom(options, longDefault());
    }

    /** A whole-number or duration option's value, {@code fallback} when not given (a default that depends on the app). */
    default long longFrom(Map<String, ?> options, long fallback) {
        Object value = options.get(key());
        return value == null ? fallback : type().longValue(value);
    }

    /** A text option's value, its declared default (null for none) when not given. */
    default String textFrom(Map<String, ?> options) {
        return textFrom(options, textDefault());
    }

    /** A text option's value, {@code fallback} when not given. */
    default String textFrom(Map<String, ?> options, String fallback) {
        Object value = options.get(key());
        return value == null ? fallback : OptionType.textValue(value);
    }

    /** The declared default of a boolean option. */
    default boolean booleanDefault() {
        return (Boolean) defaultValue();
    }

    /** The declared default of a whole-number or duration option (milliseconds). */
    default long longDefault() {
        return (Long) defaultValue();
    }

    /** The declared default of a text option, null for none. */
    default String textDefault() {
        return (String) defaultValue();
    }
}
