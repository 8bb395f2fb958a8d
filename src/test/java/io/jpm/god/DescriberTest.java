package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.process.Signal;
import io.jpm.protocol.Access;
import io.jpm.protocol.ProcessState;
import io.jpm.serve.ServeOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jlist as scripts read it: pm2's own e2e suite (and scripts written against pm2) count a status
 * word or a value in {@code prettylist}/{@code jlist} output, so jpm's own fields must not say it a
 * second time.
 */
class DescriberTest {
    @TempDir
    Path dir;

    private Instance instance(String options) throws IOException {
        Files.writeString(dir.resolve("server.py"), "import time\n");
        AppConfig config = new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(new JsonObject("{\"script\":\"server.py\",\"name\":\"api\"" + options + "}"), null);
        return ApiInstance.of(0, 0, config, null, "/pids/api-0.pid", e -> {});
    }

    private static int count(String text, String word) {
        return text.split(Pattern.quote(word), -1).length - 1;
    }

    private static String described(Instance i) {
        return new Describer("box")
                .describe(i, System.currentTimeMillis(), true)
                .encode();
    }

    @Test
    void eachStatusWordIsSaidOnceWhateverTheWayThere() throws IOException {
        Instance i = instance("");
        i.transitionTo(ProcessState.LAUNCHING, "start");
        i.run().spawned(100, 0, System.currentTimeMillis(), null);
        i.transitionTo(ProcessState.ONLINE, "spawned pid 100");
        assertEquals(1, count(described(i), "online"), described(i));
        i.transitionTo(ProcessState.STOPPING, "stop asked");
        i.run().ended(null, Signal.parse("SIGINT"));
        i.exitTo(ProcessState.STOPPED, "exit after a stop: killed by SIGINT");
        assertEquals(1, count(described(i), "stopped"), described(i));

        Instance crashed = instance("");
        crashed.transitionTo(ProcessState.LAUNCHING, "start");
        crashed.run().spawned(101, 0, System.currentTimeMillis(), null);
        crashed.transitionTo(ProcessState.ONLINE, "spawned pid 101");
        crashed.run().ended(1, null);
        crashed.exitTo(ProcessState.ERRORED, "exited with code 1; exited 16 times in a row before min_uptime");
        assertEquals(1, count(described(crashed), "errored"), described(crashed));
    }

    /**
     * Issue 62: pm2 7.0.4's jlist gives a stopped or errored app's last start as pm_uptime, and an
     * app that never ran (--no-autostart) its creation; 0 made pm2's exporters show 56 years.
     */
    @Test
    void pmUptimeIsTheLastStartWhateverTheStatus() throws IOException {
        Instance never = instance("");
        assertEquals(never.createdAt, pmUptime(never));

        Instance i = instance("");
        i.transitionTo(ProcessState.LAUNCHING, "start");
        i.run().spawned(100, 0, 1_000L, null);
        i.transitionTo(ProcessState.ONLINE, "spawned pid 100");
        assertEquals(1_000L, pmUptime(i));
        i.transitionTo(ProcessState.STOPPING, "stop asked");
        i.run().ended(null, Signal.parse("SIGINT"));
        i.exitTo(ProcessState.STOPPED, "exit after a stop: killed by SIGINT");
        assertEquals(1_000L, pmUptime(i));

        Instance crashed = instance("");
        crashed.transitionTo(ProcessState.LAUNCHING, "start");
        crashed.run().spawned(101, 0, 2_000L, null);
        crashed.transitionTo(ProcessState.ONLINE, "spawned pid 101");
        crashed.run().ended(1, null);
        crashed.exitTo(ProcessState.ERRORED, "exited with code 1; exited 16 times in a row before min_uptime");
        assertEquals(2_000L, pmUptime(crashed));
    }

    private static long pmUptime(Instance i) {
        return new Describer("box")
                .describe(i, System.currentTimeMillis(), true)
                .getJsonObject("pm2_env")
                .getLong("pm_uptime");
    }

    @Test
    void watchIsListedAsTheAppGaveItAndOnlyOnce() throws IOException {
        Files.createDirectories(dir.resolve("server"));
        Files.createDirectories(dir.resolve("client"));
        Instance i = instance(",\"watch\":[\"server\",\"client\"],\"ignore_watch\":[\"node_modules\",\"client/img\"]");
        JsonObject env = new Describer("box")
                .describe(i, System.currentTimeMillis(), true)
                .getJsonObject("pm2_env");
        assertEquals(new JsonArray().add("server").add("client"), env.getValue("watch"));
        assertEquals(new JsonArray().add("node_modules").add("client/img"), env.getValue("ignore_watch"));
        assertEquals(1, count(described(i), "\"watch\":"), described(i));
        assertEquals(1, count(described(instance(",\"watch\":true")), "\"watch\":true"));
    }

    /** The read-only token's view: every name, no value; serve's password is withheld from every view. */
    @Test
    void namesOnlyWithholdsEveryValueAndServesPasswordIsNeverListed() throws IOException {
        Instance i = instance(",\"env\":{\"DB_PASSWORD\":\"hunter2\",\"PM2_SERVE_BASIC_AUTH_PASSWORD\":\"pw\"}");
        JsonObject names = new Describer("box")
                .describe(i, System.currentTimeMillis(), EnvView.NAMES, null)
                .getJsonObject("pm2_env");
        assertEquals("<redacted>", names.getJsonObject("env").getString("DB_PASSWORD"));
        assertEquals("<redacted>", names.getString("DB_PASSWORD"), "pm2_env's merged copy");
        assertEquals("<redacted>", names.getJsonObject("env").getString("PATH"));
        assertEquals("api", names.getString("name"), "pm2's own fields are not env");
        JsonObject values = new Describer("box")
                .describe(i, System.currentTimeMillis(), EnvView.VALUES, null)
                .getJsonObject("pm2_env");
        assertEquals("hunter2", values.getJsonObject("env").getString("DB_PASSWORD"));
        assertEquals("<redacted>", values.getJsonObject("env").getString("PM2_SERVE_BASIC_AUTH_PASSWORD"));
        assertEquals("<redacted>", values.getString("PM2_SERVE_BASIC_AUTH_PASSWORD"));
        assertEquals(ServeOptions.PASSWORD, Access.NEVER_LISTED.iterator().next(), "the name serve reads");
        assertEquals(EnvView.NAMES, EnvView.of(true, true, false));
        assertEquals(EnvView.VALUES, EnvView.of(true, true, true));
        assertEquals(EnvView.VALUES, EnvView.of(true, false, false));
        assertEquals(EnvView.NONE, EnvView.of(false, true, false));
    }

    /**
     * A fleet app's row says so (docs/CLUSTER.md, "Fleet apps"): the hosts asked, how many on each, and
     * what this host's front handed out over the last minute to every host's instances of it; an app
     * of one host has no such field, so its jlist row is as it was.
     */
    @Test
    void aFleetAppsRowNamesItsHostsItsCountPerHostAndItsFrontsMinute() throws IOException {
        Instance fleet = instance(",\"hosts\":[\"web-1\",\"web-2\"],\"instances\":2");
        JsonObject row = new JsonObject(new Describer("web-1")
                .view(fleet, System.currentTimeMillis(), EnvView.NONE, new Describer.Counted(null, 42L))
                .toMap());
        assertEquals(
                new JsonObject("{\"hosts\":[\"web-1\",\"web-2\"],\"instances\":2,\"front_per_minute\":42}"),
                row.getJsonObject("jpm").getJsonObject("fleet"));
        JsonObject noFront = new JsonObject(new Describer("web-1")
                .view(fleet, System.currentTimeMillis(), EnvView.NONE, Describer.Counted.NONE)
                .toMap());
        assertNull(noFront.getJsonObject("jpm").getJsonObject("fleet").getValue("front_per_minute"));
        assertFalse(new JsonObject(described(instance(""))).getJsonObject("jpm").containsKey("fleet"));
        assertFalse(described(instance("")).contains("front_per_minute"));
    }

    /** Each app's front: its upstreams' minutes added up, this host's instances and the others' (node/pid). */
    @Test
    void theFrontsMinuteIsEveryUpstreamOfTheAppAddedUp() {
        JsonObject stats = new JsonObject()
                .put("100", upstream("api", null, 7))
                .put("web-2/200", upstream("api", "web-2", 5))
                .put("web-3/300", upstream("api", "web-3", 0))
                .put("400", upstream("other", null, 3));
        assertEquals(Map.of("api", 12L, "other", 3L), Describer.frontsPerMinute(stats));
        assertEquals(Map.of(), Describer.frontsPerMinute(new JsonObject()));
    }

    private static JsonObject upstream(String app, String node, long perMinute) {
        return new JsonObject()
                .put("app", app)
                .put("node", node)
                .put("state", "ready")
                .put("per_minute", perMinute);
    }
}
