package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EnvSecretsTest {
    private static JsonArray list(String app, JsonObject env) {
        return new JsonArray()
                .add(new JsonObject()
                        .put("name", app)
                        .put("pm_id", 0)
                        .put("pm2_env", new JsonObject().put("env", env)));
    }

    @Test
    void aSecretNamedValueIsMaskedInTheAppsTextOnly() {
        EnvSecrets secrets = EnvSecrets.of(list(
                "api",
                new JsonObject()
                        .put("DB_PASSWORD", "hunter2-db")
                        .put("STRIPE_API_KEY", "sk_live_abc123")
                        .put("HOME", "/home/deploy")
                        .put("PWD", "/srv/api-session")
                        .put("NODE_ENV", "production")));
        assertEquals(
                "login failed with <redacted> (key <redacted>) in production at /srv/api-session/db.js:3",
                secrets.mask(
                        "api",
                        "login failed with hunter2-db (key sk_live_abc123) in production at /srv/api-session/db.js:3"));
        assertEquals("hunter2-db", secrets.mask("worker", "hunter2-db"), "another app's text is its own");
        assertTrue(secrets.knows("api"));
        assertFalse(secrets.knows("worker"));
    }

    @Test
    void aUrlWithAPasswordIsMaskedWhateverItsName() {
        EnvSecrets secrets =
                EnvSecrets.of(list("api", new JsonObject().put("DATABASE_URL", "postgres://app:pw9@db/app")));
        assertEquals("cannot reach <redacted>", secrets.mask("api", "cannot reach postgres://app:pw9@db/app"));
    }

    @Test
    void shortAndNumericValuesAreLeft() {
        assertFalse(EnvSecrets.isSecret("AUTH_ENABLED", "true"));
        assertFalse(EnvSecrets.isSecret("SESSION_TTL_S", "864000"));
        assertFalse(EnvSecrets.isSecret("OLDPWD", "/home/deploy/secrets"));
        assertTrue(EnvSecrets.isSecret("PM2_SERVE_BASIC_AUTH_PASSWORD", "letmein"));
    }
}
