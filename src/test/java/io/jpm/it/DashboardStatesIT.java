package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's states and log pane in a real headless Chromium against a real daemon: a
 * crash-looping app, an errored, a stopped, a waiting and an unhealthy one each marked in words and a
 * look of its own, not only colours, and a daemon with no keeper said so (DashboardScene); an app's
 * out and err lines in the order it wrote them; the search box filtering them; the dark theme. With
 * JPM_DOCS_SCREENSHOTS=1 in the environment the whole-page screenshots of the quiet and the crash-loop
 * page, light and dark, are written to docs/images (else to target/).
 */
@ExtendWith(JpmExtension.class)
class DashboardStatesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = Ports.free();

    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void chromium() throws IOException {
        profile = Files.createTempDirectory("jpm-chromium-");
        browser = DashboardIT.headlessChromium(profile);
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

    private static JavascriptExecutor page() {
        return (JavascriptExecutor) browser;
    }

    private void openWith(Jpm jpm, String tokenFile, String theme) throws IOException {
        openWith(jpm, PORT, tokenFile, theme);
    }

    private void openWith(Jpm jpm, int port, String tokenFile, String theme) throws IOException {
        browser.get("http://127.0.0.1:" + port + "/ui");
        page().executeScript("sessionStorage.clear(); localStorage.setItem('jpm.theme', arguments[0])", theme);
        browser.navigate().refresh();
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token"))
                .sendKeys(Files.readString(jpm.home.resolve(tokenFile)).trim());
        browser.findElement(By.cssSelector("#login button")).click();
    }

    /** The row's status badges (class and word), once {@code wanted} is among their classes. */
    private static String awaitBadge(String name, String wanted) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            Object found = page().executeScript(
                            "const r = [...rows.values()].find(r => r.process && r.process.name === arguments[0]);"
                                    + " return r ? [...r.cells.status.children].map(b => b.className + ':' + b.textContent).join(' ') : null",
                            name);
            return found != null && found.toString().contains("state-" + wanted) ? found.toString() : null;
        });
    }

    /**
     * Every state at once on a daemon with no keeper: a crash loop (each run outlives min_uptime, so
     * pm2's counters call none unstable and it never errors), errored, stopped, waiting restart, an
     * app restarted again and again for failing its health check, and the "apps unprotected" banner;
     * an alert rule that fired (its webhook a local receiver, posted once) and an exception group; the
     * crash loop's history charted. The page is the read-only token's.
     */
    @Test
    void everyStateSaysWhatItIsAndTheCrashLoopIsChartedAlertedAndGrouped() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(DashboardScene.alerts(receiver.url("/slack/T0/B0/key")));
            int port = Ports.free();
            assertEquals(
                    0,
                    jpm.cli(Map.of("JPM_KEEPER", "0"), "web", "--port", Integer.toString(port))
                            .exit());
            DashboardScene.start(jpm);
            openWith(jpm, port, "token.readonly", "light");
            DashboardScene.States seen = DashboardScene.awaitEveryState(browser);
            assertTrue(seen.loop().contains(":crash loop") && !seen.loop().contains("state-online"), seen::toString);
            assertTrue(seen.errored().contains(":errored"), seen::toString);
            assertTrue(seen.stopped().contains(":stopped"), seen::toString);
            assertTrue(seen.waiting().contains(":waiting restart"), seen::toString);
            assertTrue(seen.sick().contains("state-unhealthy:unhealthy"), seen::toString);
            assertTrue(seen.online().contains(":online"), seen::toString);
            WebElement banner = browser.findElement(By.id("unprotected"));
            assertTrue(banner.isDisplayed() && banner.getText().startsWith("apps unprotected: no keeper"));
            // each state its own look: a class of its own for the row, and for the badge an icon of its own
            assertEquals(6, DashboardScene.distinctLooks(browser), "online and five states besides, six looks");
            WebElement row = browser.findElement(By.cssSelector("#processes tbody tr.state-crashloop"));
            assertTrue(row.getText().contains("payments"));
            // the read-only token acts on nothing: its buttons are disabled once the page knows the token
            new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElement(By.id("access")).getText().equals("read-only"));
            assertFalse(row.findElement(By.cssSelector("button[data-action=restart]"))
                    .isEnabled());
            new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElement(By.id("summary")).getText().contains("crash loop"));
            row.findElement(By.cssSelector("td.name")).click();
            new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElement(By.id("log-lines")).getText().contains("ECONNREFUSED"));
            DashboardScene.awaitAlertAndException(browser);
            // once per rule and window, however long the loop goes on
            receiver.await("the crash loop posted", "slack", "crash-loop firing", 1);
            assertEquals(
                    1,
                    receiver.count("slack", "crash-loop firing"),
                    receiver.bodies("slack").toString());
            DashboardScene.awaitCharted(browser, "payments", "restarts");
            awaitSamples("api", 15);
            DashboardShots.screenshot(browser, "dashboard-light-crashloop.png", "light");
            DashboardShots.screenshot(browser, "dashboard-dark-crashloop.png", "dark");
        }
    }

    @Test
    void quietApps(Jpm jpm) throws IOException {
        Path file = jpm.ecosystem(
                "quiet.json",
                Jpm.app("api", Jpm.fixture("idle.sh")).put("instances", 2),
                Jpm.app("worker", Jpm.fixture("ticker.sh")),
                Jpm.app("mailer", Jpm.fixture("idle.sh")));
        jpm.ok("start", file.toString());
        jpm.awaitStatus("mailer", "online");
        openWith(jpm, "token", "light");
        awaitBadge("mailer", "online");
        // a few seconds of the sparklines' points, and the worker's log lines
        awaitSamples("worker", 15);
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("access")).getText().isEmpty());
        browser.findElement(By.cssSelector("#processes tbody tr[data-pm-id='2'] td.name"))
                .click();
        new WebDriverWait(browser, WAIT)
                .until(d -> !d.findElement(By.id("log-lines")).getText().isEmpty());
        DashboardScene.awaitCharted(browser, "worker", "memory");
        screenshot("dashboard-light-quiet.png");
        page().executeScript("localStorage.setItem('jpm.theme', 'dark'); applyTheme('dark')");
        awaitDark();
        screenshot("dashboard-dark-quiet.png");
    }

    /** Until the app's rows hold {@code n} metrics samples: sparklines with a shape for the screenshots. */
    private static void awaitSamples(String name, int n) {
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(page().executeScript(
                                "return [...rows.values()].filter(r => r.process && r.process.name === arguments[0])"
                                        + ".every(r => r.mem.length >= arguments[1])",
                                name,
                                n)));
    }

    /** The theme's colours are on the page: the body's background is the dark one. */
    private static void awaitDark() {
        new WebDriverWait(browser, WAIT).until(d -> "rgb(13, 17, 23)"
                .equals(page().executeScript("return getComputedStyle(document.body).backgroundColor")));
    }

    @Test
    void outAndErrLinesShowInTheOrderWrittenAndTheSearchFiltersThem(Jpm jpm) throws IOException {
        Path out = jpm.home.resolve("alt-out.log");
        Path errors = jpm.home.resolve("alt-err.log");
        jpm.ok(
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
        jpm.awaitStatus("alt", "online");
        Path err = Path.of(jpm.named("alt").get(0).getJsonObject("pm2_env").getString("pm_err_log_path"));
        Jpm.await("the 40 lines written", () -> {
            try {
                return Files.readString(err).contains("seq-40") ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
        openWith(jpm, "token.readonly", "auto");
        awaitBadge("alt", "online");
        browser.findElement(By.cssSelector("#processes tbody tr td.name")).click();
        List<String> lines = new WebDriverWait(browser, WAIT).until(d -> {
            List<String> shown = shownLines();
            return shown.contains("seq-40") ? shown : null;
        });
        for (int i = 1; i <= 40; i++) {
            assertEquals("seq-" + i, lines.get(i - 1), "line " + i + " of " + lines);
        }
        assertTrue(browser.findElements(By.cssSelector("#log-lines .err-line")).size() >= 20, "err lines marked");
        browser.findElement(By.id("log-search")).sendKeys("seq-3");
        List<String> found = new WebDriverWait(browser, WAIT).until(d -> {
            List<String> shown = shownLines();
            return shown.size() == 11 ? shown : null; // seq-3 and seq-30 to seq-39
        });
        assertTrue(found.stream().allMatch(l -> l.startsWith("seq-3")), found.toString());
        assertEquals(11, browser.findElements(By.cssSelector("#log-lines mark")).size());
        screenshot("dashboard-logs-search.png");
    }

    /** The pane's line texts, without where each came from. */
    @SuppressWarnings("unchecked")
    private static List<String> shownLines() {
        return (List<String>) page().executeScript("return [...document.querySelectorAll('#log-lines .line')]"
                + ".map(d => d.textContent.slice(d.firstChild.textContent.length))");
    }

    private static void screenshot(String name) throws IOException {
        DashboardShots.screenshot(browser, name);
    }
}
