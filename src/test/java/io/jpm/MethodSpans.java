package io.jpm;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of each method, constructor and initializer of a Java source, found by its braces: a
 * block opened directly in a type's body whose header has a parameter list (or is an initializer)
 * is one; what it holds (lambdas, anonymous and local classes) counts to it. Strings, text blocks,
 * characters and comments are skipped, so a brace in them counts for nothing. A parser would do the
 * same at 10-20 s of CPU for the whole source; this takes a fraction of a second.
 */
final class MethodSpans {
    private MethodSpans() {}

    /** {@code name}: the identifier before the parameter list; empty for an initializer. */
    record Span(int firstLine, int lines, String name) {
        boolean holds(int line) {
            return line >= firstLine && line < firstLine + lines;
        }
    }

    private enum Block {
        TYPE,
        METHOD,
        OTHER
    }

    static List<Span> of(String source) {
        List<Span> spans = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        int headerLine = 1;
        int line = 1;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            int skipped = skip(source, i);
            if (skipped > i) {
                line += count(source, i, skipped);
                i = skipped;
                continue;
            }
            if (c == '\n') {
                line++;
            } else if (c == '{') {
                Block block = kind(header.toString(), blocks.isEmpty() ? null : blocks.get(blocks.size() - 1));
                blocks.add(block);
                starts.add(block == Block.METHOD ? headerLine : line);
                names.add(block == Block.METHOD ? name(header.toString()) : "");
                header.setLength(0);
            } else if (c == '}') {
                int last = blocks.size() - 1;
                if (last >= 0 && blocks.remove(last) == Block.METHOD) {
                    int first = starts.get(last);
                    spans.add(new Span(first, line - first + 1, names.get(last)));
                }
                if (last >= 0) {
                    starts.remove(last);
                    names.remove(last);
                }
                header.setLength(0);
            } else if (c == ';') {
                header.setLength(0);
            } else if (!Character.isWhitespace(c) || header.length() > 0) {
                if (header.length() == 0) {
                    headerLine = line;
                }
                header.append(c);
            }
            i++;
        }
        return spans;
    }

    /** The identifier just before a header's first parenthesis (none: an initializer). */
    private static String name(String header) {
        int paren = header.indexOf('(');
        if (paren < 0) {
            return "";
        }
        String before = header.substring(0, paren).strip();
        return before.substring(before.lastIndexOf(' ') + 1);
    }

    private static Block kind(String header, Block enclosing) {
        if (header.matches("(?s).*\\b(class|interface|enum|record)\\b.*") && !header.contains("new ")) {
            return Block.TYPE;
        }
        if (enclosing == Block.TYPE && (header.contains("(") || header.isEmpty() || header.equals("static"))) {
            return Block.METHOD;
        }
        return enclosing == null ? Block.TYPE : Block.OTHER;
    }

    /** The index after a comment, string, text block or character literal starting at {@code i}, else i. */
    private static int skip(String s, int i) {
        if (s.startsWith("//", i)) {
            int end = s.indexOf('\n', i);
            return end < 0 ? s.length() : end;
        }
        if (s.startsWith("/*", i)) {
            int end = s.indexOf("*/", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        if (s.startsWith("\"\"\"", i)) {
            int end = s.indexOf("\"\"\"", i + 3);
            while (end > 0 && s.charAt(end - 1) == '\\') {
                end = s.indexOf("\"\"\"", end + 1);
            }
            return end < 0 ? s.length() : end + 3;
        }
        char c = s.charAt(i);
        if (c == '"' || c == '\'') {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != c) {
                j += s.charAt(j) == '\\' ? 2 : 1;
            }
            return j + 1;
        }
        return i;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }
}
