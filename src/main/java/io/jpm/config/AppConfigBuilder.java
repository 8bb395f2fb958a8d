package io.jpm.config;

import io.jpm.process.RestartPolicy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An {@link AppConfig} built by naming each part ({@link AppConfig#builder()}, {@link AppConfig#toBuilder()}).
 * Parts not named stay null or 0; the canonical constructor fills the defaults it knows.
 */
public final class AppConfigBuilder {
    private String name;
    private String script;
    private List<String> args;
    private List<String> interpreter;
    private List<String> interpreterArgs;
    private Path cwd;
    private int instances;
    private String execMode;
    private Map<String, String> env;
    private RestartPolicy policy;
    private String outFile;
    private String errorFile;
    private JsonObject source;
    private Origin origin;
    private BalancerOptions balancer;
    private LogOptions logs;
    private WatchdogOptions watchdog;
    private EcosystemOptions ecosystem;
    private AppFacts facts;
    private List<String> warnings;
    private JsonObject declared;

    AppConfigBuilder() {}

    public AppConfigBuilder name(String name) {
        this.name = name;
        return this;
    }

    public AppConfigBuilder script(String script) {
        this.script = script;
        return this;
    }

    public AppConfigBuilder args(List<String> args) {
        this.args = args;
        return this;
    }

    public AppConfigBuilder interpreter(List<String> interpreter) {
        this.interpreter = interpreter;
        return this;
    }

    public AppConfigBuilder interpreterArgs(List<String> interpreterArgs) {
        this.interpreterArgs = interpreterArgs;
        return this;
    }

    public AppConfigBuilder cwd(Path cwd) {
        this.cwd = cwd;
        return this;
    }

    public AppConfigBuilder instances(int instances) {
        this.instances = instances;
        return this;
    }

    public AppConfigBuilder execMode(String execMode) {
        this.execMode = execMode;
        return this;
    }

    public AppConfigBuilder env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    public AppConfigBuilder policy(RestartPolicy policy) {
        this.policy = policy;
        return this;
    }

    public AppConfigBuilder outFile(String outFile) {
        this.outFile = outFile;
        return this;
    }

    public AppConfigBuilder errorFile(String errorFile) {
        this.errorFile = errorFile;
        return this;
    }

    public AppConfigBuilder source(JsonObject source) {
        this.source = source;
        return this;
    }

    public AppConfigBuilder origin(Origin origin) {
        this.origin = origin;
        return this;
    }

    public AppConfigBuilder balancer(BalancerOptions balancer) {
        this.balancer = balancer;
        return this;
    }

    public AppConfigBuilder logs(LogOptions logs) {
        this.logs = logs;
        return this;
    }

    public AppConfigBuilder watchdog(WatchdogOptions watchdog) {
        this.watchdog = watchdog;
        return this;
    }

    public AppConfigBuilder ecosystem(EcosystemOptions ecosystem) {
        this.ecosystem = ecosystem;
        return this;
    }

    public AppConfigBuilder facts(AppFacts facts) {
        this.facts = facts;
        return this;
    }

    public AppConfigBuilder warnings(List<String> warnings) {
        this.warnings = warnings;
        return this;
    }

    public AppConfigBuilder declared(JsonObject declared) {
        this.declared = declared;
        return this;
    }

    public AppConfig build() {
        return new AppConfig(
                name,
                script,
                args,
                interpreter,
                interpreterArgs,
                cwd,
                instances,
                execMode,
                env,
                policy,
                outFile,
                errorFile,
                source,
                origin,
                balancer,
                logs,
                watchdog,
                ecosystem,
                facts,
                warnings,
                declared);
    }
}
