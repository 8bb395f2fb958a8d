package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples in docs/*.md run: every fenced block whose info string is {@code sh example},
 * {@code js example} or {@code python example} is run against a real daemon with its web server on
 * (sh with {@code bash -e -o pipefail}, js with node and {@code require('jpm-pm2')} finding
 * clients/node, python with /usr/bin/python3 and clients/python on PYTHONPATH), from the
 * repository's folder, with JPM_HOME, JPM_TOKEN (admin), JPM_RO_TOKEN, JPM_HTTP (the web server's
 * base URL) and bin/ first on PATH. An example passes when it exits 0 within 90 s; a failure names
 * the file, the line of the block and what it printed. Each example starts what it needs and
 * cleans up after itself; what a failed one left is deleted, so that it fails no other.
 */
@ExtendWith(JpmExtension.class)
class DocExamplesIT {
    static final Path ROOT = Path.of("").toAbsolutePath();
    /**
     * A hang's guard, not a speed check: a block starts up to six JVMs and Python scripts, and one
     * took over 30 s on a 2-core machine at load 20 (a CI run beside two builds).
     */
    private static final long EXAMPLE_TIMEOUT_S = 90;

    private static final Map<String, String> LANGUAGES =
            Map.of("sh example", "sh", "js example", "js", "python example", "python");

    /** A block to run: where it is, its language (sh, js, python) and its text. */
    record Example(Path file, int line, String language, String code) {
        String where() {
            return ROOT.relativize(file) + ":" + line + " (" + language + " example)";
        }
    }

    /** The runnable blocks of one Markdown file, in order. */
    static List<Example> examplesIn(Path file) throws IOException {
        List<Example> examples = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("```")) {
                continue;
            }
            String info = line.substring(3).strip();
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            if (LANGUAGES.containsKey(info)) {
                examples.add(new Example(file, start + 1, LANGUAGES.get(info), code.toString()));
            }
        }
        return examples;
    }

    static List<Example> allExamples() throws IOException {
        List<Example> all = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                all.addAll(examplesIn(doc));
            }
        }
        return all;
    }

    @Test
    void theApiAndProtocolDocsHaveExamplesInEachLanguage() throws IOException {
        List<Example> all = allExamples();
        for (String doc : List.of("API.md", "PROTOCOL.md")) {
            for (String language : List.of("sh", "js")) {
                assertTrue(
                        all.stream()
                                .anyMatch(e ->
                                        e.file().endsWith(doc) && e.language().equals(language)),
                        "docs/" + doc + " has no " + language + " example: " + all);
            }
        }
    }

    @Test
    void aBlockIsFoundWithItsLineAndLanguage() throws IOException {
        Path md = Files.createTempFile("doc", ".md");
        Files.writeString(md, "# t\n\n```sh\nnot run\n```\n\n```js example\nconsole.log(1)\n```\n");
        List<Example> found = examplesIn(md);
        assertEquals(1, found.size(), found.toString());
        assertEquals(7, found.get(0).line());
        assertEquals("js", found.get(0).language());
        assertEquals("console.log(1)\n", found.get(0).code());
        Files.delete(md);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRunsAgainstARealDaemon(Jpm jpm) throws Exception {
        WebClient web = WebClient.start(jpm, Ports.free());
        Path nodePath = Files.createDirectories(jpm.scratch.resolve("node_path"));
        Files.createSymbolicLink(nodePath.resolve("jpm-pm2"), ROOT.resolve("clients/node"));
        installRequiredPackages(jpm.scratch.resolve("npm"), nodePath);
        Map<String, String> env = Map.of(
                "JPM_HOME",
                jpm.home.toString(),
                "JPM_TOKEN",
                web.admin,
                "JPM_RO_TOKEN",
                web.readOnly,
                "JPM_HTTP",
                web.base,
                "JPM_BRIDGE_PORT",
                "0",
                "PATH",
                ROOT.resolve("bin") + ":" + System.getenv("PATH"),
                "NODE_PATH",
                nodePath.toString(),
                "PYTHONPATH",
                ROOT.resolve("clients/python").toString());
        return allExamples().stream().map(e -> DynamicTest.dynamicTest(e.where(), () -> run(jpm, e, env)));
    }

    /** Node's own modules: what a js example may require without an install. */
    private static final Set<String> NODE_MODULES = Set.of(
            "assert",
            "child_process",
            "crypto",
            "events",
            "fs",
            "http",
            "https",
            "net",
            "os",
            "path",
            "readline",
            "stream",
            "timers",
            "url",
            "util",
            "jpm-pm2");

    /**
     * The npm packages the js examples require (the stock SockJS client, say), installed from npm's
     * registry as a reader would, and linked into {@code nodePath}.
     */
    private static void installRequiredPackages(Path project, Path nodePath) throws Exception {
        Set<String> packages = new TreeSet<>();
        Matcher m = REQUIRE.matcher("");
        for (Example e : allExamples()) {
            if (e.language().equals("js")) {
                m.reset(e.code());
                while (m.find()) {
                    if (!NODE_MODULES.contains(m.group(1))) {
                        packages.add(m.group(1));
                    }
                }
            }
        }
        if (packages.isEmpty()) {
            return;
        }
        Files.createDirectories(project);
        List<String> command =
                new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
        command.addAll(packages);
        Path log = project.resolve("npm.log");
        Process npm = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm install " + packages + " did not end in 300 s");
        assertEquals(0, npm.exitValue(), () -> "npm install " + packages + ":\n" + readQuietly(log));
        for (String pkg : packages) {
            Path installed = project.resolve("node_modules").resolve(pkg);
            Path link = nodePath.resolve(pkg);
            Files.createDirectories(link.getParent()); // a scoped name: @scope/name
            Files.createSymbolicLink(link, installed);
        }
    }

    private static final Pattern REQUIRE = Pattern.compile("require\\('([^'./][^']*)'\\)");

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void run(Jpm jpm, Example example, Map<String, String> env) throws Exception {
        String suffix = Map.of("sh", ".sh", "js", ".js", "python", ".py").get(example.language());
        Path script = Files.createTempFile(jpm.scratch, "example", suffix);
        Files.writeString(script, example.code());
        List<String> command =
                switch (example.language()) {
                    case "sh" -> List.of("bash", "-e", "-o", "pipefail", script.toString());
                    case "js" -> List.of("node", script.toString());
                    default -> List.of("/usr/bin/python3", script.toString());
                };
        Path output = Files.createTempFile(jpm.scratch, "example", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean ended = process.waitFor(EXAMPLE_TIMEOUT_S, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (!ended || process.exitValue() != 0) {
            // its cleanup (a trap, a delete at its end) may not have run: the next example starts clean
            jpm.cli("delete", "all");
        }
        if (!ended) {
            fail(example.where() + " did not end within " + EXAMPLE_TIMEOUT_S + " s; it printed:\n" + printed);
        }
        if (process.exitValue() != 0) {
            fail(example.where() + " exited " + process.exitValue() + "; it printed:\n" + printed);
        }
    }
}
