package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every host on one screen (docs/CLUSTER.md, docs/API.md): two real clustered daemons on loopback,
 * web-1's HTTP API and dashboard (a real headless Chromium) showing web-2's apps and totals, and
 * acting on them as {@code app@web-2}; the read-only token sees every host and acts on none, a
 * node no member has is refused naming the members, another host's alerts and exceptions are listed
 * beside web-1's own, and a member that goes is shown gone. One cluster and one browser for the class
 * ({@link EveryHostPage}): the tests run in order, each leaving web-2 with the apps it found, and the
 * last kills web-2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryHostIT extends EveryHostPage {
    @Test
    @Order(1)
    void theApiListsEveryHostsProcessesAndTotals() {
        JsonObject all = data(web.get("/api/processes?all=true&env=false", web.readOnly));
        List<JsonObject> api = ClusterHosts.processes(all.getJsonArray("processes"), "web-2", "api");
        assertEquals(1, api.size(), all::encodePrettily);
        assertEquals(cluster.pidOn("web-2", "api"), api.get(0).getLong("pid"));
        assertEquals(
                1,
                ClusterHosts.processes(all.getJsonArray("processes"), "web-1", "only-web-1")
                        .size());
        JsonArray hosts = data(web.get("/api/hosts", web.readOnly)).getJsonArray("hosts");
        assertEquals(2, hosts.size(), hosts::encodePrettily);
        for (Object o : hosts) {
            JsonObject host = (JsonObject) o;
            String node = host.getString("node");
            assertEquals("ok", host.getString("status"), host::encode);
            assertEquals("web-1".equals(node), host.getBoolean("self"), host::encode);
            assertEquals(3, host.getJsonArray("load").size(), host::encode);
            assertTrue(host.getJsonObject("memory").getLong("total") > 0, host::encode);
            assertTrue(host.getJsonObject("disk").getLong("total") > 0, host::encode);
            assertEquals(
                    cluster.get(node).home.toString(),
                    host.getJsonObject("disk").getString("path"));
            assertEquals(
                    "web-2".equals(node) ? 3 : 2, host.getJsonObject("apps").getInteger("online"), host::encode);
        }
    }

    @Test
    @Order(2)
    void theReadOnlyTokenSeesEveryHostWithoutSecretsAndActsOnNone() {
        long before = cluster.pidOn("web-2", "api");
        // the admin token's list carries the environment, as jlist does: the read-only one has names only
        assertTrue(web.get("/api/processes?all=true", web.admin).body().contains(SECRET));
        WebClient.Answer seen = web.get("/api/processes?all=true", web.readOnly);
        assertEquals(200, seen.status(), seen::toString);
        assertTrue(seen.body().contains("keeps-a-secret"), seen::toString);
        assertFalse(seen.body().contains(SECRET), seen::toString);
        for (String action : List.of("restart", "reload", "stop")) {
            WebClient.Answer refused = web.post("/api/processes/api@web-2/" + action, web.readOnly, "");
            assertEquals(403, refused.status(), refused::toString);
        }
        assertEquals(before, cluster.pidOn("web-2", "api"));
        assertEquals("online", Jpm.status(cluster.get("web-2").named("api").get(0)));
    }

    @Test
    @Order(3)
    void aNodeNoMemberHasIsRefusedNamingTheMembers() {
        String named = "no member named 'web-9' in cluster 'it'; members: web-1, web-2";
        WebClient.Answer restart = web.post("/api/processes/api@web-9/restart", web.admin, "");
        assertEquals(404, restart.status(), restart::toString);
        assertEquals(named, restart.json().getString("message"));
        WebClient.Answer describe = web.get("/api/processes/api@web-9", web.readOnly);
        assertEquals(404, describe.status(), describe::toString);
        assertEquals(named, describe.json().getString("message"));
        WebClient.Answer logs = web.get("/api/processes/api@web-9/logs", web.readOnly);
        assertEquals(404, logs.status(), logs::toString);
        assertEquals(named, logs.json().getString("message"));
        WebClient.Answer history = web.get("/api/history?host=web-9", web.readOnly);
        assertEquals(404, history.status(), history::toString);
        assertEquals(named, history.json().getString("message"));
        WebClient.Answer events = web.get("/api/events?host=web-2,web%202", web.readOnly);
        assertEquals(400, events.status(), events::toString);
    }

    @Test
    @Order(4)
    void anAppOnAnotherHostIsDescribedAndRestartedThroughTheApi() {
        long before = cluster.pidOn("web-2", "only-web-2");
        JsonArray described = web.get("/api/processes/only-web-2@web-2?env=false", web.readOnly)
                .json()
                .getJsonArray("data");
        assertEquals(before, described.getJsonObject(0).getLong("pid"));
        WebClient.Answer restart = web.post("/api/processes/only-web-2@web-2/restart", web.admin, "");
        assertEquals(200, restart.status(), restart::toString);
        Jpm.await("only-web-2 restarted on web-2", () -> {
            JsonObject now = cluster.get("web-2").named("only-web-2").get(0);
            return now.getLong("pid") != before && "online".equals(Jpm.status(now)) ? now : null;
        });
    }

    @Test
    @Order(5)
    void theFirstHostsPageShowsTheSecondHostAndARestartClickedThereRestartsIt() throws IOException {
        long before = cluster.pidOn("web-2", "api");
        long here = cluster.pidOn("web-1", "api");
        open(web.admin);
        new WebDriverWait(browser, WAIT).until(d -> pidShown("api", before));
        String totals = hostTable().findElement(By.tagName("caption")).getText();
        assertTrue(totals.startsWith("web-2 · 3 online · cpu "), totals);
        assertTrue(totals.contains(" · load ") && totals.contains(" free of "), totals);
        String own = browser.findElement(By.cssSelector("#processes caption")).getText();
        assertTrue(own.startsWith("web-1 (this host) · 2 online"), own);
        // the tiles over the tables count every host's apps: web-1's 2 and web-2's 3
        new WebDriverWait(browser, WAIT).until(d -> summary().contains("5\napps on 2 hosts"));
        // web-2's figures come live from its metrics events: a few seconds of them in the sparklines
        new WebDriverWait(browser, WAIT)
                .until(
                        d -> Boolean.TRUE.equals(
                                ((JavascriptExecutor) d)
                                        .executeScript(
                                                "const g = hostGroups.get('web-2');"
                                                        + " return !!g && g.rows.size === 3 && [...g.rows.values()].every(r => r.mem.length >= 3)")));
        Files.write(Path.of("target", "dashboard-every-host.png"), DashboardShots.wholePage(browser));
        remoteRow("api")
                .findElement(By.cssSelector("button[data-action=restart]"))
                .click();
        long after = Jpm.await("api restarted on web-2 from web-1's page", () -> {
            JsonObject now = cluster.get("web-2").named("api").get(0);
            long pid = now.getLong("pid");
            return pid != before && pid != 0 && "online".equals(Jpm.status(now)) ? pid : null;
        });
        assertEquals(here, cluster.pidOn("web-1", "api"), "web-1's own api is left alone");
        // the page follows web-2's events: the new pid shows
        new WebDriverWait(browser, WAIT).until(d -> pidShown("api", after));
    }

    /**
     * web-2's app clicked on web-1's page: its last lines (read by web-2 from its files), then its live
     * lines through the cluster, numbered so that a line lost or shown twice between the two shows as
     * a gap or a repeat; its figures and history are web-2's. The read-only token reads them.
     */
    @Test
    @Order(6)
    void anotherHostsAppClickedShowsItsLinesInOrderThenLiveAndItsHistory() throws IOException {
        Jpm web2 = cluster.get("web-2");
        web2.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "ticks");
        try {
            JsonArray last = Jpm.await("ticks' lines through web-1's API", () -> {
                WebClient.Answer answer = web.get("/api/processes/ticks@web-2/logs?lines=5", web.readOnly);
                assertEquals(200, answer.status(), answer::toString);
                JsonArray lines = answer.json().getJsonArray("data");
                return lines.size() >= 10 ? lines : null;
            });
            assertEquals("ticks", last.getJsonObject(0).getString("app"), last::encode);
            WebClient.Answer tooMany = web.get("/api/processes/ticks@web-2/logs?lines=999999", web.readOnly);
            assertEquals(400, tooMany.status(), tooMany::toString);
            open(web.readOnly);
            new WebDriverWait(browser, WAIT).until(d -> remoteRow("ticks") != null);
            remoteRow("ticks").findElement(By.cssSelector("td.name")).click();
            // 50 lines of each file first, then live ones: well past them, both kinds are in the pane
            new WebDriverWait(browser, WAIT)
                    .until(d -> DashboardShots.paneLines(browser, "out").size() >= 80);
            DashboardShots.assertNumbered("tick ", DashboardShots.paneLines(browser, "out"));
            DashboardShots.assertNumbered("tock ", DashboardShots.paneLines(browser, "err"));
            assertEquals("ticks@web-2", browser.findElement(By.id("logs-app")).getText());
            assertTrue(browser.findElement(By.id("log-lines")).getText().contains("tick "));
            new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElement(By.id("history-of")).getText().equals("ticks@web-2"));
            DashboardShots.screenshot(browser, "dashboard-two-hosts-light.png", "light");
            DashboardShots.screenshot(browser, "dashboard-two-hosts-dark.png", "dark");
        } finally {
            web2.ok("delete", "ticks");
        }
        // each member keeps its own history: web-2's apps are in web-2's, asked through web-1
        Jpm.await("only-web-2 in web-2's history", () -> {
            JsonObject history = data(web.get("/api/history?host=web-2&from=10m&apps=only-web-2", web.readOnly));
            return history.getJsonObject("apps").containsKey("only-web-2") ? history : null;
        });
        JsonObject own = data(web.get("/api/history?from=10m&apps=only-web-2", web.readOnly));
        assertFalse(own.getJsonObject("apps").containsKey("only-web-2"), own::encode);
    }

    /**
     * web-2's app writing to stdout and stderr in turn, clicked on web-1's page: its lines in the order
     * written (web-2's daemon keeps them so, as web-1's keeps its own apps'), not its out file's and
     * then its err file's.
     */
    @Test
    @Order(7)
    void anotherHostsAppsOutAndErrLinesShowInTheOrderWritten() throws IOException {
        Jpm web2 = cluster.get("web-2");
        Path out = web2.home.resolve("alt-out.log");
        Path errors = web2.home.resolve("alt-err.log");
        web2.ok(
                "start",
                Jpm.fixture("alternate.sh").toString(),
                "--name",
                "alt",
                "-o",
                out.toString(),
                "-e",
                errors.toString(),
                "--",
                out.toString(),
                errors.toString());
        try {
            Path err = Path.of(web2.named("alt").get(0).getJsonObject("pm2_env").getString("pm_err_log_path"));
            Jpm.await("alt's 40 lines written", () -> {
                try {
                    return Files.readString(err).contains("seq-40") ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });
            open(web.readOnly);
            new WebDriverWait(browser, WAIT).until(d -> remoteRow("alt") != null);
            remoteRow("alt").findElement(By.cssSelector("td.name")).click();
            new WebDriverWait(browser, WAIT)
                    .until(d -> browser.findElement(By.id("logs-app")).getText().equals("alt@web-2"));
            @SuppressWarnings("unchecked")
            List<String> lines = new WebDriverWait(browser, WAIT).until(d -> {
                List<String> shown =
                        (List<String>) ((JavascriptExecutor) d).executeScript("return pane.lines.map(l => l.line)");
                return shown.contains("seq-40") ? shown : null;
            });
            for (int i = 1; i <= 40; i++) {
                assertEquals("seq-" + i, lines.get(i - 1), "line " + i + " of " + lines);
            }
            assertEquals("", browser.findElement(By.id("logs-note")).getText(), "no note of lines from the files");
        } finally {
            web2.ok("delete", "alt");
        }
    }

    /**
     * Every host's alerts and exceptions on one page: each member keeps its own, web-1's API asks
     * web-2's with {@code ?host=web-2}, and web-1's page (the read-only token) lists them beside its
     * own, their apps named {@code app@web-2}; a click on web-2's caption charts web-2's totals from its
     * own history. web-2's rule and app are taken away after: the next tests count web-2's apps.
     */
    @Test
    @Order(8)
    void anotherHostsAlertAndExceptionShowOnTheFirstHostsPage() throws Exception {
        Jpm web2 = cluster.get("web-2");
        Path settings = web2.home.resolve("jpm.json");
        String before = Files.readString(settings);
        JsonObject rules = new JsonObject(before)
                .put(
                        "alerts",
                        new JsonObject()
                                .put(
                                        "rules",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("name", "thrown")
                                                        .put("when", "exception"))));
        Files.writeString(settings, rules.encodePrettily());
        try {
            Jpm.await(
                    "web-2's rule applied",
                    () -> data(web.get("/api/alerts?host=web-2", web.readOnly))
                                            .getJsonArray("rules")
                                            .size()
                                    == 1
                            ? true
                            : null);
            web2.cli(
                    Map.of("MISTAKE", "reject"),
                    "start",
                    Jpm.fixture("unhandled.js").toString(),
                    "--name",
                    "checkout");
            Jpm.await(
                    "web-2's exception alerted",
                    () -> data(web.get("/api/alerts?host=web-2", web.readOnly))
                                    .getJsonArray("alerts")
                                    .encode()
                                    .contains("\"app\":\"checkout\"")
                            ? true
                            : null);
            JsonObject groups = data(web.get("/api/exceptions?host=web-2&app=checkout", web.readOnly));
            assertEquals(1, groups.getJsonArray("groups").size(), groups::encode);
            // web-1 keeps its own: web-2's app is not among them
            assertFalse(data(web.get("/api/exceptions", web.readOnly)).encode().contains("checkout"));
            WebClient.Answer nobody = web.get("/api/alerts?host=web-9", web.readOnly);
            assertEquals(404, nobody.status(), nobody::toString);
            assertEquals(
                    "no member named 'web-9' in cluster 'it'; members: web-1, web-2",
                    nobody.json().getString("message"));

            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(StaleElementReferenceException.class);
            chromium.logIn(web.base, web.readOnly, wait);
            wait.until(d -> d.findElements(By.cssSelector("#alert-list tbody tr")).stream()
                    .anyMatch(tr ->
                            tr.findElement(By.cssSelector("td.app")).getText().equals("checkout@web-2")
                                    && tr.getText().contains("thrown")));
            wait.until(d -> d.findElements(By.cssSelector("#exception-list tbody tr")).stream()
                    .anyMatch(tr ->
                            tr.findElement(By.cssSelector("td.app")).getText().equals("checkout@web-2")
                                    && tr.getText().contains("Error: rejection ")));
            Files.write(Path.of("target", "dashboard-every-host-alerts.png"), DashboardShots.wholePage(browser));
            // web-2's caption clicked: web-2's totals charted, from web-2's own history
            browser.findElement(By.cssSelector("table.host-apps[data-host='web-2'] caption"))
                    .click();
            wait.until(d -> d.findElement(By.id("history-of")).getText().equals("every app of web-2"));
            wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                    .executeScript("const t = timeline.data.totals;"
                            + " return timeline.node === 'web-2' && !!t.memory && t.memory.some(v => v !== null)")));
        } finally {
            web2.cli("delete", "checkout");
            Files.writeString(settings, before);
        }
    }

    /**
     * A member that does not answer (its daemon frozen, as a long pause leaves it) holds nothing up
     * past the cluster's timeout_ms: it is listed unreachable with the reason, and listed again once
     * it answers (Hazelcast's merge brings it back if it was dropped meanwhile).
     */
    @Test
    @Order(9)
    void aMemberThatDoesNotAnswerIsShownSoAndBackWhenItAnswers() throws IOException {
        long daemon = cluster.get("web-2").daemonPid();
        Jpm.signal("STOP", daemon);
        try {
            JsonObject slow = awaitWeb2("unreachable");
            String error = slow.getString("error");
            assertTrue(
                    error.equals("no answer within " + ClusterHosts.TIMEOUT_MS + " ms")
                            || error.equals("left the cluster"),
                    slow::encode);
            new WebDriverWait(browser, WAIT).until(d -> {
                String caption = hostTable().findElement(By.tagName("caption")).getText();
                return caption.startsWith("web-2 · unreachable (") || caption.startsWith("web-2 · left (");
            });
        } finally {
            Jpm.signal("CONT", daemon);
        }
        assertEquals(3, awaitWeb2("ok").getJsonObject("apps").getInteger("online"));
    }

    @Test
    @Order(10)
    void aMemberThatGoesIsShownGoneWithinTheTimeout() throws IOException {
        cluster.get("web-2").ok("kill");
        JsonObject gone = awaitWeb2("unreachable");
        assertTrue(gone.getString("error") != null, gone::encode);
        JsonObject all = data(web.get("/api/processes?all=true&env=false", web.readOnly));
        assertTrue(
                all.getJsonArray("hosts").encode().contains("\"node\":\"web-2\",\"status\":\"unreachable\""),
                all::encode);
        new WebDriverWait(browser, WAIT).until(d -> {
            String caption = hostTable().findElement(By.tagName("caption")).getText();
            return caption.startsWith("web-2 · left (") || caption.startsWith("web-2 · unreachable (");
        });
        // not a colour alone: the word above, and a frame and a warning icon of its own
        assertTrue(hostTable().getAttribute("class").contains("host-down"));
        // the tiles: web-2 unreachable, its apps as last seen not counted
        new WebDriverWait(browser, WAIT).until(d -> summary().startsWith("1 of 2\nunreachable\n2\napps on 2 hosts"));
        Object icon = ((JavascriptExecutor) browser)
                .executeScript("return getComputedStyle(document.querySelector("
                        + "\"table.host-apps[data-host='web-2'] caption .node\"), '::before').content");
        assertTrue(String.valueOf(icon).contains("\u26A0"), () -> "icon " + icon);
        Files.write(Path.of("target", "dashboard-every-host-down.png"), DashboardShots.wholePage(browser));
    }
}
