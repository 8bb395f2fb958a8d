package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
 * crash-looping app, an errored one and a stopped one each marked in words, not only colours; an
 * app's out and err lines in the order it wrote them; the search box filtering them; the dark
 * theme. With JPM_DOCS_SCREENSHOTS=1 in the environment the screenshots of the quiet and the crash-loop
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
        browser.get("http://127.0.0.1:" + PORT + "/ui");
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

    private JsonObject crashLoop(Jpm jpm) throws IOException {
        // each run outlives min_uptime: pm2's counters call none of them unstable, and it never errors
        return Jpm.app("payments", Jpm.fixture("crashloop.sh")).put("min_uptime", 100);
    }

    @Test
    void aCrashLoopAnErroredAndAStoppedAppEachSayWhatTheyAre(Jpm jpm) throws IOException {
        Path file = jpm.ecosystem(
                "states.json",
                Jpm.app("api", Jpm.fixture("idle.sh")),
                crashLoop(jpm),
                Jpm.app("batch", Jpm.fixture("idle.sh")));
        jpm.ok("start", file.toString());
        // a start whose app errors at once says so and exits 1: the errored state is what is wanted here
        jpm.cli(
                "start",
                jpm.ecosystem(
                                "broken.json",
                                Jpm.app("broken", Jpm.fixture("crash.sh")).put("max_restarts", 1))
                        .toString());
        jpm.awaitStatus("batch", "online");
        jpm.ok("stop", "batch");
        jpm.awaitStatus("broken", "errored");
        Jpm.await(
                "payments restarting again and again",
                () -> jpm.named("payments").stream()
                                .anyMatch(p -> p.getJsonObject("jpm").getInteger("exits_last_minute", 0) >= 3)
                        ? true
                        : null);
        openWith(jpm, "token.readonly", "light");
        String loop = awaitBadge("payments", "crashloop");
        assertTrue(loop.contains("crash loop"), loop);
        assertFalse(loop.contains("state-online"), loop);
        assertTrue(awaitBadge("broken", "errored").contains(":errored"));
        assertTrue(awaitBadge("batch", "stopped").contains(":stopped"));
        assertTrue(awaitBadge("api", "online").contains(":online"));
        WebElement row = browser.findElement(By.cssSelector("#processes tbody tr.state-crashloop"));
        assertTrue(row.getText().contains("payments"));
        // the read-only token acts on nothing: its buttons are disabled once the page knows the token
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("access")).getText().equals("read-only"));
        assertFalse(
                row.findElement(By.cssSelector("button[data-action=restart]")).isEnabled());
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("summary")).getText().contains("crash loop"));
        // the states the fixtures do not hold still: waiting restart, and a failing probe beside online
        assertEquals(
                "waiting unhealthy",
                page().executeScript(
                                "const p = {pm2_env: {status: 'waiting restart'}, jpm: {exits_last_minute: 1, health: 'unhealthy'}};"
                                        + " return stateOf(p).key + (unhealthy(p) ? ' unhealthy' : '')"));
        row.findElement(By.cssSelector("td.name")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("log-lines")).getText().contains("ECONNREFUSED"));
        awaitSamples("api", 15);
        screenshot("dashboard-light-crashloop.png");
        page().executeScript("localStorage.setItem('jpm.theme', 'dark'); applyTheme('dark')");
        awaitDark();
        screenshot("dashboard-dark-crashloop.png");
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
