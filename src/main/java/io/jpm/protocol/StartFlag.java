package io.jpm.protocol;

/**
 * An {@link AppOption}'s start flag: its spellings (the first the one help and errors lead with), its value's
 * placeholder (null for a switch), its help ({@code {default}} stands for the option's default).
 *
 * @param turnsOff a switch that sets the option to false ({@code --no-autorestart}); any other switch sets it true
 */
public record StartFlag(String spellings, String value, String help, boolean turnsOff) {
    static StartFlag value(String spellings, String value, String help) {
        return new StartFlag(spellings, value, help, false);
    }

    static StartFlag on(String spellings, String help) {
        return new StartFlag(spellings, null, help, false);
    }

    static StartFlag off(String spellings, String help) {
        return new StartFlag(spellings, null, help, true);
    }

    /** The spelling errors name it by ({@code -i}, {@code --kill-timeout}). */
    public String firstSpelling() {
        return spellings.split("\\|")[0];
    }
}
