package io.jpm.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * pm2's ignore_watch, as its file watcher (chokidar with anymatch) reads it: each pattern is a
 * glob ({@code *.log}, {@code logs/**}), a plain name ({@code node_modules}: that file or folder
 * anywhere under the watched path), or a regular expression ({@code [\/\\]\.}: found anywhere in
 * the absolute path).
 */
public final class IgnorePatterns {
    private final List<Pattern> regexes = new ArrayList<>();
    private final List<PathMatcher> globs = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    public IgnorePatterns(List<String> patterns) {
        for (String p : patterns) {
            if (looksLikeRegex(p)) {
                regexes.add(Pattern.compile(p));
            } else if (p.contains("*") || p.contains("?") || p.contains("{")) {
                String glob = p.startsWith("/") || p.startsWith("**") ? p : "**/" + p;
                globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob + "/**"));
            } else {
                names.add(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
            }
        }
    }

    /** Regular expressions are told from globs by the characters only a regex uses. */
    static boolean looksLikeRegex(String p) {
        return p.contains("\\")
                || p.contains("[")
                || p.contains("^")
                || p.contains("$")
                || p.contains("(")
                || p.contains("|")
                || p.contains(".*")
                || p.contains("+");
    }

    /** @param file an absolute path; @param root the watched folder it lies under */
    public boolean ignores(Path file, Path root) {
        String text = file.toString();
        for (Pattern regex : regexes) {
            if (regex.matcher(text).find()) {
                return true;
            }
        }
        for (PathMatcher glob : globs) {
            if (glob.matches(file)) {
                return true;
            }
        }
        Path relative = file.startsWith(root) ? root.relativize(file) : file;
        for (String name : names) {
            if (name.contains("/")) {
                if (relative.startsWith(Path.of(name)) || file.startsWith(Path.of(name))) {
                    return true;
                }
                continue;
            }
            for (Path part : relative) {
                if (part.toString().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
