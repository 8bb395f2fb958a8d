package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium) against a real daemon: the table shows the apps, a restart clicked in the page
 * restarts the app (its pid changes in jlist), a line the app writes appears in the page, a wrong
 * token shows the daemon's error. Screenshots are left in target/ for people to look at.
 */
@ExtendWith(JpmExtension.class)
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Chosen once a class: its daemon keeps the web settings from test to test. */
    private static final int PORT = Ports.free();

    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void chromium() throws IOException {
        profile = Files.createTempDirectory("jpm-chromium-");
        browser = headlessChromium(profile);
    }

    /** A headless Chromium driven by chromedriver, with its profile in {@code profile}. */
    static WebDriver headlessChromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Chromium as root needs --no-sandbox; the rest keeps it from reaching out to the network
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @BeforeEach
    void webOn(Jpm jpm) throws IOException {
        jpm.ok("web", "--port", Integer.toString(PORT));
    }

    private void openWith(String token) {
        browser.get("http://127.0.0.1:" + PORT + "/ui");
        // a fresh tab's sessionStorage is empty: the page asks for the token
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement field = waitFor(By.id("token"));
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#login button")).click();
    }

    private WebElement waitFor(By what) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> found = d.findElements(what);
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    private WebElement row(String name) {
        return new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("#processes tbody tr")).stream()
                        .filter(tr -> tr.findElement(By.cssSelector("td.name"))
                                .getText()
                                .equals(name))
                        .findFirst()
                        .orElse(null));
    }

    /** Until every row of the page holds {@code n} metrics samples (the page's own state). */
    private static void awaitSamples(int n) {
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript(
                                "return rows.size > 0 && [...rows.values()].every(r => r.mem.length >= " + n + ")")));
    }

    private static void screenshot(String name) throws IOException {
        Files.write(Path.of("target", name), DashboardShots.wholePage(browser));
    }

    @Test
    void aWrongTokenShowsTheDaemonsError(Jpm jpm) throws IOException {
        openWith("not-a-token");
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("login-error")).getText().contains("access denied: wrong token"));
        assertTrue(browser.findElement(By.id("login")).isDisplayed());
        screenshot("dashboard-wrong-token.png");
    }

    @Test
    void theTableShowsTheAppsAndARestartClickedRestartsIt(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "keep");
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "other", "-i", "2");
        long before = jpm.awaitStatus("keep", "online").get(0).getInteger("pid");
        jpm.awaitStatus("other", "online");
        openWith(Files.readString(jpm.home.resolve("token")).trim());
        WebElement keep = row("keep");
        new WebDriverWait(browser, WAIT).until(d -> row("keep")
                .findElement(By.cssSelector("td.pid"))
                .getText()
                .equals(Long.toString(before)));
        assertEquals("online", keep.findElement(By.cssSelector("td.status")).getText());
        assertEquals(
                3, browser.findElements(By.cssSelector("#processes tbody tr")).size());
        assertFalse(browser.findElement(By.id("unprotected")).isDisplayed(), "a keeper protects the apps");
        row("keep").findElement(By.cssSelector("button[data-action=restart]")).click();
        long after = Jpm.await("keep restarted from the page", () -> {
            List<JsonObject> now = jpm.named("keep");
            long pid = now.get(0).getInteger("pid");
            return pid != before && pid != 0 && "online".equals(Jpm.status(now.get(0))) ? pid : null;
        });
        assertNotEquals(before, after);
        // the page follows: the new pid and one restart, from the live events
        new WebDriverWait(browser, WAIT)
                .until(d -> row("keep")
                                .findElement(By.cssSelector("td.pid"))
                                .getText()
                                .equals(Long.toString(after))
                        && row("keep")
                                .findElement(By.cssSelector("td.restarts"))
                                .getText()
                                .equals("1"));
        // the sparklines get a point per metrics event: a few seconds of them for the screenshot
        awaitSamples(3);
        screenshot("dashboard.png");
    }

    /** A daemon whose apps do not outlive it (no keeper here; a keeper that died is said the same way). */
    @Test
    void appsWithNoKeeperAreSaidUnprotected() throws IOException {
        try (Jpm alone = new Jpm()) {
            int port = Ports.free();
            assertEquals(
                    0,
                    alone.cli(Map.of("JPM_KEEPER", "0"), "web", "--port", Integer.toString(port))
                            .exit());
            browser.get("http://127.0.0.1:" + port + "/ui");
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
            waitFor(By.id("token"))
                    .sendKeys(Files.readString(alone.home.resolve("token")).trim());
            browser.findElement(By.cssSelector("#login button")).click();
            WebElement banner = waitFor(By.id("unprotected"));
            assertTrue(banner.getText().startsWith("apps unprotected: no keeper"), banner.getText());
        }
    }

    @Test
    void anAppsOwnMetricsShowForTheSelectedInstance(Jpm jpm) throws IOException {
        Path file = jpm.ecosystem(
                "shop.json",
                Jpm.app("shop", Jpm.fixture("metrics_app.py"))
                        .put("env", new JsonObject().put("PORT", Integer.toString(Ports.free())))
                        .put("metrics_url", "/metrics"));
        jpm.ok("start", file.toString());
        jpm.awaitStatus("shop", "online");
        openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
        row("shop").findElement(By.cssSelector("td.name")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("app-metrics")).getText().contains("app_requests_total{path=\"/\"}"));
        // its own metrics are in the history too, each charted beside cpu and memory
        WebElement own = new WebDriverWait(browser, WAIT).until(d -> {
            d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
            return d.findElements(By.cssSelector("#charts canvas[data-metric^='custom:app_requests_total']")).stream()
                    .filter(WebElement::isDisplayed)
                    .findFirst()
                    .orElse(null);
        });
        assertTrue(
                (Boolean) ((JavascriptExecutor) browser)
                        .executeScript(
                                "const c = arguments[0], g = c.getContext('2d');"
                                        + " return g.getImageData(c.width / 2, 12, c.width / 2, c.height - 12).data.some((v, i) => i % 4 == 3 && v > 0)",
                                own),
                "the app's own metric has a line drawn");
        screenshot("dashboard-app-metrics.png");
    }

    /** 200 rows, each updated every second by the metrics events: the page still answers a click. */
    @Test
    void twoHundredAppsStayUsable(Jpm jpm) throws IOException {
        Path file = jpm.ecosystem(
                "many.json", Jpm.app("many", Jpm.fixture("idle.sh")).put("instances", 200));
        jpm.ok("start", file.toString());
        List<JsonObject> many = Jpm.await("200 online", Duration.ofSeconds(120), () -> {
            List<JsonObject> all = jpm.named("many");
            return all.size() == 200 && all.stream().allMatch(p -> "online".equals(Jpm.status(p))) ? all : null;
        });
        openWith(Files.readString(jpm.home.resolve("token")).trim());
        new WebDriverWait(browser, WAIT)
                .until(d ->
                        d.findElements(By.cssSelector("#processes tbody tr")).size() == 200);
        JsonObject last = many.get(199);
        long before = last.getInteger("pid");
        WebElement row = browser.findElement(
                By.cssSelector("#processes tbody tr[data-pm-id='" + last.getInteger("pm_id") + "']"));
        // a few seconds of metrics events on 200 rows first
        awaitSamples(3);
        row.findElement(By.cssSelector("button[data-action=restart]")).click();
        Jpm.await("the last row's app restarted", () -> {
            JsonObject now = jpm.jlist().stream()
                    .map(o -> (JsonObject) o)
                    .filter(p -> p.getValue("pm_id").equals(last.getValue("pm_id")))
                    .findFirst()
                    .orElseThrow();
            return now.getInteger("pid") != before && "online".equals(Jpm.status(now)) ? true : null;
        });
        screenshot("dashboard-200.png");
    }

    @Test
    void aLineTheAppWritesAppearsInThePage(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("echo_stdin.sh").toString(), "--name", "echo");
        jpm.awaitStatus("echo", "online");
        openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
        row("echo").findElement(By.cssSelector("td.name")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("log-lines")).getText().contains("reading stdin"));
        jpm.ok("send", jpm.named("echo").get(0).getInteger("pm_id").toString(), "written-after-the-page-opened");
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("log-lines")).getText().contains("got: written-after-the-page-opened"));
        // the read-only token watches but may not act: its buttons are disabled, and the daemon refuses
        // what a page would send with it all the same
        new WebDriverWait(browser, WAIT).until(d -> !row("echo")
                .findElement(By.cssSelector("button[data-action=stop]"))
                .isEnabled());
        Object refused = ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + " call('POST', '/api/processes/echo/stop').then(() => done('done'), e => done(e.message))");
        assertEquals("access denied: the read-only token may not send jpm.cmd.stop", refused);
        assertEquals(
                "online",
                jpm.awaitStatus("echo", "online")
                        .get(0)
                        .getJsonObject("pm2_env")
                        .getString("status"));
        screenshot("dashboard-logs.png");
    }

    /**
     * The history's charts: the selected app's figures drawn from GET /api/history, and a range dragged
     * across a chart asked again at a finer step (the page's own state says what it asked and got).
     */
    @Test
    void theHistoryChartsTheSelectedAppAndADraggedRangeZoomsIn(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "charted");
        jpm.awaitStatus("charted", "online");
        openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
        row("charted").findElement(By.cssSelector("td.name")).click();
        // the page follows the figures, so Satan samples each second; the 1 h button reads the history again
        new WebDriverWait(browser, WAIT).until(d -> {
            d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
            return Boolean.TRUE.equals(((JavascriptExecutor) d)
                    .executeScript("const a = timeline.data && timeline.data.apps.charted;"
                            + " return timeline.app === 'charted' && !!a && a.memory.some(v => v !== null)"));
        });
        WebElement memory = waitFor(By.cssSelector("#charts canvas[data-metric=memory]"));
        assertTrue(
                (Boolean) ((JavascriptExecutor) browser)
                        .executeScript(
                                "const c = arguments[0], g = c.getContext('2d');"
                                        + " return g.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 == 3 && v > 0)",
                                memory),
                "the memory chart has something drawn");
        screenshot("dashboard-history.png");
        new Actions(browser)
                .moveToElement(memory, 60, 0)
                .clickAndHold()
                .moveByOffset(120, 0)
                .release()
                .perform();
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript(
                                "return timeline.zoom !== null && timeline.data.to - timeline.data.from < 3600e3")));
        assertTrue(browser.findElement(By.id("history-reset")).isDisplayed());
        screenshot("dashboard-history-zoomed.png");
        browser.findElement(By.id("history-reset")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript(
                                "return timeline.zoom === null && timeline.data.to - timeline.data.from >= 3500e3")));
        // an answer that comes back after a later request's is not drawn: the hour's, held back 1.5 s in
        // the page, then a zoom asked (a busy daemon answered the two out of order, and the hour stayed
        // up, zoomed, with no refresh)
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("const real = call; window.realCall = real; window.lateAnswered = false;"
                + " window.call = (m, p) => !(p.startsWith('/api/history') && !timeline.zoom) ? real(m, p)"
                + " : new Promise(r => setTimeout(r, 1500)).then(() => real(m, p))"
                + "     .then(v => { setTimeout(() => { window.lateAnswered = true; }, 0); return v; });"
                + " loadTimeline();"
                + " const d = timeline.data; timeline.zoom = [d.to - 120e3, d.to]; loadTimeline();");
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(page.executeScript("return window.lateAnswered")));
        page.executeScript("window.call = window.realCall");
        assertEquals(
                Boolean.TRUE,
                page.executeScript("return timeline.zoom !== null && timeline.data.to - timeline.data.from < 3600e3"),
                "the zoom's answer is drawn, not the hour's that came after it");
    }

    /**
     * The charts over a restarted daemon: the figures an app had before `jpm update` (a new daemon
     * JVM that adopts the app) are still drawn from the new daemon's history once the page is loaded
     * again.
     */
    @Test
    void theChartsKeepAnAppsFiguresOverARestartedDaemon(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "kept");
        jpm.awaitStatus("kept", "online");
        openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
        row("kept").findElement(By.cssSelector("td.name")).click();
        String drawnBefore = "const d = timeline.data, a = d && timeline.app === 'kept' && d.apps.kept;"
                + " return !!a && a.memory.some((v, i) => v !== null && d.from + i * d.step_ms < arguments[0])";
        new WebDriverWait(browser, WAIT).until(d -> {
            d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
            return Boolean.TRUE.equals(
                    ((JavascriptExecutor) d).executeScript(drawnBefore, (double) System.currentTimeMillis()));
        });
        long restartedAt = System.currentTimeMillis();
        int daemon = jpm.daemonPid();
        jpm.ok("update");
        assertNotEquals(daemon, jpm.daemonPid(), "update runs a new daemon");
        browser.navigate().refresh(); // the tab keeps its token (sessionStorage)
        row("kept").findElement(By.cssSelector("td.name")).click();
        new WebDriverWait(browser, WAIT).until(d -> {
            d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
            return Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(drawnBefore, (double) restartedAt));
        });
        // and drawn: the memory chart has a line left of where the new daemon started
        assertTrue(
                (Boolean) ((JavascriptExecutor) browser)
                        .executeScript(
                                "const d = timeline.data, c = timeline.charts.memory, g = c.getContext('2d');"
                                        + " const x = Math.floor((arguments[0] - d.from) / (d.to + d.step_ms - d.from) * c.width);"
                                        + " return x > 0 && g.getImageData(0, 14, x, c.height - 14).data.some((v, i) => i % 4 == 3 && v > 0)",
                                (double) restartedAt),
                "a line drawn before the restart");
        screenshot("dashboard-history-after-update.png");
    }
}
