package io.jpm.config;

import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JavaScript ecosystem file ({@code ecosystem.config.js}, {@code .cjs}, {@code .mjs}) evaluated
 * the only faithful way: by node, which pm2 users have. The file runs with the caller's environment
 * (files read {@code process.env}) in the caller's folder (files read {@code process.cwd()}), as pm2
 * runs it; what it exports comes back as JSON. A JSON file that is JavaScript to pm2 (an expression,
 * which pm2 evaluates) is read the same way by {@link #evaluateExpression}.
 * A file that does not load fails with its error and the file's line. Blocking: call it off the
 * event loop.
 */
final class JsEcosystem {
    /** A file that has not exported its object by then (an endless loop, a hung import) is given up on. */
    static final long TIMEOUT_MS = 10_000;

    private static final String FAILED = "jpm-eval-failed: ";

    /**
     * Loads the file as pm2 does ({@code require}, or {@code import} for an ES module), prints what
     * it exports as JSON on stdout, and exits: a file that leaves a timer running does not hang the
     * read. Its own console output goes to stderr so it cannot corrupt the JSON. An error is one line
     * on stderr: the file, the line the stack names in it, the error.
     */
    private static final String LOADER = String.join(
            "\n",
            "const path = require('path'), url = require('url'), util = require('util');",
            "const file = path.resolve(process.argv[1]);",
            "for (const k of ['log', 'info', 'debug']) console[k] = (...a) => process.stderr.write(util.format(...a) + '\\n');",
            "const line = (e) => { const s = String(e && e.stack || ''); const i = s.indexOf(file + ':');",
            "  const m = i < 0 ? null : /^:(\\d+)/.exec(s.slice(i + file.length)); return m ? ':' + m[1] : ''; };",
            "const load = async () => {",
            "  if (!file.endsWith('.mjs')) {",
            "    try { return require(file); } catch (e) { if (e.code !== 'ERR_REQUIRE_ESM') throw e; }",
            "  }",
            "  const m = await import(url.pathToFileURL(file).href);",
            "  return m.default !== undefined ? m.default : m;",
            "};",
            "load().then((o) => process.stdout.write(JSON.stringify(o === undefined ? null : o), () => process.exit(0)))",
            "  .catch((e) => { process.stderr.write('" + FAILED + "' + file + line(e) + ': '",
            "    + (e instanceof Error ? e.name + ': ' + e.message : String(e)).split('\\n')[0] + '\\n', () => process.exit(2)); });");

    /**
     * pm2's Common.parseConfig for a JSON file: the text in parentheses, run by vm.runInThisContext
     * (so {@code process.env.X || 'y'} works and {@code require} does not, as under pm2).
     */
    private static final String EXPRESSION_LOADER = String.join(
            "\n",
            "const fs = require('fs'), path = require('path'), vm = require('vm'), util = require('util');",
            "const file = path.resolve(process.argv[1]);",
            "for (const k of ['log', 'info', 'debug']) console[k] = (...a) => process.stderr.write(util.format(...a) + '\\n');",
            "try {",
            "  const o = vm.runInThisContext('(' + fs.readFileSync(file, 'utf8') + ')', { filename: file, timeout: 1000 });",
            "  process.stdout.write(JSON.stringify(o === undefined ? null : o), () => process.exit(0));",
            "} catch (e) {",
            "  process.stderr.write('" + FAILED
                    + "' + file + ': ' + (e instanceof Error ? e.name + ': ' + e.message : String(e)).split('\\n')[0] + '\\n',",
            "    () => process.exit(2));",
            "}");

    private JsEcosystem() {}

    /**
     * What the file exports, as JSON text.
     *
     * @param cwd the folder of the command that named the file; null: the file's own
     */
    static String evaluate(Path file, Map<String, String> env, Path cwd) {
        return run(file, LOADER, env, cwd);
    }

    /** What a JSON file that pm2 would evaluate as JavaScript gives, as JSON text. */
    static String evaluateExpression(Path file, Map<String, String> env, Path cwd) {
        return run(file, EXPRESSION_LOADER, env, cwd);
    }

    private static String run(Path file, String loader, Map<String, String> env, Path cwd) {
        BlockingCall.check("a run of node on " + file);
        Path node = findNode(env);
        if (node == null) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    file + ": a JavaScript ecosystem file needs node to read it, and none is on PATH;"
                            + " install Node.js, or write the apps as ecosystem.json or ecosystem.yaml");
        }
        Path errors = null;
        Path output = null;
        try {
            // both streams to files: reading a pipe would wait for node whatever the timeout
            errors = Files.createTempFile("jpm-eval", ".err");
            output = Files.createTempFile("jpm-eval", ".json");
            Path folder = cwd != null && Files.isDirectory(cwd)
                    ? cwd
                    : file.toAbsolutePath().getParent();
            ProcessBuilder builder = new ProcessBuilder(
                            node.toString(), "-e", loader, file.toAbsolutePath().toString())
                    .directory(folder.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        file + ": node did not finish reading it within " + TIMEOUT_MS / 1000 + " s");
            }
            if (process.exitValue() != 0) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        failure(file, Files.readString(errors, StandardCharsets.UTF_8), process.exitValue()));
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JpmException(JpmError.INVALID_CONFIG, file + ": cannot run node to read it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpmException(JpmError.INTERNAL, file + ": interrupted while node read it");
        } finally {
            deleteQuietly(errors);
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static String failure(Path file, String stderr, int status) {
        int at = stderr.lastIndexOf(FAILED);
        if (at >= 0) {
            String line = stderr.substring(at + FAILED.length()).strip();
            int nl = line.indexOf('\n');
            return nl < 0 ? line : line.substring(0, nl);
        }
        String last = stderr.strip();
        int nl = last.lastIndexOf('\n');
        return file + ": node exited " + status
                + (last.isEmpty() ? "" : ": " + (nl < 0 ? last : last.substring(nl + 1)));
    }

    /** node on the caller's PATH (else the daemon's). */
    static Path findNode(Map<String, String> env) {
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "node");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static boolean isJavaScript(Path file) {
        EcosystemFileKind kind = EcosystemFileKind.of(file.getFileName().toString());
        return kind != null && kind.isJavaScript();
    }
}
