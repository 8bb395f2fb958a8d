package io.jpm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's command line, declared once: its names, its operands and how many it takes, a summary,
 * its flag table and notes. {@link #parse} accepts what it declares and nothing else, and
 * {@link #help} and {@link #entry} print it, so {@code jpm <verb> --help} and {@code jpm --help}
 * are generated from the same table the parser reads.
 *
 * @param names the verb, then its aliases ({@code ls list status l ps})
 * @param operands how the operands read in the usage line ({@code <id|name|all>...})
 */
public record Syntax(
        List<String> names, String operands, int min, int max, String summary, List<Flag> flags, List<String> notes) {
    public static final int MANY = Integer.MAX_VALUE;
    private static final int WIDTH = 100;

    public Syntax {
        names = List.copyOf(names);
        flags = List.copyOf(flags);
        notes = List.copyOf(notes);
    }

    /** The start of a declaration: {@code Syntax.of("stop").operands(...).summary(...).flag(...)}. */
    public static Syntax of(String... names) {
        return new Syntax(List.of(names), "", 0, 0, "", List.of(), List.of());
    }

    public Syntax operands(String operands, int min, int max) {
        return new Syntax(names, operands, min, max, summary, flags, notes);
    }

    public Syntax summary(String summary) {
        return new Syntax(names, operands, min, max, summary, flags, notes);
    }

    public Syntax flag(Flag flag) {
        List<Flag> more = new ArrayList<>(flags);
        more.add(flag);
        return new Syntax(names, operands, min, max, summary, more, notes);
    }

    public Syntax flags(List<Flag> table) {
        List<Flag> more = new ArrayList<>(flags);
        more.addAll(table);
        return new Syntax(names, operands, min, max, summary, more, notes);
    }

    public Syntax note(String line) {
        List<String> more = new ArrayList<>(notes);
        more.add(line);
        return new Syntax(names, operands, min, max, summary, flags, more);
    }

    public String verb() {
        return names.get(0);
    }

    /** The words after the verb, checked against the flag table and the operand count. */
    public Args parse(List<String> words) {
        Map<String, String> valued = new HashMap<>();
        Map<String, String> switches = new HashMap<>();
        Set<String> optional = new HashSet<>();
        Set<String> repeating = new HashSet<>();
        for (Flag flag : flags) {
            for (String spelling : flag.spellings()) {
                if (!flag.takesValue()) {
                    switches.put(spelling, flag.name());
                } else {
                    valued.put(spelling, flag.name());
                }
                if (flag.valueOptional()) {
                    optional.add(spelling);
                }
                if (flag.repeats()) {
                    repeating.add(spelling);
                }
            }
        }
        return Args.parse(verb(), words, valued, switches, optional, repeating)
                .expectPositionals(verb(), min, max, usageLine());
    }

    /** What a wrong operand count prints after {@code usage: jpm <verb>}. */
    private String usageLine() {
        return operands + (flags.isEmpty() ? "" : (operands.isEmpty() ? "" : " ") + "[options]");
    }

    /** {@code jpm <verb> --help}: the usage line, the summary, the notes, then every flag with what it does. */
    public String help() {
        StringBuilder text = new StringBuilder("usage: jpm ").append(String.join("|", names));
        if (!usageLine().isEmpty()) {
            text.append(' ').append(usageLine());
        }
        text.append("\n\n  ").append(summary).append('\n');
        for (String note : notes) {
            text.append("  ").append(note).append('\n');
        }
        if (!flags.isEmpty()) {
            text.append("\noptions:\n");
            int column = 2
                    + flags.stream().mapToInt(f -> f.synopsis().length()).max().orElse(0)
                    + 2;
            column = Math.min(column, 34);
            for (Flag flag : flags) {
                String head = "  " + flag.synopsis();
                text.append(head);
                if (head.length() + 2 > column) {
                    text.append('\n').append(" ".repeat(column));
                } else {
                    text.append(" ".repeat(column - head.length()));
                }
                text.append(wrap(flag.help(), column)).append('\n');
            }
        }
        return text.toString();
    }

    /** {@code jpm --help}'s entry: the names and operands, the summary beneath. */
    public String entry() {
        String head = "  " + String.join("|", names) + (operands.isEmpty() ? "" : " " + operands);
        return head + "\n" + " ".repeat(8) + wrap(summary, 8) + "\n";
    }

    private static String wrap(String text, int indent) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() - lineStart + word.length() + indent > WIDTH && out.length() > lineStart) {
                out.append('\n').append(" ".repeat(indent));
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }
}
