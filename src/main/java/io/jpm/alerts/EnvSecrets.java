package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The apps' secrets, as their environment holds them, to be left out of what an exception shows (its
 * message, place and stack) and so of its alert, which goes to a chat's webhook: the value of each
 * variable whose name says it is a secret ({@code DB_PASSWORD}, {@code API_KEY}, {@code STRIPE_TOKEN},
 * {@code SESSION_SECRET}, {@code SENTRY_DSN}...) or that holds a URL with a password
 * ({@code postgres://app:pw@db/app}) is replaced by {@link #MASK}. Values shorter than
 * {@link #MIN_LENGTH} or made of digits only are left: "true" or a port would mask half a message.
 */
final class EnvSecrets {
    static final String MASK = "<redacted>";
    static final int MIN_LENGTH = 6;

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|secret|token|key|auth|credential|private|cookie|session|salt|signature|dsn).*");
    /** A URL whose user part carries a password: scheme://user:password@host. */
    private static final Pattern URL_WITH_PASSWORD =
            Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://[^/@:\\s]*:[^/@\\s]+@.*");

    /** Each app's secret values, the longest first (one that holds another is masked whole). */
    private final Map<String, List<String>> byApp = new HashMap<>();

    /** The secrets of each process of God's list (pm2_env.env with its values). */
    static EnvSecrets of(JsonArray processes) {
        EnvSecrets secrets = new EnvSecrets();
        for (Object o : processes) {
            if (!(o instanceof JsonObject p)) {
                continue;
            }
            JsonObject env = p.getJsonObject("pm2_env", new JsonObject()).getJsonObject("env", new JsonObject());
            List<String> values = secrets.byApp.computeIfAbsent(p.getString("name", ""), n -> new ArrayList<>());
            env.forEach(e -> {
                if (e.getValue() instanceof String v && isSecret(e.getKey(), v) && !values.contains(v)) {
                    values.add(v);
                }
            });
            values.sort(Comparator.comparingInt(String::length).reversed());
        }
        return secrets;
    }

    static boolean isSecret(String name, String value) {
        if (value.length() < MIN_LENGTH || value.chars().allMatch(Character::isDigit)) {
            return false;
        }
        // the working directories are in every stack and are nobody's secret
        boolean folder = name.equals("PWD") || name.equals("OLDPWD");
        return (!folder && SECRET_NAME.matcher(name).matches())
                || URL_WITH_PASSWORD.matcher(value).matches();
    }

    /** Whether {@code app} was in the list these were read from. */
    boolean knows(String app) {
        return byApp.containsKey(app);
    }

    /** {@code text} with each of {@code app}'s secret values replaced by {@link #MASK}. */
    String mask(String app, String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : byApp.getOrDefault(app, List.of())) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
