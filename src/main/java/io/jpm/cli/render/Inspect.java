package io.jpm.cli.render;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON values printed as node's {@code util.inspect(value, false, null, false)} prints them, which is
 * what {@code pm2 prettylist} writes: scripts grep it ({@code status: 'online'}) and cut values out
 * of it with sed, pm2's own test suite among them. The layout rules are node's (lib/internal/util/
 * inspect.js, default options: breakLength 80, compact 3): an object or array goes on one line when
 * it holds nothing nested three levels down and its entries fit, else one entry a line; an array of
 * more than six short entries is laid out in columns; strings take single quotes unless they hold
 * one; keys that are not identifiers are quoted. Longer than ~300 lines because it is one algorithm
 * whose pieces share the layout state, kept whole so it can be read against node's.
 */
public final class Inspect {
    private static final int BREAK_LENGTH = 80;
    private static final int COMPACT = 3;
    private static final int MAX_ARRAY_LENGTH = 100;
    private static final int MAX_STRING_LENGTH = 10_000;
    /** node's kMinLineWidth: shorter strings are never split at their newlines. */
    private static final int MIN_LINE_WIDTH = 16;

    private static final Pattern IDENTIFIER = Pattern.compile("^[a-zA-Z_][a-zA-Z_0-9]*$");
    private static final Pattern NEEDS_ESCAPE = Pattern.compile("[\\x00-\\x1f\\x27\\x5c\\x7f-\\x9f]");
    private static final Pattern NEEDS_ESCAPE_NO_QUOTE = Pattern.compile("[\\x00-\\x1f\\x5c\\x7f-\\x9f]");

    /** The nesting level of what is being written (node's indentationLvl). */
    private int indentation;
    /** The depth of the innermost object or array last begun (node's currentDepth). */
    private int currentDepth;

    private Inspect() {}

    /** {@code value}: maps, lists, strings, numbers, booleans and nulls, as a JSON parser gives them. */
    public static String of(Object value) {
        return new Inspect().value(value, 0);
    }

    private String value(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            return object(map, depth);
        }
        if (value instanceof List<?> list) {
            return array(list, depth);
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        return String.valueOf(value); // true, false, null
    }

    private String object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            return "{}";
        }
        int level = depth + 1;
        currentDepth = level;
        List<String> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            indentation += 2;
            String text = value(e.getValue(), level);
            indentation -= 2;
            entries.add(key(String.valueOf(e.getKey())) + ": " + text);
        }
        return reduce(entries, "{", "}", false, level, null);
    }

    private String array(List<?> list, int depth) {
        if (list.isEmpty()) {
            return "[]";
        }
        int level = depth + 1;
        currentDepth = level;
        int shown = Math.min(list.size(), MAX_ARRAY_LENGTH);
        List<String> entries = new ArrayList<>(shown + 1);
        for (int i = 0; i < shown; i++) {
            indentation += 2;
            entries.add(value(list.get(i), level));
            indentation -= 2;
        }
        if (list.size() > shown) {
            int more = list.size() - shown;
            entries.add("... " + more + " more item" + (more > 1 ? "s" : ""));
        }
        return reduce(entries, "[", "]", true, level, list);
    }

    /** node's reduceToSingleString with compact 3. */
    private String reduce(List<String> output, String open, String close, boolean array, int level, List<?> values) {
        int entries = output.size();
        if (array && entries > 6) {
            output = group(output, values);
        }
        if (currentDepth - level < COMPACT && entries == output.size()) {
            int start = output.size() + indentation + open.length() + 10;
            if (belowBreakLength(output, start)) {
                String joined = String.join(", ", output);
                if (!joined.contains("\n")) {
                    return open + " " + joined + " " + close;
                }
            }
        }
        String newline = "\n" + " ".repeat(indentation);
        return open + newline + "  " + String.join("," + newline + "  ", output) + newline + close;
    }

    private static boolean belowBreakLength(List<String> output, int start) {
        int total = output.size() + start;
        if (total + output.size() > BREAK_LENGTH) {
            return false;
        }
        for (String entry : output) {
            total += entry.length();
            if (total > BREAK_LENGTH) {
                return false;
            }
        }
        return true;
    }

    /** node's groupArrayElements: short entries of a long array in columns. */
    private List<String> group(List<String> output, List<?> values) {
        int outputLength = output.size();
        if (values.size() > MAX_ARRAY_LENGTH) {
            outputLength--; // the "... more items" line is not grouped
        }
        int separatorSpace = 2;
        int[] dataLen = new int[outputLength];
        int totalLength = 0;
        int maxLength = 0;
        for (int i = 0; i < outputLength; i++) {
            int len = output.get(i).length();
            dataLen[i] = len;
            totalLength += len + separatorSpace;
            maxLength = Math.max(maxLength, len);
        }
        int actualMax = maxLength + separatorSpace;
        if (actualMax * 3 + indentation >= BREAK_LENGTH || !((double) totalLength / actualMax > 5 || maxLength <= 6)) {
            return output;
        }
        double averageBias = Math.sqrt(actualMax - (double) totalLength / output.size());
        double biasedMax = Math.max(actualMax - 3 - averageBias, 1);
        int columns = (int) Math.min(
                Math.min(
                        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
                        Math.floor((BREAK_LENGTH - indentation) / (double) actualMax)),
                Math.min(COMPACT * 4, 15));
        if (columns <= 1) {
            return output;
        }
        int[] maxLineLength = new int[columns];
        for (int i = 0; i < columns; i++) {
            int lineLength = 0;
            for (int j = i; j < output.size(); j += columns) {
                if (j < outputLength && dataLen[j] > lineLength) {
                    lineLength = dataLen[j];
                }
            }
            maxLineLength[i] = lineLength + separatorSpace;
        }
        boolean numbers = true;
        for (int i = 0; i < outputLength; i++) {
            numbers &= values.get(i) instanceof Number;
        }
        List<String> grouped = new ArrayList<>();
        for (int i = 0; i < outputLength; i += columns) {
            int max = Math.min(i + columns, outputLength);
            StringBuilder line = new StringBuilder();
            int j = i;
            for (; j < max - 1; j++) {
                line.append(pad(output.get(j) + ", ", maxLineLength[j - i], numbers));
            }
            line.append(numbers ? pad(output.get(j), maxLineLength[j - i] - separatorSpace, true) : output.get(j));
            grouped.add(line.toString());
        }
        if (values.size() > MAX_ARRAY_LENGTH) {
            grouped.add(output.get(outputLength));
        }
        return grouped;
    }

    /** padStart for numbers (they line up on the right), padEnd for anything else. */
    private static String pad(String text, int width, boolean start) {
        if (text.length() >= width) {
            return text;
        }
        String spaces = " ".repeat(width - text.length());
        return start ? spaces + text : text + spaces;
    }

    private static String key(String key) {
        return IDENTIFIER.matcher(key).matches() ? key : quote(key);
    }

    private String string(String s) {
        String trailer = "";
        if (s.length() > MAX_STRING_LENGTH) {
            int more = s.length() - MAX_STRING_LENGTH;
            s = s.substring(0, MAX_STRING_LENGTH);
            trailer = "... " + more + " more character" + (more > 1 ? "s" : "");
        }
        if (s.length() > MIN_LINE_WIDTH && s.length() > BREAK_LENGTH - indentation - 4) {
            // node splits a long string after each of its newlines, one quoted piece a line
            List<String> pieces = new ArrayList<>();
            int from = 0;
            for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
                pieces.add(quote(s.substring(from, nl + 1)));
                from = nl + 1;
            }
            if (from < s.length()) {
                pieces.add(quote(s.substring(from)));
            }
            return String.join(" +\n" + " ".repeat(indentation + 2), pieces) + trailer;
        }
        return quote(s) + trailer;
    }

    /** node's strEscape: single quotes, or double quotes or backticks when the text holds a single quote. */
    static String quote(String s) {
        char quote = '\'';
        if (s.indexOf('\'') >= 0) {
            if (s.indexOf('"') < 0) {
                quote = '"';
            } else if (s.indexOf('`') < 0 && !s.contains("${")) {
                quote = '`';
            }
        }
        Pattern test = quote == '\'' ? NEEDS_ESCAPE : NEEDS_ESCAPE_NO_QUOTE;
        if (!test.matcher(s).find()) {
            return quote + s + quote;
        }
        StringBuilder out = new StringBuilder(s.length() + 8).append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote && quote == '\'') {
                out.append("\\'");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                out.append(
                        switch (c) {
                            case '\b' -> "\\b";
                            case '\t' -> "\\t";
                            case '\n' -> "\\n";
                            case '\f' -> "\\f";
                            case '\r' -> "\\r";
                            default -> String.format("\\x%02X", (int) c);
                        });
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    /** A number as JavaScript writes it: no ".0" on whole numbers, exponents as "1e+21". */
    static String number(Number n) {
        if (n instanceof Long || n instanceof Integer) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (d == 0 && 1 / d < 0) {
            return "-0";
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        if (Math.abs(d) >= 1e-6 && Math.abs(d) < 1e21) {
            // JavaScript writes these out in full ("0.0001"), where Java's toString says "1.0E-4"
            return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        String text = Double.toString(d); // "1.0E-7", "1.0E21"
        int e = text.indexOf('E');
        if (e < 0) {
            return text;
        }
        String mantissa = text.substring(0, e).replaceAll("\\.0$", "");
        String exponent = text.substring(e + 1);
        return mantissa + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
    }
}
