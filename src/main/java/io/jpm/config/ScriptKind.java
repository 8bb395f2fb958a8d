package io.jpm.config;

import io.jpm.process.Interpreters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to run a script given without an interpreter. A known extension decides
 * ({@link Interpreters#forScript}). For any other name, the file's first bytes do, where pm2
 * (lib/Common.js resolveInterpreter) runs everything that is not binary with node:
 * <ul>
 *   <li>a {@code #!} line naming node ({@code bin/www}, {@code npm}): node, so node_args apply, as pm2;
 *   <li>any other {@code #!} line ({@code gunicorn}, a bash script): executed directly when it is
 *       executable (pm2 would hand a Python or shell file to node, which fails), else run by the
 *       program that line names;
 *   <li>a binary (ELF, anything with a NUL byte up front): executed directly, as pm2;
 *   <li>text with no {@code #!} line: node, as pm2 (a committed {@code bin/www} often lost its
 *       executable bit and its {@code #!}).
 * </ul>
 * Blocking (reads the file): called while an app is parsed, off the event loop.
 */
final class ScriptKind {
    /** How much of the file is read: a {@code #!} line longer than this is not one the kernel runs either. */
    private static final int HEAD = 512;

    private ScriptKind() {}

    /** The interpreter command for {@code script} (empty: execute it directly), node named "node". */
    static List<String> interpreter(Path script) {
        return interpreter(script, () -> "node");
    }

    /**
     * The interpreter command for {@code script} (empty: execute it directly).
     *
     * @param node node as pm2 names it when it picks node by a file's content, not by a .js name: the
     *     node that runs pm2's CLI, a full path ({@code /usr/bin/node}), which jlist shows
     */
    static List<String> interpreter(Path script, Supplier<String> node) {
        List<String> byExtension = Interpreters.forScript(script.toString());
        String name = script.getFileName() == null ? "" : script.getFileName().toString();
        if (!byExtension.isEmpty() && !(byExtension.equals(List.of("node")) && !name.endsWith(".js"))) {
            return byExtension;
        }
        if (!byExtension.isEmpty() || Files.isDirectory(script)) {
            // .mjs, .cjs (pm2's table names only .js), a folder (node loads its index.js): node
            return List.of(node.get());
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(script)) {
            head = in.readNBytes(HEAD);
        } catch (IOException e) {
            return List.of(); // unreadable here: executing it says why
        }
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            List<String> shebang = shebang(head);
            if (shebang.isEmpty() || isNode(shebang)) {
                return List.of(node.get());
            }
            return Files.isExecutable(script) ? List.of() : shebang;
        }
        for (byte b : head) {
            if (b == 0) {
                return List.of();
            }
        }
        return List.of(node.get());
    }

    /** The words of a {@code #!} line: {@code ["/usr/bin/env", "node"]}, {@code ["/bin/bash", "-e"]}. */
    static List<String> shebang(byte[] head) {
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        String line = new String(head, 2, end - 2, StandardCharsets.UTF_8).strip();
        List<String> words = new ArrayList<>();
        for (String word : line.split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** {@code #!/usr/bin/node}, {@code #!/usr/bin/env node}, {@code #!/usr/bin/env -S node --flag}. */
    private static boolean isNode(List<String> shebang) {
        String program = baseName(shebang.get(0));
        if (program.equals("env")) {
            program = shebang.stream()
                    .skip(1)
                    .filter(w -> !w.startsWith("-") && !w.contains("="))
                    .findFirst()
                    .map(ScriptKind::baseName)
                    .orElse("");
        }
        return program.equals("node") || program.equals("nodejs");
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
