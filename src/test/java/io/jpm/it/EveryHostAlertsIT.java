package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every host's alerts and exceptions on one page: each member keeps its own, web-1's API asks web-2's
 * with {@code ?host=web-2}, and web-1's dashboard (a real headless Chromium, the read-only token) lists
 * them beside its own, their apps named {@code app@web-2}; a click on web-2's caption charts web-2's
 * totals from its own history.
 */
class EveryHostAlertsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anotherHostsAlertAndExceptionShowOnTheFirstHostsPage() throws Exception {
        Path profile = Files.createTempDirectory("jpm-chromium-");
        WebDriver browser = DashboardIT.headlessChromium(profile);
        try (ClusterHosts cluster = new ClusterHosts(List.of("web-1", "web-2"), node -> new JsonObject())) {
            Jpm web2 = cluster.get("web-2");
            Path settings = web2.home.resolve("jpm.json");
            JsonObject rules = new JsonObject(Files.readString(settings))
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
            WebClient web = WebClient.start(cluster.get("web-1"), Ports.free());
            Jpm.await(
                    "web-2's rule applied",
                    () -> answer(web, "/api/alerts?host=web-2")
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
                    () -> answer(web, "/api/alerts?host=web-2")
                                    .getJsonArray("alerts")
                                    .encode()
                                    .contains("\"app\":\"checkout\"")
                            ? true
                            : null);
            JsonObject groups = answer(web, "/api/exceptions?host=web-2&app=checkout");
            assertEquals(1, groups.getJsonArray("groups").size(), groups::encode);
            // web-1 keeps its own: web-2's app is not among them
            assertFalse(answer(web, "/api/exceptions").encode().contains("checkout"));
            WebClient.Answer nobody = web.get("/api/alerts?host=web-9", web.readOnly);
            assertEquals(404, nobody.status(), nobody::toString);
            assertEquals(
                    "no member named 'web-9' in cluster 'it'; members: web-1, web-2",
                    nobody.json().getString("message"));

            browser.get(web.base + "/ui");
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("token"))).sendKeys(web.readOnly);
            browser.findElement(By.cssSelector("#login button")).click();
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
            browser.quit();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static JsonObject answer(WebClient web, String path) {
        WebClient.Answer answer = web.get(path, web.readOnly);
        assertEquals(200, answer.status(), answer::toString);
        return answer.json().getJsonObject("data");
    }
}
