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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.HasCdp;
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
    /** The browser's time zone for the charts' test: five hours and 45 minutes ahead of UTC. */
    private static final String ZONE = "Asia/Kathmandu";

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
            return d.findElements(By.cssSelector("#charts figure[data-metric^='custom:app_requests_total']")).stream()
                    .filter(WebElement::isDisplayed)
                    .findFirst()
                    .orElse(null);
        });
        String metric = own.getAttribute("data-metric");
        new WebDriverWait(browser, WAIT)
                .until(d -> DashboardScene.lineCoverage(
                                browser, metric, "(timeline.data.from + timeline.data.to) / 2", "timeline.data.to")
                        > 0);
        screenshot("dashboard-app-metrics.png");
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
     * An app's @pm2/io actions as buttons in its pane: with the admin token each runs as `jpm trigger`
     * runs it and its answer is shown, the parameter of one that takes it typed in its field (Enter runs
     * it); the read-only token's are disabled, and the daemon refuses a trigger sent with it: nothing runs.
     */
    @Test
    void anAppsActionsAreButtonsThatRunItWithTheAdminTokenOnly(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("actions.js").toString(), "--name", "shop");
        JsonObject shop = jpm.awaitStatus("shop", "online").get(0);
        String who = "[shop:" + shop.getInteger("pm_id") + ":default]";
        Path out = Path.of(shop.getJsonObject("pm2_env").getString("pm_out_log_path"));
        openWith(Files.readString(jpm.home.resolve("token")).trim());
        row("shop").findElement(By.cssSelector("td.name")).click();
        actionButton("flush cache").click();
        awaitAnswer("flush cache: 1 process received it\n" + who + "={\"flushed\":42}");
        WebElement field = actionButton("echo").findElement(By.xpath("preceding-sibling::input"));
        assertEquals("parameter of echo", field.getAttribute("aria-label"));
        field.sendKeys("hello there", Keys.ENTER);
        awaitAnswer("echo: 1 process received it\n" + who + "={\"got\":\"hello there\"}");
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("log-lines")).getText().contains("echo hello there"));
        screenshot("dashboard-actions.png");

        openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
        row("shop").findElement(By.cssSelector("td.name")).click();
        actionButton("flush cache");
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("#action-list button, #action-list input")).stream()
                        .noneMatch(WebElement::isEnabled));
        Object refused = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " call('POST', '/api/processes/shop/trigger', { action: 'flush cache' }).then(() => done('done'), e => done(e.message))");
        assertEquals("access denied: the read-only token may not send jpm.cmd.trigger", refused);
        // the app answers in the order asked: once the admin's next action's line is written, a flush the
        // refused trigger had reached would be in the file before it
        jpm.ok("trigger", "shop", "echo", "after");
        String written = Jpm.await("the echo after the refused trigger", () -> {
            try {
                String text = Files.readString(out);
                return text.contains("echo after") ? text : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertEquals(1, written.split("cache flushed", -1).length - 1, written);
    }

    /** The button of the selected app's action {@code name}, once the pane shows it. */
    private WebElement actionButton(String name) {
        return new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.cssSelector("#action-list button")).stream()
                        .filter(b -> b.getText().equals(name))
                        .findFirst()
                        .orElse(null));
    }

    private void awaitAnswer(String text) {
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("action-answer")).getText().equals(text));
    }

    /**
     * From a small phone's width to a large desktop's, the page never scrolls sideways (the table as cards
     * on a phone, long text wrapped), with an app's pane open; an app's long name is cut to its column,
     * whole in its title, and whole on the page once the keyboard's focus is on it.
     */
    @Test
    void noScreenWidthScrollsThePageSidewaysAndALongNameShowsWholeOnFocus(Jpm jpm) throws IOException {
        String name = "a-worker-whose-name-goes-" + "on-and-".repeat(6) + "on";
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", name);
        jpm.ok("start", Jpm.fixture("actions.js").toString(), "--name", "shop");
        jpm.awaitStatus("shop", "online");
        long id = jpm.awaitStatus(name, "online").get(0).getInteger("pm_id");
        openWith(Files.readString(jpm.home.resolve("token")).trim());
        row("shop").findElement(By.cssSelector("td.name")).click();
        actionButton("echo");
        assertEquals(List.of(), DashboardShots.sidewaysScrolls(browser));
        // the pointer off the table: a name hovered is whole too
        new Actions(browser)
                .moveToElement(browser.findElement(By.tagName("h1")))
                .perform();
        String button = "#processes tr[data-pm-id='" + id + "'] button.open";
        String cut = "const b = document.querySelector(arguments[0]);"
                + " return [b.scrollWidth > b.clientWidth, b.title, b.getBoundingClientRect().height]";
        List<?> before = (List<?>) ((JavascriptExecutor) browser).executeScript(cut, button);
        assertEquals(true, before.get(0), "the name is cut to its column");
        assertTrue(before.get(1).toString().startsWith(name), before.toString());
        DashboardKeys.tabTo(browser, button);
        List<?> focused = (List<?>) ((JavascriptExecutor) browser).executeScript(cut, button);
        assertEquals(false, focused.get(0), "the focused name is whole");
        assertTrue(
                ((Number) focused.get(2)).doubleValue() > ((Number) before.get(2)).doubleValue(),
                "on more lines: " + before + " then " + focused);
    }

    /**
     * The history's charts (uPlot): the selected app's figures drawn from GET /api/history, the time axis
     * in the browser's time zone, the time and value under the pointer, and a range dragged across a chart
     * asked again at a finer step (the page's own state says what it asked and got); then a young
     * daemon's hour, a point a minute with twenty minutes of none, drawn as two lines and a gap.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theHistoryChartsTheSelectedAppInLocalTimeAndADraggedRangeZoomsIn(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "charted");
        jpm.awaitStatus("charted", "online");
        // a zone whose offset has minutes: a time drawn in UTC, or in the daemon's zone, reads wrong there
        ((HasCdp) browser).executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ZONE));
        try {
            openWith(Files.readString(jpm.home.resolve("token.readonly")).trim());
            row("charted").findElement(By.cssSelector("td.name")).click();
            // the page follows the figures, so Satan samples each second; the 1 h button reads the history again
            new WebDriverWait(browser, WAIT).until(d -> {
                d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
                return Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript("const a = timeline.data && timeline.data.apps.charted;"
                                + " return timeline.app === 'charted' && !!a && a.memory.some(v => v !== null)"));
            });
            JavascriptExecutor page = (JavascriptExecutor) browser;
            assertEquals(
                    -345L, page.executeScript("return new Date().getTimezoneOffset()"), "the page's clock is Nepal's");
            new WebDriverWait(browser, WAIT)
                    .until(d -> DashboardScene.lineCoverage(browser, "memory", "timeline.data.from", "timeline.data.to")
                            > 0);
            // each tick of the time axis is labelled with its local time ("2:35pm", uPlot's default format; an
            // axis keeps its ticks and their labels in _splits and _values)
            List<String> ticks = (List<String>)
                    page.executeScript(
                            "const a = timeline.charts.memory.u.axes[0];"
                                    + " return a._splits.map((t, i) => { const d = new Date(t), h = d.getHours() % 12 || 12;"
                                    + "  const label = String(a._values[i]).split('\\n')[0], mm = String(d.getMinutes()).padStart(2, '0');"
                                    + "  return (new RegExp('^' + h + '(:' + mm + ')?(:\\\\d\\\\d)?(am|pm)$').test(label) ? 'local ' : 'not local ') + label; })");
            assertFalse(ticks.isEmpty(), "the time axis has ticks");
            assertTrue(ticks.stream().allMatch(t -> t.startsWith("local ")), ticks::toString);
            assertTrue(ticks.stream().anyMatch(t -> t.contains(":")), "minutes on the hour's axis: " + ticks);
            // the pointer over the last point: its time and value beside it, as the page formats them. Moved
            // there again at each look: the charts follow the figures, and a redraw with the next ones hides
            // the readout until the pointer moves
            WebElement over = browser.findElement(By.cssSelector("#charts figure[data-metric=memory] .u-over"));
            int[] looks = {0};
            List<String> shown = new WebDriverWait(browser, WAIT).until(d -> {
                List<Number> last =
                        (List<Number>) page.executeScript("const u = timeline.charts.memory.u, ys = u.data[1];"
                                + " let i = ys.length - 1; while (ys[i] === null) i--;"
                                + " return [u.valToPos(u.data[0][i], 'x') - u.over.clientWidth / 2 - 1,"
                                + " u.valToPos(ys[i], 'y') - u.over.clientHeight / 2]");
                // in sight whole, so that the pointer's offsets count from the chart's true centre
                page.executeScript("arguments[0].scrollIntoView({block: 'center'})", over);
                // a pixel apart from the last look's spot, so that each look is a move
                new Actions(browser)
                        .moveToElement(
                                over,
                                last.get(0).intValue() - looks[0]++ % 2,
                                last.get(1).intValue())
                        .perform();
                // the readout and what it should say for the point under the pointer, read at one instant
                return (List<String>)
                        page.executeScript("const c = timeline.charts.memory, u = c.u, i = u.cursor.idxs[1];"
                                + " if (!c.tip || c.tip.hidden || i == null) return null;"
                                + " return [c.tip.textContent, clock(u.data[0][i]) + ' · ' + c.format(u.data[1][i])]");
            });
            String readout = shown.get(0);
            assertEquals(shown.get(1), readout);
            assertTrue(readout.matches("\\d{1,2}:\\d{2}:\\d{2}.* · [0-9.]+(b|kb|mb)"), readout);
            screenshot("dashboard-history.png");
            new Actions(browser)
                    .moveToElement(over, -120, 0)
                    .clickAndHold()
                    .moveByOffset(120, 0)
                    .release()
                    .perform();
            new WebDriverWait(browser, WAIT)
                    .until(
                            d -> Boolean.TRUE.equals(
                                    ((JavascriptExecutor) d)
                                            .executeScript(
                                                    "return timeline.zoom !== null && timeline.data.to - timeline.data.from < 3600e3")));
            assertTrue(browser.findElement(By.id("history-reset")).isDisplayed());
        } finally {
            ((HasCdp) browser).executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        }
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
        // a young daemon's hour: a point a minute while nobody watched (Satan's idle sampling), none for
        // twenty minutes (the daemon down), then a point a minute again: a line through each run of
        // points, and a gap between them
        page.executeScript("const now = Date.now(), step = 5000, from = now - 3600e3, times = [], memory = [];"
                + " for (let i = 0; from + i * step < now; i++) { const m = i * step / 60e3; times.push(from + i * step);"
                + "  memory.push(i % 12 === 0 && (m < 20 || m >= 40) ? 1e6 * (1 + i % 5) : null); }"
                + " timeline.asked++; clearTimeout(loadTimeline.timer); timeline.zoom = [from, now];"
                + " timeline.data = { host: 'x', from, to: times[times.length - 1], step_ms: step, times, totals: {},"
                + "  apps: { charted: { memory } } };"
                + " drawTimeline()");
        double up = DashboardScene.lineCoverage(
                browser, "memory", "timeline.data.from + 60e3", "timeline.data.from + 19 * 60e3");
        double down = DashboardScene.lineCoverage(
                browser, "memory", "timeline.data.from + 21 * 60e3", "timeline.data.from + 39 * 60e3");
        double again = DashboardScene.lineCoverage(
                browser, "memory", "timeline.data.from + 41 * 60e3", "timeline.data.from + 59 * 60e3");
        assertTrue(up > 0.9 && again > 0.9, "lines between points a minute apart: " + up + ", " + again);
        assertEquals(0.0, down, "a gap where nothing was recorded");
        screenshot("dashboard-history-gap.png");
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
        // two points at least before the update: a line between them
        String drawnBefore = "const d = timeline.data, a = d && timeline.app === 'kept' && d.apps.kept;"
                + " return !!a && a.memory.filter((v, i) => v !== null && d.from + i * d.step_ms < arguments[0]).length >= 2";
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
        // and drawn: zoomed to the minute around the update, the memory chart has a line left of where the
        // new daemon started (in the whole hour those seconds are a pixel wide)
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript(
                "timeline.zoom = [arguments[0] - 45e3, arguments[0] + 15e3]; loadTimeline()", (double) restartedAt);
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(page.executeScript(
                        "const d = timeline.data;"
                                + " return timeline.zoom !== null && d.to - d.from <= 120e3 && d.from < arguments[0]",
                        (double) restartedAt)));
        assertTrue(
                DashboardScene.lineCoverage(browser, "memory", "timeline.data.from", Long.toString(restartedAt)) > 0,
                "a line drawn before the restart");
        screenshot("dashboard-history-after-update.png");
    }
}
