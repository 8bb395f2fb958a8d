package io.jpm.deploy;

import io.jpm.config.Spelling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code deploy.<env>} into a {@link DeployEnvironment}, refusing with one line that names
 * the file, the environment and the option. pm2-deploy checks only that host, repo, path and ref are
 * there and silently ignores what it cannot use (a numeric {@code port}, a misspelt
 * {@code post_deploy}); jpm refuses those, so nothing runs on a host from a file that does not say
 * what its author meant.
 *
 * <p>A little over ~300 lines: one check per {@code deploy.<env>} option, a table that reads best
 * whole.
 */
final class DeployOptionsParser {
    /** Every option pm2-deploy reads (its schema, its deploy script's config_get keys, Deploy.js). */
    static final Set<String> OPTIONS = Set.of(
            "user",
            "host",
            "port",
            "key",
            "ssh_options",
            "ref",
            "repo",
            "path",
            "fetch",
            "forward-agent",
            "needs_tty",
            "pre-setup",
            "post-setup",
            "pre-deploy-local",
            "pre-deploy",
            "post-deploy",
            "env");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String where;
    private final Map<String, Object> options;

    private DeployOptionsParser(String where, Map<String, Object> options) {
        this.where = where;
        this.options = options;
    }

    /**
     * @param file the ecosystem file as the user named it (in messages and in the default post-deploy)
     * @param section the file's {@code deploy} section, as {@code EcosystemFile.section} reads it
     * @param home the local home folder, for a {@code key} written {@code ~/...}
     */
    static DeployEnvironment parse(String file, Object section, String envName, Path home) {
        if (!(section instanceof Map<?, ?> environments) || environments.isEmpty()) {
            throw new DeployException(file + " has no deploy section (pm2's \"deploy\": {\"" + envName + "\": {...}})");
        }
        Object options = environments.get(envName);
        if (options == null) {
            throw new DeployException(file + ": no environment '" + envName + "' in the deploy section; known: "
                    + String.join(
                            ", ",
                            environments.keySet().stream().map(String::valueOf).toList()));
        }
        String where = file + ": deploy." + envName;
        if (!(options instanceof Map<?, ?> map)) {
            throw new DeployException(where + " must be an object of options, got " + describe(options));
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        map.forEach((k, v) -> typed.put(String.valueOf(k), v));
        return new DeployOptionsParser(where, typed).environment(file, envName, home);
    }

    private DeployEnvironment environment(String file, String envName, Path home) {
        for (String option : options.keySet()) {
            if (!OPTIONS.contains(option)) {
                String hint = Spelling.closest(option, OPTIONS)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new DeployException(where + ": unknown option '" + option + "'" + hint);
            }
        }
        String path = notAnOption("path", required("path", "the folder on each host"), "a shell command");
        if (!path.startsWith("/")) {
            // pm2 resolves a relative path against the local folder, which names nothing on the host
            throw new DeployException(where + ".path must be an absolute path on the host, got '" + path + "'");
        }
        String postDeploy = string("post-deploy");
        if (postDeploy == null) {
            // pm2's default, with jpm in place of pm2: the file as typed, run in current/
            postDeploy = "jpm startOrRestart " + Shell.word(file) + " --env " + Shell.word(envName);
        }
        String ref = checkedRef(where + ".ref", required("ref", "what to deploy, e.g. origin/main"));
        return new DeployEnvironment(
                envName,
                user(),
                hosts(),
                port(),
                key(home),
                sshOptions(),
                ref,
                notAnOption("repo", required("repo", "the git repository each host clones"), "git"),
                path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
                fastFetch(),
                flag("forward-agent"),
                flag("needs_tty"),
                new DeployEnvironment.Hooks(
                        string("pre-setup"),
                        string("post-setup"),
                        string("pre-deploy-local"),
                        string("pre-deploy"),
                        postDeploy),
                env());
    }

    private String user() {
        String user = notAnOption("user", string("user"), "ssh");
        if (user != null && (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace))) {
            throw new DeployException(where + ".user must be a user name, got '" + user + "'");
        }
        return user;
    }

    private List<String> hosts() {
        Object value = options.get("host");
        if (value == null) {
            throw new DeployException(where + ": host is missing (a host name, or a list of them)");
        }
        List<?> given = value instanceof List<?> list ? list : List.of(value);
        if (given.isEmpty()) {
            throw new DeployException(where + ".host is an empty list: name at least one host");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (Object host : given) {
            if (host instanceof String text) {
                // ssh -oProxyCommand=<cmd> runs <cmd>: the classic attack through a host name
                notAnOption("host", text, "ssh");
            }
            if (!(host instanceof String name) || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new DeployException(
                        where + ".host must be a host name or a list of host names, got " + describe(host));
            }
            if (!hosts.add(name)) {
                throw new DeployException(where + ".host names " + name + " twice");
            }
        }
        return List.copyOf(hosts);
    }

    /** pm2 reads only a port written as a string ({@code "2222"}) and silently uses 22 for {@code 2222}; jpm takes both. */
    private Integer port() {
        Object value = options.get("port");
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).strip();
        if (text.matches("\\d{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535) {
            return Integer.parseInt(text);
        }
        throw new DeployException(where + ".port must be a port number 1-65535, got " + describe(value));
    }

    private String key(Path home) {
        String key = notAnOption("key", string("key"), "ssh");
        if (key == null) {
            return null;
        }
        String expanded = key.equals("~") || key.startsWith("~/") ? home + key.substring(1) : key;
        if (!Files.isRegularFile(Path.of(expanded))) {
            throw new DeployException(where + ".key: no such file: " + expanded);
        }
        return expanded;
    }

    private List<String> sshOptions() {
        Object value = options.get("ssh_options");
        if (value == null) {
            return List.of();
        }
        List<?> given = value instanceof List<?> list ? list : List.of(value);
        List<String> result = new ArrayList<>();
        for (Object option : given) {
            if (!(option instanceof String text) || text.isBlank()) {
                throw new DeployException(where
                        + ".ssh_options must be an ssh option (\"StrictHostKeyChecking=no\") or a list of them, got "
                        + describe(option));
            }
            result.add(text.strip());
        }
        return List.copyOf(result);
    }

    private boolean fastFetch() {
        String fetch = string("fetch");
        if (fetch == null || fetch.equals("full")) {
            return false;
        }
        if (fetch.equals("fast")) {
            return true;
        }
        throw new DeployException(
                where + ".fetch must be \"fast\" (clone and fetch 5 commits deep) or \"full\", got '" + fetch + "'");
    }

    /** pm2 turns these on for any non-empty string; jpm also takes true and false. */
    private boolean flag(String option) {
        Object value = options.get(option);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        if (value instanceof String text) {
            return !text.isEmpty() && !text.equalsIgnoreCase("false") && !text.equalsIgnoreCase("no");
        }
        throw new DeployException(where + "." + option + " must be true or false, got " + describe(value));
    }

    private Map<String, String> env() {
        Object value = options.get("env");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new DeployException(where + ".env must be an object of variables, got " + describe(value));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!ENV_NAME.matcher(name).matches()) {
                throw new DeployException(where + ".env: '" + name + "' is not a variable name");
            }
            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                throw new DeployException(where + ".env." + name + " must be a string, a number or a boolean, got "
                        + describe(e.getValue()));
            }
            // pm2-deploy upper-cases the names (node_env becomes NODE_ENV)
            env.put(name.toUpperCase(Locale.ROOT), e.getValue() == null ? "" : plainNumber(e.getValue()));
        }
        return env;
    }

    /**
     * Refuses a value that {@code program} would read as one of its own options: a repo of
     * {@code --upload-pack=<cmd>} makes git run {@code <cmd>}. jpm also passes the values after
     * {@code --} where git and ssh take it; this check names the option whatever the program.
     */
    private String notAnOption(String option, String value, String program) {
        if (value != null && value.startsWith("-")) {
            throw new DeployException(where + "." + option + " must not start with '-' (" + program
                    + " would read it as an option), got '" + value + "'");
        }
        return value;
    }

    /**
     * A ref, from the file or from {@code deploy <env> ref <ref>}: neither it nor the branch
     * {@code git clone --branch} and {@code git ls-remote} are given (what follows its first
     * {@code /}) may start with '-'.
     *
     * @param what how the message names where the ref came from
     */
    static String checkedRef(String what, String ref) {
        int slash = ref.indexOf('/');
        String branch = slash < 0 ? ref : ref.substring(slash + 1);
        if (ref.startsWith("-") || branch.startsWith("-")) {
            throw new DeployException(what
                    + " must not start with '-', nor its branch after the first '/' (git would read it as an option), got '"
                    + ref + "'");
        }
        return ref;
    }

    private String required(String option, String what) {
        String value = string(option);
        if (value == null || value.isBlank()) {
            throw new DeployException(where + ": " + option + " is missing (" + what + ")");
        }
        return value;
    }

    private String string(String option) {
        Object value = options.get(option);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new DeployException(where + "." + option + " must be a string, got " + describe(value));
    }

    /** 3000, not 3000.0, for a number JavaScript wrote. */
    private static String plainNumber(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
