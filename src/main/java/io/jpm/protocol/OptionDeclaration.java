package io.jpm.protocol;

import java.util.List;

/**
 * One {@link AppOption} entry as it is written: {@code option(key, type, default, describedAs, aliases)}
 * and then only what the option has beyond that: its start flag, its own row in {@code jpm describe},
 * whether {@code jpm env} leaves it out at its default, a daemon-wide default. Each generic path
 * (the CLI's flags and help, describe's rows, env's lines, the daemon's command line) reads the
 * entry, so an option is added in one place.
 */
final class OptionDeclaration {
    final String key;
    final OptionType type;
    final Object defaultValue;
    final String describedAs;
    final List<String> aliases;
    StartFlag flag;
    OptionRow row;
    boolean envLineUnlessDefault;
    DaemonDefault daemonDefault;

    private OptionDeclaration(
            String key, OptionType type, Object defaultValue, String describedAs, List<String> aliases) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.describedAs = describedAs;
        this.aliases = aliases;
    }

    /**
     * @param defaultValue as docs/CONFIG.md's table and the help state it; null when it has none or it
     *     depends on the app
     * @param describedAs where describe and jlist show it, a dotted path; null when they do not
     * @param aliases pm2's other names for it (schema.json's aliases; camelCase is accepted for every option)
     */
    static OptionDeclaration option(
            String key, OptionType type, Object defaultValue, String describedAs, String... aliases) {
        return new OptionDeclaration(key, type, defaultValue, describedAs, List.of(aliases));
    }

    /** The start flag that sets it; {@code {default}} in its help stands for the declared default. */
    OptionDeclaration flag(StartFlag startFlag) {
        this.flag = startFlag;
        return this;
    }

    /** Its row in describe: the row's word, its group of rows, and how its value reads. */
    OptionDeclaration row(String label, OptionRow.Group group, OptionRow.Form form) {
        this.row = new OptionRow(label, group, form);
        return this;
    }

    /**
     * jpm lists it in every pm2_env, where pm2 lists it only when the app gave it: {@code jpm env}
     * leaves it out when it is unset (empty, false, 0) or at its declared default, as pm2's has no line.
     */
    OptionDeclaration envLineUnlessDefault() {
        this.envLineUnlessDefault = true;
        return this;
    }

    /** Its default for the apps that give none is the daemon's, set from these variables (pm2's too). */
    OptionDeclaration daemonDefault(JpmEnv variable, String pm2Variable) {
        this.daemonDefault = new DaemonDefault(variable, pm2Variable, "jpm." + key);
        return this;
    }
}
