package io.jpm.satan;

import io.jpm.protocol.AppMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, which OpenMetrics text also reads
 * as) that an app serves at its {@code metrics_url}: {@code # TYPE} lines, and samples
 * {@code name{label="value",...} value [timestamp]}. The Prometheus Java client writes this format
 * but has no reader; the format is line-based and small, and this reader is tested against the
 * client libraries' output ({@code PrometheusTextTest}). A line that does not read is skipped and
 * counted, never fatal: one bad line of an app must not hide the others.
 */
final class PrometheusText {
    /** What an app may make Satan hold per scrape. */
    static final int MAX_SAMPLES = 2000;

    private PrometheusText() {}

    /** The samples, and how many lines were skipped. */
    record Parsed(List<AppMetrics.Sample> samples, int skipped) {}

    static Parsed parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<AppMetrics.Sample> samples = new ArrayList<>();
        int skipped = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] words = line.split("\\s+", 4);
                if (words.length >= 4 && words[1].equals("TYPE")) {
                    types.put(words[2], words[3].trim());
                }
                continue;
            }
            if (samples.size() >= MAX_SAMPLES) {
                skipped++;
                continue;
            }
            AppMetrics.Sample sample = sample(line, types);
            if (sample == null) {
                skipped++;
            } else {
                samples.add(sample);
            }
        }
        return new Parsed(samples, skipped);
    }

    private static AppMetrics.Sample sample(String line, Map<String, String> types) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).trim().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        Double value = value(rest[0]);
        return value == null ? null : new AppMetrics.Sample(name, typeOf(name, types), labels, value);
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; the index after the closing brace, or -1. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (i < line.length()) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < line.length() && isNameChar(line.charAt(i), i == start)) {
                i++;
            }
            if (i == start || i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                return -1;
            }
            String label = line.substring(start, i);
            i += 2;
            StringBuilder value = new StringBuilder();
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    char next = line.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            labels.put(label, value.toString());
            i++;
        }
        return -1;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_'
                || c == ':'
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (!first && c >= '0' && c <= '9');
    }

    private static Double value(String text) {
        switch (text) {
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    /** A sample's family type: its own name's TYPE, or its family's for the suffixed lines. */
    private static String typeOf(String name, Map<String, String> types) {
        String type = types.get(name);
        if (type != null) {
            return type;
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info")) {
            if (name.endsWith(suffix)) {
                String family = types.get(name.substring(0, name.length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        return "untyped";
    }
}
