package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.BalancerOptions.Balance;
import io.jpm.process.Signal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The balancer's options, read through AppConfigParser as an ecosystem file's app would be. */
class BalancerOptionsParserTest {
    @TempDir
    Path dir;

    private ApiApp api;
    private AppConfigParser parser;

    @BeforeEach
    void script() throws IOException {
        api = new ApiApp(dir, "server.py", Map.of("PATH", "/usr/bin:/bin"));
        parser = api.parser;
    }

    private BalancerOptions parse(String options) {
        return api.read(options).balancer();
    }

    @Test
    void aForkAppHasNoBalancerAndPm2sInstanceVar() {
        BalancerOptions b = parse("");
        assertFalse(b.balanced());
        assertEquals("NODE_APP_INSTANCE", b.instanceVar());
        assertNull(b.incrementVar());
    }

    @Test
    void aPortMakesAClusterAppWithLoopbackRoundRobinDefaults() {
        AppConfig config = parser.parse(
                new JsonObject("{\"name\":\"api\",\"script\":\"server.py\",\"port\":8080,\"instances\":2}"), null);
        assertEquals("cluster", config.execMode());
        BalancerOptions b = config.balancer();
        assertTrue(b.balanced());
        assertEquals(8080, b.port());
        assertEquals("127.0.0.1", b.host());
        assertEquals(Balance.ROUND_ROBIN, b.balance());
        assertEquals(10_000, b.listenTimeoutMs(), "a balanced app waits longer than pm2's 3 s for a new instance");
    }

    @Test
    void aPortAloneIsPm2sPortVariableNotTheBalancer() throws IOException {
        // pm2 (Common.js prepareAppConf): port sets PORT, over env; env_<name> still wins
        AppConfig config = parser.parse(
                new JsonObject(
                        "{\"name\":\"api\",\"script\":\"server.py\",\"port\":8080," + "\"env\":{\"PORT\":\"1111\"}}"),
                null);
        assertEquals("fork", config.execMode());
        assertFalse(config.balancer().balanced() || config.balancer().sharesSocket());
        assertNull(config.balancer().port());
        assertEquals(8080, config.balancer().envPort());
        assertEquals("8080", config.env().get("PORT"));
        assertEquals(3_000, config.balancer().listenTimeoutMs(), "pm2's listen_timeout outside the balancer");
        AppConfig named = parser.parse(
                new JsonObject("{\"name\":\"api\",\"script\":\"server.py\",\"port\":8080,"
                        + "\"env_production\":{\"PORT\":\"9999\"}}"),
                "production");
        assertEquals("9999", named.env().get("PORT"));
        // without any env too, and for exec_mode fork with instances (each gets the same PORT, as in pm2)
        assertEquals(
                "8080",
                parser.parse(
                                new JsonObject("{\"name\":\"api\",\"script\":\"server.py\",\"port\":8080,"
                                        + "\"exec_mode\":\"fork\",\"instances\":2}"),
                                null)
                        .env()
                        .get("PORT"));
        assertEquals(
                "8080",
                parser.parse(
                                new JsonObject("{\"name\":\"api\",\"script\":\"server.py\",\"port\":8080,"
                                        + "\"instances\":1}"),
                                null)
                        .env()
                        .get("PORT"));
        // a Node script with a port but no instances is pm2's fork app too
        Files.writeString(dir.resolve("app.js"), "\n");
        AppConfig node = parser.parse(new JsonObject("{\"name\":\"web\",\"script\":\"app.js\",\"port\":3000}"), null);
        assertEquals("fork", node.execMode());
        assertEquals("3000", node.env().get("PORT"));
        // increment_var PORT counts from the port, as pm2 sets PORT before it increments
        assertEquals(
                "PORT",
                parse(",\"port\":8080,\"exec_mode\":\"fork\",\"instances\":2,\"increment_var\":\"PORT\"")
                        .incrementVar());
    }

    @Test
    void theBalancerIsForAppsThatAskForIt() throws IOException {
        assertTrue(parse(",\"port\":8080,\"exec_mode\":\"cluster\"").balanced());
        assertTrue(parse(",\"port\":8080,\"instances\":2").balanced());
        assertTrue(parse(",\"port\":8080,\"instances\":\"max\"").balanced());
        assertTrue(parse(",\"port\":8080,\"balance\":\"http\"").balanced());
        assertTrue(parse(",\"port\":8080,\"host\":\"0.0.0.0\"").balanced());
        assertTrue(parse(",\"port\":8080,\"proxy_protocol\":true").balanced());
        Files.writeString(dir.resolve("app.js"), "\n");
        AppConfig node = parser.parse(
                new JsonObject("{\"name\":\"web\",\"script\":\"app.js\",\"port\":3000,\"instances\":1}"), null);
        assertEquals("cluster", node.execMode(), "pm2's rule: a Node script with instances is a cluster app");
        assertTrue(node.balancer().sharesSocket());
        assertEquals(3000, node.balancer().port());
    }

    @Test
    void gunicornSharesASocketAndStopsWithSigtermUnlessTold() throws IOException {
        Path gunicorn = Files.writeString(dir.resolve("gunicorn"), "#!/bin/sh\n");
        gunicorn.toFile().setExecutable(true);
        AppConfig config = parser.parse(
                new JsonObject()
                        .put("name", "g")
                        .put("script", "gunicorn")
                        .put("args", "app:app")
                        .put("instances", 2)
                        .put("port", 8000),
                null);
        assertEquals(Balance.SOCKET, config.balancer().balance());
        assertEquals(8000, config.balancer().port());
        assertEquals(Signal.SIGTERM, config.policy().killSignal());
        AppConfig told = parser.parse(
                new JsonObject()
                        .put("name", "g")
                        .put("script", "gunicorn")
                        .put("kill_signal", "SIGINT")
                        .put("instances", 2)
                        .put("port", 8000)
                        .put("balance", "round-robin"),
                null);
        assertEquals(Signal.SIGINT, told.policy().killSignal());
        assertEquals(Balance.ROUND_ROBIN, told.balancer().balance());
        assertEquals(
                Signal.SIGINT,
                parser.parse(new JsonObject("{\"name\":\"api\",\"script\":\"server.py\"}"), null)
                        .policy()
                        .killSignal(),
                "pm2's SIGINT for everything else");
    }

    @Test
    void argumentsNamingFd3ShareASocketAndAJvmWaitsLonger() {
        AppConfig gunicorn = parser.parse(
                new JsonObject()
                        .put("name", "g")
                        .put("script", "/usr/bin/env")
                        .put("args", "gunicorn app:app")
                        .put("instances", 2)
                        .put("port", 8000),
                null);
        assertEquals(
                Balance.ROUND_ROBIN, gunicorn.balancer().balance(), "env is not gunicorn: what runs is the script");
        AppConfig uvicorn = parser.parse(
                new JsonObject()
                        .put("name", "u")
                        .put("script", "/usr/bin/env")
                        .put("args", "uvicorn app:app --fd 3")
                        .put("instances", 2)
                        .put("port", 8000),
                null);
        assertEquals(Balance.SOCKET, uvicorn.balancer().balance());
        assertEquals(10_000, uvicorn.balancer().listenTimeoutMs());
        AppConfig chosen = parser.parse(
                new JsonObject()
                        .put("name", "u")
                        .put("script", "/usr/bin/env")
                        .put("args", "uvicorn app:app --fd 3")
                        .put("instances", 2)
                        .put("port", 8000)
                        .put("balance", "http"),
                null);
        assertEquals(Balance.HTTP, chosen.balancer().balance(), "an explicit balance wins");
        AppConfig jvm = parser.parse(
                new JsonObject()
                        .put("name", "j")
                        .put("script", "server.py")
                        .put("interpreter", "java")
                        .put("instances", 2)
                        .put("port", 8000),
                null);
        assertEquals(30_000, jvm.balancer().listenTimeoutMs());
        assertEquals(
                4_000,
                parser.parse(
                                new JsonObject()
                                        .put("name", "j")
                                        .put("script", "server.py")
                                        .put("interpreter", "java")
                                        .put("instances", 2)
                                        .put("port", 8000)
                                        .put("listen_timeout", "4s"),
                                null)
                        .balancer()
                        .listenTimeoutMs());
    }

    @Test
    void everyOptionIsRead() {
        BalancerOptions b =
                parse(",\"exec_mode\":\"cluster\",\"port\":\"9000\",\"host\":\"0.0.0.0\",\"balance\":\"http\","
                        + "\"listen_timeout\":\"8s\",\"instance_var\":\"INSTANCE_ID\",\"increment_var\":\"METRICS_PORT\","
                        + "\"env\":{\"METRICS_PORT\":9100}");
        assertEquals(9000, b.port());
        assertEquals("0.0.0.0", b.host());
        assertEquals(Balance.HTTP, b.balance());
        assertEquals(8000, b.listenTimeoutMs());
        assertEquals("INSTANCE_ID", b.instanceVar());
        assertEquals("METRICS_PORT", b.incrementVar());
        assertEquals(
                Balance.LEAST_CONNECTIONS,
                parse(",\"port\":1,\"balance\":\"least-connections\"").balance());
    }

    @Test
    void badValuesAreRefusedByName() {
        api.refuses(
                ",\"exec_mode\":\"fork\",\"port\":8080,\"balance\":\"http\"",
                "balance",
                "a fork app (exec_mode fork) has none");
        api.refuses(",\"exec_mode\":\"fork\",\"port\":8080,\"host\":\"0.0.0.0\"", "host", "use exec_mode cluster");
        api.refuses(",\"port\":0", "port", "1-65535");
        api.refuses(",\"port\":70000", "port", "1-65535");
        api.refuses(",\"port\":\"http\"", "port", "port number");
        api.refuses(",\"port\":80.5", "port", "port number");
        api.refuses(",\"port\":8080,\"balance\":\"random\"", "balance", "round-robin, least-connections, http");
        api.refuses(",\"port\":8080,\"host\":\"\"", "host", "empty");
        api.refuses(",\"port\":8080,\"host\":8", "host", "must be a string");
        api.refuses(",\"host\":\"0.0.0.0\"", "host", "needs a 'port'");
        api.refuses(",\"balance\":\"http\"", "balance", "needs a 'port'");
        api.refuses(",\"port\":8080,\"listen_timeout\":\"soon\"", "listen_timeout", "positive duration");
        api.refuses(",\"port\":8080,\"listen_timeout\":0", "listen_timeout", "positive duration");
        api.refuses(",\"instance_var\":\"MY-ID\"", "instance_var", "environment variable name");
    }

    @Test
    void incrementVarWithoutANumberInEnvCountsFromZeroAsPm2Does() {
        // pm2's God.js: Number(env[var]) || 0
        assertEquals("PORT", parse(",\"increment_var\":\"PORT\"").incrementVar());
        assertEquals(
                "PORT",
                parse(",\"increment_var\":\"PORT\",\"env\":{\"PORT\":\"abc\"}").incrementVar());
    }

    @Test
    void proxyProtocolIsOffUnlessAskedAndGoesToTheBalancerWithListenTimeout() {
        assertFalse(parse(",\"port\":8080,\"instances\":2").proxyProtocol());
        BalancerOptions b = parse(",\"port\":8080,\"proxy_protocol\":true,\"listen_timeout\":1500");
        assertTrue(b.proxyProtocol());
        var spec = b.spec("api");
        assertEquals(8080, spec.port());
        assertEquals(1500, spec.listenTimeoutMs());
        assertTrue(spec.proxyProtocol());
        assertEquals("round-robin", spec.balance());
    }

    @Test
    void proxyProtocolMustBeABooleanOfATcpModeWithAPort() {
        api.refuses(",\"port\":8080,\"proxy_protocol\":\"yes\"", "proxy_protocol", "must be true or false, got yes");
        api.refuses(",\"port\":8080,\"proxy_protocol\":1", "proxy_protocol", "must be true or false, got 1");
        api.refuses(
                ",\"port\":8080,\"balance\":\"http\",\"proxy_protocol\":true",
                "proxy_protocol",
                "is for the TCP modes");
        api.refuses(",\"proxy_protocol\":true", "proxy_protocol", "needs a 'port' to balance");
    }

    @Test
    void preferAndStickyGoToTheBalancer() {
        var spec = parse(",\"port\":8080,\"prefer\":\"local\"").spec("api");
        assertEquals("local", spec.prefer());
        assertNull(spec.sticky());
        assertEquals("ip", parse(",\"port\":8080,\"sticky\":\"ip\"").spec("api").sticky());
        assertNull(parse(",\"port\":8080,\"instances\":2").spec("api").prefer());
    }

    @Test
    void preferAndStickyAreRefusedInOneLineOutsideAProxyModeOrWithAnUnknownValue() {
        api.refuses(",\"port\":8080,\"sticky\":\"session\"", "sticky", "must be \"ip\" or \"cookie\", got 'session'");
        api.refuses(",\"port\":8080,\"prefer\":\"remote\"", "prefer", "must be \"local\", got 'remote'");
        api.refuses(
                ",\"port\":8080,\"balance\":\"socket\",\"sticky\":\"ip\"",
                "sticky",
                "is for the proxy modes (round-robin, least-connections, http): in socket mode");
        api.refuses(",\"port\":8080,\"balance\":\"socket\",\"prefer\":\"local\"", "prefer", "is for the proxy modes");
        api.refuses(
                ",\"port\":8080,\"sticky\":\"ip\",\"prefer\":\"local\"", "sticky", "and 'prefer' do not go together");
        api.refuses(",\"sticky\":\"ip\"", "sticky", "needs a 'port' to balance");
    }

    /** {@code sticky: "cookie"} goes to the balancer in HTTP mode; a TCP mode cannot read a cookie: refused. */
    @Test
    void stickyCookieIsHttpModes() {
        AppConfig config = api.read(",\"port\":8080,\"balance\":\"http\",\"sticky\":\"cookie\"");
        assertEquals("cookie", config.balancer().spec("api").sticky());
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
        api.refuses(
                ",\"port\":8080,\"balance\":\"round-robin\",\"sticky\":\"cookie\"",
                "sticky",
                "\"cookie\" is for HTTP mode (balance: \"http\")");
    }
}
