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
import org.openqa.selenium.Keys;
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
            DashboardShots.screenshot(browser, "dashboard-dark-crashloop.png", "dark");
            DashboardShots.screenshot(browser, "dashboard-light-crashloop.png", "light");
            DashboardShots.phoneScreenshot(browser, "dashboard-phone-light-crashloop.png");
            // the fullest page: no width scrolls it sideways, axe-core finds nothing at a laptop's and a
            // phone's width, and the keyboard reaches every control the read-only token may use
            assertEquals(List.of(), DashboardShots.sidewaysScrolls(browser));
            // laid out at each width, the log pane still follows the newest line
            assertEquals("following", browser.findElement(By.id("log-follow")).getText());
            assertNoAxeViolations();
            assertEquals(List.of(), DashboardKeys.unreached(browser));
        }
    }

    /** axe-core over the page as it is, laid out at a laptop's width and at a phone's: no violation. */
    private static void assertNoAxeViolations() throws Exception {
        try {
            for (int width : List.of(1280, 390)) {
                DashboardShots.viewport(browser, width, 900);
                assertEquals(List.of(), AxeCheck.violations(browser), "axe-core at " + width + " px");
            }
        } finally {
            DashboardShots.windowViewport(browser);
        }
    }

    /**
     * Quiet apps and one with @pm2/io actions, with the admin token, driven by keyboard alone: Tab
     * reaches every control; Enter on an app's name opens its pane, Space on a range button asks that
     * range, a parameter typed in an action's field and Enter runs the action and shows its answer.
     * axe-core finds nothing, with the buttons enabled.
     */
    @Test
    void quietAppsByKeyboard(Jpm jpm) throws Exception {
        Path file = jpm.ecosystem(
                "quiet.json",
                Jpm.app("api", Jpm.fixture("idle.sh")).put("instances", 2),
                Jpm.app("worker", Jpm.fixture("ticker.sh")),
                Jpm.app("mailer", Jpm.fixture("idle.sh")),
                Jpm.app("shop", Jpm.fixture("actions.js")));
        jpm.ok("start", file.toString());
        int shop = jpm.awaitStatus("shop", "online").get(0).getInteger("pm_id");
        jpm.awaitStatus("mailer", "online");
        openWith(jpm, "token", "light");
        awaitBadge("mailer", "online");
        // a few seconds of the sparklines' points
        awaitSamples("worker", 15);
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("access")).getText().isEmpty());
        DashboardKeys.tabTo(browser, "#processes tr[data-pm-id='" + shop + "'] button.open");
        DashboardKeys.press(browser, Keys.ENTER);
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("logs-app")).getText().equals("shop")
                        && d.findElement(By.id("log-lines")).getText().contains("serving"));
        DashboardKeys.tabTo(browser, ".ranges button[data-range='6h']");
        DashboardKeys.press(browser, Keys.SPACE);
        new WebDriverWait(browser, WAIT)
                .until(
                        d -> Boolean.TRUE.equals(
                                page().executeScript(
                                                "return timeline.range === '6h' && timeline.data.to - timeline.data.from > 5 * 3600e3")));
        DashboardKeys.tabTo(browser, "#action-list input[aria-label='parameter of echo']");
        DashboardKeys.press(browser, "from the keyboard" + Keys.ENTER);
        new WebDriverWait(browser, WAIT)
                .until(d ->
                        d.findElement(By.id("action-answer")).getText().endsWith("={\"got\":\"from the keyboard\"}"));
        assertEquals(List.of(), DashboardKeys.unreached(browser));
        assertNoAxeViolations();
        DashboardScene.awaitCharted(browser, "shop", "memory");
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
