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
 *     {@code -} is its value, commander's optional value as pm2 declares it)
 * @param repeats whether it may be given again, each value added to the others ({@code --watch a
 *     --watch b} reads {@code "a,b"}), as pm2's collecting options do; else the last one counts
 */
public record Flag(List<String> spellings, String name, String value, String help, boolean repeats) {

    /** A flag without a value: present or not. */
    public static Flag toggle(String spellings, String name, String help) {
        return new Flag(List.of(spellings.split("\\|")), name, null, help, false);
    }

    /** A flag with a value ({@code --name api}, {@code --name=api}, {@code -n api}). */
    public static Flag option(String spellings, String name, String value, String help) {
        return new Flag(List.of(spellings.split("\\|")), name, value, help, false);
    }

    /** The same flag, whose values add up when it is given again. */
    public Flag repeating() {
        return new Flag(spellings, name, value, help, true);
    }

    /** Alone it reads {@code "true"}; a value may follow as the next word or after {@code =}. */
    public boolean valueOptional() {
        return value != null && value.startsWith("[");
    }

    public boolean takesValue() {
        return value != null;
    }

    /** {@code -i|--instances N|max}: how the help shows it. */
    public String synopsis() {
        return String.join("|", spellings) + (value == null ? "" : " " + value);
    }
}
