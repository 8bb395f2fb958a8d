package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * EveryHostIT's set-up, started once for the class: two clustered daemons on loopback (web-2 also runs
 * keeps-a-secret, an app with a secret in its environment), web-1's HTTP server, and a headless
 * Chromium on its dashboard; with the looks at web-1's API and page the tests share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EveryHostPage {
    static final Duration WAIT = Duration.ofSeconds(60);

    static final String SECRET = "s3cr3t-of-web-2";

    ClusterHosts cluster;
    WebClient web;
    DashboardBrowser chromium;
    WebDriver browser;

    @BeforeAll
    void twoDaemonsAndABrowser() throws IOException {
        cluster = new ClusterHosts(List.of("web-1", "web-2"), node -> new JsonObject());
        Jpm web2 = cluster.get("web-2");
        Path file = web2.ecosystem(
                "secret.json",
                Jpm.app("keeps-a-secret", Jpm.fixture("idle.sh")).put("env", new JsonObject().put("API_KEY", SECRET)));
        web2.ok("start", file.toString());
        ClusterHosts.awaitListed(cluster.get("web-1"), 5);
        web = WebClient.start(cluster.get("web-1"), Ports.free());
        chromium = new DashboardBrowser();
        browser = chromium.driver;
    }

    @AfterAll
    void closeAll() throws Exception {
        DashboardBrowser.closeBoth(chromium, cluster);
    }

    /** web-2's row of /api/hosts once its status is {@code status}; each ask bounded by timeout_ms. */
    JsonObject awaitWeb2(String status) {
        return Jpm.await("web-2 " + status + " in /api/hosts", WAIT, () -> {
            JsonObject hosts = data(web.get("/api/hosts", web.readOnly));
            for (Object o : hosts.getJsonArray("hosts")) {
                JsonObject host = (JsonObject) o;
                if ("web-2".equals(host.getString("node")) && status.equals(host.getString("status"))) {
                    return host;
                }
            }
            return null;
        });
    }

    static JsonObject data(WebClient.Answer answer) {
        assertEquals(200, answer.status(), answer::toString);
        return answer.json().getJsonObject("data");
    }

    void open(String token) {
        chromium.logIn(web.base, token, new WebDriverWait(browser, WAIT));
    }

    String summary() {
        return browser.findElement(By.id("summary")).getText();
    }

    WebElement hostTable() {
        return new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("table.host-apps[data-host='web-2']")).stream()
                        .findFirst()
                        .orElse(null));
    }

    WebElement remoteRow(String name) {
        return hostTable().findElements(By.cssSelector("tbody tr")).stream()
                .filter(tr ->
                        tr.findElement(By.cssSelector("td.name")).getText().equals(name))
                .findFirst()
                .orElse(null);
    }

    boolean pidShown(String name, long pid) {
        WebElement row = remoteRow(name);
        return row != null
                && row.findElement(By.cssSelector("td.pid")).getText().equals(Long.toString(pid));
    }
}
