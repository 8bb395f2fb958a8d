package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.AppOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An app option's key is written once, in its declaration ({@link AppOption}): code reads the option
 * through its constant ({@code AppOption.KILL_TIMEOUT.longFrom(options)}, {@code .key}), so renaming
 * or retiring an option fails to compile wherever it is read, and its default is the declared one.
 * Checked on the sources, outside comments: a key with an underscore ({@code kill_timeout},
 * {@code cron_restart}) names nothing but an option, so it is spelled nowhere else; in {@code config},
 * the package that reads apps' options, and on a line that reads an app's source
 * ({@code config.source().getValue(...)}) anywhere, no key is spelled at all ({@code "name"},
 * {@code "env"}...); except where the word names something else, listed below with what it names.
 */
class OptionKeysTest {
    private static final Path SOURCES = Path.of("src/main/java/io/jpm");
    /** A string literal. */
    private static final Pattern LITERAL = Pattern.compile("\"([a-z_]+)\"");
    /** A key read from or written to an app's source ({@code config.source().getValue("watch")}), in any package. */
    private static final Pattern SOURCE_READ =
            Pattern.compile("source\\(\\)\\s*\\.\\s*(?:get\\w*|containsKey|remove|put)\\(\\s*\"([a-z_]+)\"");

    /** Files where an option's key is a word of something else, with the keys it is: what they name. */
    private static final Map<String, Set<String>> OTHER_MEANINGS = Map.ofEntries(
            // jlist's row: pm2_env's fields, pm2's names declared by kind in its parts (an option's
            // describedAs names the same field: OptionsInDescribeTest), and jpm's own; held byte for byte
            // by DescriberRowsTest
            Map.entry("protocol/Pm2EnvEcosystem.java", Set.of("*")),
            Map.entry("protocol/Pm2EnvInstance.java", Set.of("*")),
            Map.entry("protocol/Pm2EnvLogs.java", Set.of("*")),
            Map.entry("protocol/Pm2EnvPolicy.java", Set.of("*")),
            Map.entry("protocol/Pm2EnvProgram.java", Set.of("*")),
            Map.entry("protocol/Pm2EnvWatch.java", Set.of("*")),
            Map.entry("protocol/ProcessViewJpm.java", Set.of("kill_signal", "listen_timeout", "errored_retry")),
            // the balancer's open message, a field of its own
            Map.entry("protocol/BalancedAppSpec.java", Set.of("proxy_protocol")),
            // jpm.json's bridge and web sections: a door's address
            Map.entry("config/BridgeSettings.java", Set.of("host", "port")),
            Map.entry("config/WebSettings.java", Set.of("host", "port")),
            // jpm.json's cluster section: this node's name
            Map.entry("config/ClusterSettings.java", Set.of("name")),
            // an alert rule's name in jpm.json's alerts section
            Map.entry("config/AlertRuleParser.java", Set.of("name")),
            Map.entry("config/AlertSettings.java", Set.of("name")),
            // pm2-logrotate's own keys, mapped onto jpm.json's logs section
            Map.entry("config/LogrotateKeys.java", Set.of("max_size", "retain", "compress")),
            // pm2 serve's own options, read before they make an app
            Map.entry("config/ServeApp.java", Set.of("port", "host")),
            // a deploy target's env (deploy.<env>.env)
            Map.entry("config/EcosystemFile.java", Set.of("env")),
            // a read request's env: the client's environment
            Map.entry("config/ReadRequest.java", Set.of("env")),
            // /usr/bin/env, a program before the script
            Map.entry("config/ScriptKind.java", Set.of("env")),
            // chokidar's own cwd option, inside watch_options
            Map.entry("config/WatchOptionsParser.java", Set.of("cwd")));

    @Test
    void anOptionsKeyIsSpelledOnlyInItsDeclaration() throws IOException {
        Set<String> keys = Stream.of(AppOption.values()).map(o -> o.key).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String name = SOURCES.relativize(file).toString();
            if (name.equals("protocol/AppOption.java")) {
                continue;
            }
            boolean config = name.startsWith("config/");
            Set<String> allowed = OTHER_MEANINGS.getOrDefault(name, Set.of());
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String code = code(lines.get(i));
                Matcher m = LITERAL.matcher(code);
                while (m.find()) {
                    String word = m.group(1);
                    boolean fromSource = SOURCE_READ.matcher(code).find();
                    if (keys.contains(word)
                            && (config || word.contains("_") || fromSource)
                            && !allowed.contains(word)
                            && !allowed.contains("*")) {
                        problems.add(name + ":" + (i + 1) + ": \"" + word + "\" (read it as AppOption."
                                + word.toUpperCase(Locale.ROOT) + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void eachOtherMeaningIsStillThere() throws IOException {
        for (Map.Entry<String, Set<String>> e : OTHER_MEANINGS.entrySet()) {
            Path file = SOURCES.resolve(e.getKey());
            assertTrue(Files.exists(file), e.getKey() + " is gone: drop it from OTHER_MEANINGS");
            String text = Files.readString(file);
            for (String word : e.getValue()) {
                assertTrue(
                        word.equals("*") || text.contains("\"" + word + "\""),
                        e.getKey() + " no longer spells \"" + word + "\": drop it from OTHER_MEANINGS");
            }
        }
    }

    /** A line without its comment: a Javadoc or block comment line, or what follows {@code //} outside a string. */
    private static String code(String line) {
        String t = line.strip();
        if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
            return "";
        }
        boolean inString = false;
        for (int i = 0; i < line.length() - 1; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && c == '/' && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
