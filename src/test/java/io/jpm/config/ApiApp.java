package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The app the option parser tests read options through: named api, its script in the test's folder,
 * read from {@value #WHERE} by the real {@link AppConfigParser}, as an ecosystem file's app is.
 */
final class ApiApp {
    static final String WHERE = "eco.json";

    final AppConfigParser parser;
    private final String script;

    /** An app whose script is {@code script}, an empty file made in {@code dir} (the parser checks it exists). */
    ApiApp(Path dir, String script, Map<String, String> clientEnv) throws IOException {
        Files.writeString(dir.resolve(script), "");
        this.parser = new AppConfigParser(WHERE, dir, clientEnv);
        this.script = script;
    }

    /** The app's JSON: its name and script, then {@code options} (",\"port\":80", or "" for none). */
    JsonObject json(String options) {
        return new JsonObject("{\"name\":\"api\",\"script\":\"" + script + "\"" + options + "}");
    }

    AppConfig read(String options) {
        return parser.parse(json(options), null);
    }

    /**
     * Asserts that the app with {@code options} is refused as an invalid config, by a message that
     * names the file, the app and {@code option}, and says {@code problem}.
     */
    void refuses(String options, String option, String problem) {
        JpmException e = assertThrows(JpmException.class, () -> read(options));
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        String m = e.getMessage();
        assertTrue(m.startsWith(WHERE + ": app 'api': option '" + option + "' "), m);
        assertTrue(m.contains(problem), m);
    }
}
