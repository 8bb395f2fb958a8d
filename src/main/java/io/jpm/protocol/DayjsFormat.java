package io.jpm.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date format written with dayjs tokens, as pm2 users write {@code log_date_format}
 * ({@code YYYY-MM-DD HH:mm:ss Z}): compiled once, then formatting is a walk over parts. Text in
 * {@code [brackets]} and every character that is not a token are copied, as dayjs does. In
 * {@code protocol} because the client formats with it too ({@code jpm logs --timestamp}).
 */
public final class DayjsFormat {
    /** Longest first, so "YYYY" is not read as "YY" twice. */
    private static final List<String> TOKENS = List.of(
            "YYYY", "MMMM", "dddd", "SSS", "MMM", "ddd", "YY", "MM", "DD", "dd", "HH", "hh", "mm", "ss", "ZZ", "M", "D",
            "d", "H", "h", "m", "s", "Z", "A", "a", "X", "x");

    private final String pattern;
    private final List<Object> parts;
    /** {@link #parseStart}'s pattern, made on first use. */
    private Pattern reader;

    private DayjsFormat(String pattern, List<Object> parts) {
        this.pattern = pattern;
        this.parts = parts;
    }

    /** pm2's format for {@code time: true}. */
    public static final String PM2_TIME = "YYYY-MM-DDTHH:mm:ss";

    /**
     * Compiles a format. As in dayjs, nothing in it is an error: a {@code [} never closed is copied,
     * as is a text without any token (pm2 writes such a prefix as it is).
     *
     * @throws IllegalArgumentException when the format is empty (pm2 then writes no time at all)
     */
    public static DayjsFormat compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("is empty; use dayjs tokens like \"YYYY-MM-DD HH:mm:ss Z\"");
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '[') {
                int close = pattern.indexOf(']', i + 1);
                if (close > i + 1) {
                    literal.append(pattern, i + 1, close);
                    i = close + 1;
                    continue;
                }
                literal.append(c); // dayjs copies a '[' that starts no [text]
                i++;
                continue;
            }
            String token = tokenAt(pattern, i);
            if (token == null) {
                literal.append(c);
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(Token.of(token));
            i += token.length();
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new DayjsFormat(pattern, List.copyOf(parts));
    }

    private static String tokenAt(String pattern, int i) {
        for (String token : TOKENS) {
            if (pattern.startsWith(token, i)) {
                return token;
            }
        }
        return null;
    }

    public String pattern() {
        return pattern;
    }

    /**
     * The time written with this format at the start of {@code text} and followed by {@code then},
     * when the format holds a whole date (year, month and day, or X/x); null otherwise. Read in
     * {@code zone} unless the format writes its offset (Z, ZZ).
     */
    public Instant parseStart(String text, String then, ZoneId zone) {
        if (reader == null) {
            reader = reader();
        }
        Matcher m = reader.matcher(text);
        if (!m.lookingAt() || !text.startsWith(then, m.end())) {
            return null;
        }
        try {
            return Token.read(parts, m, zone);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private Pattern reader() {
        StringBuilder regex = new StringBuilder();
        for (Object part : parts) {
            regex.append(part instanceof Token token ? "(" + token.regex() + ")" : Pattern.quote((String) part));
        }
        return Pattern.compile(regex.toString());
    }

    /** Each compiled part, in order: a token by its name ({@code token} true), or a text copied as it is. */
    public void forEachPart(BiConsumer<Boolean, String> part) {
        for (Object p : parts) {
            part.accept(p instanceof Token, p.toString());
        }
    }

    public String format(ZonedDateTime t) {
        StringBuilder out = new StringBuilder(32);
        for (Object part : parts) {
            if (part instanceof Token token) {
                token.append(out, t);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    private enum Token {
        YYYY,
        YY,
        MMMM,
        MMM,
        MM,
        M,
        DD,
        D,
        dddd,
        ddd,
        dd,
        d,
        HH,
        H,
        hh,
        h,
        mm,
        m,
        ss,
        s,
        SSS,
        ZZ,
        Z,
        A,
        a,
        X,
        x;

        static Token of(String text) {
            return valueOf(text);
        }

        String regex() {
            return switch (this) {
                case YYYY -> "\\d{4}";
                case YY, MM, DD, HH, hh, mm, ss -> "\\d{2}";
                case M, D, H, h, m, s -> "\\d{1,2}";
                case SSS -> "\\d{3}";
                case MMMM, MMM, dddd, ddd, dd -> "[A-Za-z]+";
                case d -> "\\d";
                case Z -> "[+-]\\d{2}:\\d{2}";
                case ZZ -> "[+-]\\d{4}";
                case A, a -> "[AaPp][Mm]";
                case X, x -> "\\d{1,16}";
            };
        }

        /** The instant the matched groups write; null without a whole date. */
        static Instant read(List<Object> parts, Matcher m, ZoneId zone) {
            int[] f = {-1, -1, -1, 0, 0, 0, 0}; // year, month, day, hour, minute, second, millis
            boolean pm = false;
            boolean twelve = false;
            ZoneId in = zone;
            int group = 0;
            for (Object part : parts) {
                if (!(part instanceof Token token)) {
                    continue;
                }
                String v = m.group(++group);
                switch (token) {
                    case YYYY -> f[0] = Integer.parseInt(v);
                    case YY -> f[0] = 2000 + Integer.parseInt(v);
                    case MMMM, MMM -> f[1] = month(v);
                    case MM, M -> f[1] = Integer.parseInt(v);
                    case DD, D -> f[2] = Integer.parseInt(v);
                    case HH, H -> f[3] = Integer.parseInt(v);
                    case hh, h -> {
                        f[3] = Integer.parseInt(v) % 12;
                        twelve = true;
                    }
                    case mm, m -> f[4] = Integer.parseInt(v);
                    case ss, s -> f[5] = Integer.parseInt(v);
                    case SSS -> f[6] = Integer.parseInt(v);
                    case Z, ZZ -> in = ZoneOffset.of(v.length() == 5 ? v.substring(0, 3) + ":" + v.substring(3) : v);
                    case A, a -> pm = v.equalsIgnoreCase("PM");
                    case X -> {
                        return Instant.ofEpochSecond(Long.parseLong(v));
                    }
                    case x -> {
                        return Instant.ofEpochMilli(Long.parseLong(v));
                    }
                    default -> {
                        // the day of the week: the date says it already
                    }
                }
            }
            if (f[0] < 0 || f[1] < 0 || f[2] < 0) {
                return null;
            }
            int hour = twelve && pm ? f[3] + 12 : f[3];
            return ZonedDateTime.of(f[0], f[1], f[2], hour, f[4], f[5], f[6] * 1_000_000, in)
                    .toInstant();
        }

        private static int month(String name) {
            for (Month month : Month.values()) {
                String full = month.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                if (full.equalsIgnoreCase(name) || full.substring(0, 3).equalsIgnoreCase(name)) {
                    return month.getValue();
                }
            }
            throw new NumberFormatException(name);
        }

        void append(StringBuilder out, ZonedDateTime t) {
            switch (this) {
                case YYYY -> pad(out, t.getYear(), 4);
                case YY -> pad(out, t.getYear() % 100, 2);
                case MMMM -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case MMM -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case MM -> pad(out, t.getMonthValue(), 2);
                case M -> out.append(t.getMonthValue());
                case DD -> pad(out, t.getDayOfMonth(), 2);
                case D -> out.append(t.getDayOfMonth());
                case dddd -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case ddd -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case dd -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), 0, 2);
                case d -> out.append(t.getDayOfWeek().getValue() % 7);
                case HH -> pad(out, t.getHour(), 2);
                case H -> out.append(t.getHour());
                case hh -> pad(out, twelve(t), 2);
                case h -> out.append(twelve(t));
                case mm -> pad(out, t.getMinute(), 2);
                case m -> out.append(t.getMinute());
                case ss -> pad(out, t.getSecond(), 2);
                case s -> out.append(t.getSecond());
                case SSS -> pad(out, t.getNano() / 1_000_000, 3);
                case Z -> offset(out, t, true);
                case ZZ -> offset(out, t, false);
                case A -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case a -> out.append(t.getHour() < 12 ? "am" : "pm");
                case X -> out.append(t.toEpochSecond());
                case x -> out.append(t.toInstant().toEpochMilli());
                default -> throw new AssertionError(this);
            }
        }

        private static int twelve(ZonedDateTime t) {
            int h = t.getHour() % 12;
            return h == 0 ? 12 : h;
        }

        private static void offset(StringBuilder out, ZonedDateTime t, boolean colon) {
            int seconds = t.getOffset().getTotalSeconds();
            out.append(seconds < 0 ? '-' : '+');
            int abs = Math.abs(seconds) / 60;
            pad(out, abs / 60, 2);
            if (colon) {
                out.append(':');
            }
            pad(out, abs % 60, 2);
        }

        private static void pad(StringBuilder out, int value, int width) {
            String text = Integer.toString(value);
            for (int i = text.length(); i < width; i++) {
                out.append('0');
            }
            out.append(text);
        }
    }
}
