package io.jpm.cli;

import java.util.List;

/**
 * One option of a verb, as its flag table declares it: every spelling, the name the command reads
 * it by ({@link Args#get}), the placeholder of its value, and what it does. The parser accepts
 * exactly these spellings and the help prints exactly these lines, so the two cannot drift apart.
 *
 * @param spellings every way to write it, the first the one help leads with ({@code --name}, {@code -n})
 * @param value the value's placeholder: null for a switch; {@code [x]} when the value may be left out
 *     ({@code --log} alone, or {@code --log path}: a following word that does not start with
 *     {@code -} is its value); {@code [=x]} when it can only come after {@code =} ({@code --watch}
 *     alone, or {@code --watch=paths}; {@code --watch app.js} is the switch and an operand)
 */
public record Flag(List<String> spellings, String name, String value, String help) {

    /** A flag without a value: present or not. */
    public static Flag toggle(String spellings, String name, String help) {
        return new Flag(List.of(spellings.split("\\|")), name, null, help);
    }

    /** A flag with a value ({@code --name api}, {@code --name=api}, {@code -n api}). */
    public static Flag option(String spellings, String name, String value, String help) {
        return new Flag(List.of(spellings.split("\\|")), name, value, help);
    }

    /** Alone it reads {@code "true"}; a value may follow as the next word or after {@code =}. */
    public boolean valueOptional() {
        return value != null && value.startsWith("[") && !valueAfterEqualsOnly();
    }

    /** Alone it reads {@code "true"}; a value comes only after {@code =}. */
    public boolean valueAfterEqualsOnly() {
        return value != null && value.startsWith("[=");
    }

    public boolean takesValue() {
        return value != null;
    }

    /** {@code -i|--instances N|max}: how the help shows it. */
    public String synopsis() {
        return String.join("|", spellings) + (value == null ? "" : value.startsWith("[=") ? value : " " + value);
    }
}
