package io.jpm.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jpm.protocol.BlockingCall;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What pm2's jlist shows of an app that is no option, found once when the app is read (off the
 * event loop): {@code version}, from the nearest package.json above the script ("N/A" without one,
 * as pm2's findPackageVersion), {@code node_version} for an app run by node, and {@code username}.
 */
public record AppFacts(String version, String nodeVersion, String username) {
    public static final AppFacts UNKNOWN = new AppFacts("N/A", null, System.getProperty("user.name"));
    private static final JsonFactory JSON = new JsonFactory();
    /** node --version per interpreter path: one exec per daemon, not per app. */
    private static final Map<String, String> NODE_VERSIONS = new ConcurrentHashMap<>();

    static AppFacts of(String script, List<String> interpreter, EcosystemOptions.RunAs runAs) {
        String user = runAs != null ? runAs.user() : System.getProperty("user.name");
        String node = !interpreter.isEmpty()
                        && Path.of(interpreter.get(0)).getFileName().toString().equals("node")
                ? NODE_VERSIONS.computeIfAbsent(interpreter.get(0), AppFacts::nodeVersion)
                : null;
        return new AppFacts(packageVersion(Path.of(script)), node == null || node.isEmpty() ? null : node, user);
    }

    /** The version of the nearest package.json in the script's folder or above it. */
    static String packageVersion(Path script) {
        if (!script.isAbsolute()) {
            return "N/A";
        }
        for (Path dir = script.getParent(); dir != null; dir = dir.getParent()) {
            Path manifest = dir.resolve("package.json");
            if (Files.isRegularFile(manifest)) {
                return versionIn(manifest);
            }
        }
        return "N/A";
    }

    private static String versionIn(Path manifest) {
        try (JsonParser p = JSON.createParser(Files.readAllBytes(manifest))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "N/A";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("version") && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // an unreadable package.json: pm2 shows N/A too
        }
        return "N/A";
    }

    /** "20.20.2" for v20.20.2, "" when node does not answer. */
    private static String nodeVersion(String node) {
        BlockingCall.check("a run of " + node + " --version");
        try {
            Process process = new ProcessBuilder(node, "--version")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return "";
            }
            return out.startsWith("v") ? out.substring(1) : out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
