package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names the processes a command acts on, as pm2 does: an id, a name, {@code all}, a
 * {@code /regex/} over names, a script path, or an ecosystem file (its apps' names), several at once.
 *
 * <pre>{"targets":["api","3","/^worker-/"], "cwd":"/where/the/cli/ran", "env":{...}}</pre>
 *
 * {@code env} is the client's environment, sent when a target is an ecosystem file: a JavaScript
 * file may name its apps from {@code process.env}.
 */
public record TargetRequest(List<String> targets, String cwd, Map<String, String> env) {
    public TargetRequest {
        targets = List.copyOf(targets);
        env = Map.copyOf(env);
    }

    /** A client's request: its folder, and its environment when a target is an ecosystem file. */
    public static TargetRequest fromClient(List<String> targets, Map<String, String> clientEnv) {
        boolean files = targets.stream().anyMatch(EcosystemFileKind::isEcosystemFile);
        return new TargetRequest(targets, System.getProperty("user.dir"), files ? clientEnv : Map.of());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("targets", targets);
        json.put("cwd", cwd);
        if (!env.isEmpty()) {
            json.put("env", new TreeMap<>(env));
        }
        return json;
    }

    public static TargetRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        List<String> targets = f.strings("targets");
        if (targets.isEmpty()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "no process named: give an id, a name or all");
        }
        // a describe query's "env" is its with-environment flag (a boolean), not an environment
        Map<String, String> env = f.get("env") instanceof Boolean ? Map.of() : f.texts("env");
        return new TargetRequest(targets, f.string("cwd", System.getProperty("user.dir")), env);
    }
}
