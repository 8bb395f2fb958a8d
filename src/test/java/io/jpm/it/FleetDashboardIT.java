package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's fleet view (issue 65, item 4; docs/API.md, "The dashboard"): two daemons, each in
 * a network namespace of its own, run a fleet app in HTTP mode on both; web-1's page (a real headless
 * Chromium, reaching web-1's web server through a forwarder into its namespace) shows it as one row
 * with its two hosts, which opens by keyboard onto its instances grouped by host, web-1's group with
 * its front's req/min from real requests through that front. Then web-2's every process is killed: the
 * page shows it lost and its share running as an extra under web-1, within the cluster's bounds (a
 * killed member is dropped at once; the dashboard asks every 5 s). One cluster for the class, the
 * fewest daemons that show a lost host. Namespaces need root: a machine without skips, CI fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetDashboardIT {
    private static final List<String> NODES = List.of("web-1", "web-2");
    private static final int APP_PORT = 8080;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** FleetLossIT's bound for a lost host's share to run elsewhere, and the page's 5 s reading on top. */
    private static final Duration LOST = Duration.ofSeconds(30);
    /** A group's front figure, as its heading says it. */
    private static final Pattern FRONT = Pattern.compile(" · front (\\d+) req/min");

    private NamespaceCluster cluster;
    private List<Jpm> hosts;
    private Process forwarder;
    private WebClient web;
    private DashboardBrowser chromium;
    private WebDriver browser;

    @BeforeAll
    void twoHostsAFleetAppAndABrowser() throws IOException {
        cluster = NamespaceCluster.started(NODES);
        hosts = cluster.hosts();
        Jpm web1 = hosts.get(0);
        JsonObject api = Jpm.app("api", Jpm.fixture("hello_server.py"))
                .put("hosts", new JsonArray(NODES))
                .put("port", APP_PORT)
                .put("host", "0.0.0.0")
                .put("balance", "http")
                .put("listen_timeout", 2000);
        web1.ok("start", web1.ecosystem("api.config.json", api).toString());
        cluster.onlinePids("api", 1);
        int port = Ports.free();
        web1.ok("web", "--port", Integer.toString(port));
        forwarder = cluster.network.forward(1, port);
        web = new WebClient(web1, port);
        chromium = new DashboardBrowser();
        browser = chromium.driver;
    }

    @AfterAll
    void closeAll() throws Exception {
        if (forwarder != null) {
            forwarder.destroyForcibly();
        }
        DashboardBrowser.closeBoth(chromium, cluster);
    }

    /**
     * The read-only token's page: api is one row, not a row in each host's table; Enter on its name
     * opens its hosts' groups, web-1's with its front's requests of the last minute (the 20 sent
     * through it, counted by web-1's balancer, so not 0); its buttons disabled. axe-core finds nothing
     * at 1280 and 390 px, the page fits every width, Tab reaches every control.
     */
    @Test
    @Order(1)
    void aFleetAppIsOneRowThatOpensOntoItsInstancesByHostWithEachFrontsMinute() throws Exception {
        assertEquals(20, requestsThroughWebOnesFront(20), "every request through web-1's front answered");
        // every host's list, as the page reads it: each of api's rows says it is a fleet app's
        JsonObject all = web.get("/api/processes?all=true&env=false", web.readOnly)
                .json()
                .getJsonObject("data");
        List<JsonObject> api = all.getJsonArray("processes").stream()
                .map(JsonObject.class::cast)
                .filter(p -> "api".equals(p.getString("name")))
                .toList();
        assertEquals(2, api.size(), all::encode);
        for (JsonObject p : api) {
            assertEquals(
                    NODES,
                    p.getJsonObject("jpm")
                            .getJsonObject("fleet")
                            .getJsonArray("hosts")
                            .getList(),
                    p::encode);
        }
        // a fleet app's logs on one host: that host's files only (every host's were asked of it)
        for (String node : NODES) {
            WebClient.Answer logs = web.get("/api/processes/api@" + node + "/logs?lines=5", web.readOnly);
            assertEquals(200, logs.status(), logs::toString);
        }
        open(web.readOnly);
        WebElement row = page().until(d -> fleetRow());
        page().until(d -> cell("ready").equals("2 / 2 ready"));
        assertEquals("web-1 web-2", cell("hosts"));
        assertEquals(
                1,
                browser.findElements(By.cssSelector("#fleet-apps tbody.fleet-app"))
                        .size());
        // not in each host's own table as well
        page().until(d -> namedRows("#processes tbody td.name", "only-web-1") == 1);
        page().until(d -> namedRows(".host-apps[data-host='web-2'] tbody td.name", "only-web-2") == 1);
        assertEquals(0, namedRows("#processes tbody td.name, .host-apps tbody td.name", "api"));
        for (WebElement button : row.findElements(By.cssSelector("td.actions button"))) {
            assertTrue(!button.isEnabled(), "the read-only token's " + button.getText() + " is disabled");
        }
        DashboardKeys.tabTo(browser, "#fleet-apps button.fleet-toggle");
        DashboardKeys.press(browser, Keys.ENTER);
        page().until(d -> "true".equals(toggle().getAttribute("aria-expanded")));
        assertEquals(List.of("web-1", "web-2"), groupNodes());
        for (String node : NODES) {
            assertEquals(1, instances(node).size(), node + "'s instances");
            assertTrue(
                    group(node).getText().startsWith(node + " · 1 instance · front "),
                    group(node).getText());
        }
        long front = page().until(d -> {
            Matcher figure = FRONT.matcher(head("web-1"));
            return figure.find() && Long.parseLong(figure.group(1)) >= 20 ? Long.parseLong(figure.group(1)) : null;
        });
        assertTrue(head("web-2").contains(" · front 0 req/min"), head("web-2"));
        assertEquals(String.valueOf(front), cell("rpm"), "the row's figure: every front's added up");
        // an instance clicked opens its pane, as a host's row does: web-2's is api@web-2
        instances("web-2").get(0).findElement(By.cssSelector("td.id button")).click();
        page().until(d -> d.findElement(By.id("logs-app")).getText().equals("api@web-2"));
        long web2Pid = hosts.get(1).named("api").get(0).getLong("pid");
        page().until(d -> d.findElement(By.id("log-lines")).getText().contains("listening on ")
                && d.findElement(By.id("log-lines")).getText().contains(" pid " + web2Pid));
        page().until(d -> instances("web-2").get(0).getAttribute("class").contains("selected"));
        DashboardShots.screenshot(browser, "dashboard-fleet.png");
        assertEquals(List.of(), DashboardShots.sidewaysScrolls(browser));
        for (int width : List.of(1280, 390)) {
            try {
                DashboardShots.viewport(browser, width, 900);
                assertEquals(List.of(), AxeCheck.violations(browser), "axe-core at " + width + " px");
            } finally {
                DashboardShots.windowViewport(browser);
            }
        }
        assertEquals(List.of(), DashboardKeys.unreached(browser));
    }

    /**
     * web-2's every process killed (its daemon, keeper and instance): the admin token's page shows
     * web-2 lost, in its row and in its group, and api's instance that runs web-2's share as an extra
     * under web-1, the count asked ready again.
     */
    @Test
    @Order(2)
    void aHostKilledIsShownLostAndItsShareUnderTheHostThatRunsIt() throws Exception {
        open(web.admin);
        page().until(d -> fleetRow());
        toggle().click();
        page().until(d -> groupNodes().equals(NODES));
        long killedAt = System.nanoTime();
        cluster.network.killEverything(2);
        page(LOST)
                .until(d -> cell("hosts").equals("web-1 web-2 lost")
                        && group("web-2").getAttribute("class").contains("lost")
                        && instances("web-1").size() == 2
                        && cell("ready").equals("2 / 2 ready"));
        System.out.printf(
                "FleetDashboardIT: web-2 shown lost and its share under web-1 %d ms after its every process was killed%n",
                (System.nanoTime() - killedAt) / 1_000_000);
        assertTrue(
                head("web-2").startsWith("web-2 · lost (left the cluster) · its share runs as extras on web-1 (+1)"),
                head("web-2"));
        assertTrue(head("web-1").startsWith("web-1 · 2 instances, 1 extra for a lost host · front "), head("web-1"));
        assertEquals(
                List.of("#0", "#1 extra"),
                instances("web-1").stream()
                        .map(tr -> tr.findElement(By.cssSelector("td.instance")).getText())
                        .toList());
        assertEquals(0, instances("web-2").size());
        for (WebElement button : fleetRow().findElements(By.cssSelector("td.actions button"))) {
            assertTrue(button.isEnabled(), "the admin token's " + button.getText());
        }
        DashboardShots.screenshot(browser, "dashboard-fleet-lost.png");
        DashboardShots.phoneScreenshot(browser, "dashboard-fleet-lost-phone.png");
    }

    /** {@code count} requests, each on a connection of its own, through web-1's front from web-1: how many answered. */
    private int requestsThroughWebOnesFront(int count) {
        return cluster.answers(1, 1, APP_PORT, count).size();
    }

    private WebDriverWait page() {
        return page(WAIT);
    }

    /** A wait whose failure says what the page showed: its message line and the start of its text. */
    private WebDriverWait page(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.withMessage(() -> String.valueOf(((JavascriptExecutor) browser)
                .executeScript(
                        "return 'message: ' + document.getElementById('message').textContent + '; login: ' + document.getElementById('login-error').textContent"
                                + " + '; page: ' + document.body.innerText.slice(0, 3000)")));
        return wait;
    }

    private void open(String token) {
        chromium.logIn(web.base, token, page());
    }

    /** api's row in the fleet table, or null while there is none. */
    private WebElement fleetRow() {
        return browser.findElements(By.cssSelector("#fleet-apps tr.fleet-row")).stream()
                .filter(tr ->
                        tr.findElement(By.cssSelector("td.name")).getText().equals("api"))
                .findFirst()
                .orElse(null);
    }

    private String cell(String name) {
        return fleetRow().findElement(By.cssSelector("td." + name)).getText();
    }

    private WebElement toggle() {
        return fleetRow().findElement(By.cssSelector("button.fleet-toggle"));
    }

    private long namedRows(String cells, String name) {
        return browser.findElements(By.cssSelector(cells)).stream()
                .filter(td -> td.getText().equals(name))
                .count();
    }

    private List<String> groupNodes() {
        return browser.findElements(By.cssSelector("#fleet-apps .fleet-host")).stream()
                .map(g -> g.getAttribute("data-host"))
                .toList();
    }

    private WebElement group(String node) {
        return browser.findElement(By.cssSelector("#fleet-apps .fleet-host[data-host='" + node + "']"));
    }

    private String head(String node) {
        return group(node).findElement(By.cssSelector(".fleet-head")).getText();
    }

    private List<WebElement> instances(String node) {
        return group(node).findElements(By.cssSelector("table.fleet-instances tbody tr"));
    }
}
