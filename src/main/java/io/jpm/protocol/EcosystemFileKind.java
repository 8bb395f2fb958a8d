package io.jpm.protocol;

/**
 * Which names are ecosystem files rather than scripts, by pm2's rule (lib/Common.js
 * {@code isConfigFile}): the name <em>contains</em> one of pm2's extensions, anywhere, so
 * {@code apps.json.prod} is a JSON file and {@code server.js} a script. Shared by the client (which
 * sends a file as a file) and the daemon (which reads it), so both sides agree.
 */
public enum EcosystemFileKind {
    /** Read leniently, as pm2 evaluates it: comments, unquoted keys, single quotes, trailing commas. */
    JSON(".json"),
    YAML(".yml", ".yaml"),
    /** CommonJS, evaluated with node: {@code module.exports = {apps: [...]}}. */
    JS(".config.js", ".config.cjs"),
    /** An ES module, evaluated with node: {@code export default {apps: [...]}}. */
    MJS(".config.mjs");

    /** pm2 starts this file when {@code start} is given no argument (its APP_CONF_DEFAULT_FILE). */
    public static final String DEFAULT_FILE = "ecosystem.config.js";

    private final String[] markers;

    EcosystemFileKind(String... markers) {
        this.markers = markers;
    }

    /** The kind of an ecosystem file, or null for anything else (a script, a name, an id). */
    public static EcosystemFileKind of(String name) {
        if (name == null) {
            return null;
        }
        // pm2 tests .json, .yml, .yaml, .config.js, .config.cjs, .config.mjs in this order
        for (EcosystemFileKind kind : values()) {
            for (String marker : kind.markers) {
                if (name.contains(marker)) {
                    return kind;
                }
            }
        }
        return null;
    }

    public static boolean isEcosystemFile(String name) {
        return of(name) != null;
    }

    /** JavaScript that node evaluates. */
    public boolean isJavaScript() {
        return this == JS || this == MJS;
    }
}
