package io.jpm.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The crash-loop scene of DashboardStatesIT (and of docs/images): one app in each state, an alert rule
 * that fires on the crash loop, an app whose errors are grouped, and what the page shows of them.
 */
final class DashboardScene {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The rows, in pm_id order, each in the state it is named after. */
    static final String[] APPS = {"api", "payments", "batch", "broken", "later", "sick", "checkout"};

    /** What each row's status cell holds ("class:word" per badge) once all are in their states. */
    record States(String online, String loop, String stopped, String errored, String waiting, String sick) {}

    private DashboardScene() {}

    /** jpm.json's alerts: payments' crash loop and every app's exceptions, posted to {@code url} in Slack's format. */
    static JsonObject alerts(String url) {
        JsonObject hooks =
                new JsonObject().put("ops", new JsonObject().put("url", url).put("format", "slack"));
        JsonArray rules = new JsonArray()
                .add(new JsonObject()
                        .put("name", "crash-loop")
                        .put("when", "restarts")
                        .put("over", 3)
                        .put("apps", new JsonArray().add("payments")))
                .add(new JsonObject().put("name", "thrown").put("when", "exception"));
        return new JsonObject()
                .put("alerts", new JsonObject().put("webhooks", hooks).put("rules", rules));
    }

    /** Starts the apps, and stops batch once it ran. */
    static void start(Jpm jpm) throws IOException {
        Path idle = Jpm.fixture("idle.sh");
        Path crash = Jpm.fixture("crash.sh");
        Path file = jpm.ecosystem(
                "scene.json",
                Jpm.app("api", idle),
                Jpm.app("payments", Jpm.fixture("crashloop.sh")).put("min_uptime", 100),
                Jpm.app("batch", idle),
                Jpm.app("broken", crash).put("max_restarts", 1),
                // crashed once, its next run ten minutes away
                Jpm.app("later", crash).put("restart_delay", 600_000),
                // each run fails its first probe and is restarted for it
                Jpm.app("sick", idle)
                        .put(
                                "health",
                                new JsonObject()
                                        .put("exec", "false")
                                        .put("interval", "30s")
                                        .put("unhealthy_after", 1)),
                Jpm.app("checkout", Jpm.fixture("unhandled.js")).put("env", new JsonObject().put("MISTAKE", "reject")));
        // broken errors at once: the start says so and exits 1, which is what is wanted here
        jpm.cli("start", file.toString());
        jpm.awaitStatus("batch", "online");
        jpm.ok("stop", "batch");
        jpm.awaitStatus("broken", "errored");
    }

    /** Until every row shows its state. */
    static States awaitEveryState(WebDriver browser) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            String online = badges(d, "api"), loop = badges(d, "payments"), stopped = badges(d, "batch");
            String errored = badges(d, "broken"), waiting = badges(d, "later"), sick = badges(d, "sick");
            boolean all = online.contains("state-online")
                    && loop.contains("state-crashloop")
                    && stopped.contains("state-stopped")
                    && errored.contains("state-errored")
                    && waiting.contains("state-waiting")
                    && sick.contains("state-unhealthy");
            return all ? new States(online, loop, stopped, errored, waiting, sick) : null;
        });
    }

    private static String badges(WebDriver browser, String name) {
        Object found = ((JavascriptExecutor) browser)
                .executeScript(
                        "const r = [...rows.values()].find(r => r.process && r.process.name === arguments[0]);"
                                + " return r ? [...r.cells.status.children].map(b => b.className + ':' + b.textContent).join(' ') : ''",
                        name);
        return String.valueOf(found);
    }

    /**
     * How many looks the six rows have: a row's look is its state's icons and colours (each badge's icon,
     * text colour and background) and its row's frame, never its words.
     */
    static long distinctLooks(WebDriver browser) {
        return ((Number) ((JavascriptExecutor) browser)
                        .executeScript("const names = ['api', 'payments', 'batch', 'broken', 'later', 'sick'];"
                                + " const looks = names.map(n => {"
                                + "  const r = [...rows.values()].find(r => r.process && r.process.name === n);"
                                + "  const row = getComputedStyle(r.tr);"
                                + "  return row.boxShadow + row.backgroundColor + [...r.cells.status.children].map(b => {"
                                + "   const s = getComputedStyle(b);"
                                + "   return getComputedStyle(b, '::before').content + s.color + s.backgroundColor; }).join('+'); });"
                                + " return new Set(looks).size"))
                .longValue();
    }

    /** Until the crash loop's alert (posted) and checkout's exception group are listed; its stack unfolded. */
    static void awaitAlertAndException(WebDriver browser) {
        // the lists are drawn again every few seconds: a row found may be gone by the time it is read
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> d.findElements(By.cssSelector("#alert-list tbody tr")).stream()
                .anyMatch(tr -> tr.getText().contains("crash-loop")
                        && tr.getText().contains("payments")
                        && tr.getText().contains("ops: sent (HTTP 200)")));
        wait.until(d -> {
            WebElement group = d.findElements(By.cssSelector("#exception-list tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("checkout")
                            && tr.getText().contains("Error: rejection ")
                            && Integer.parseInt(tr.findElement(By.cssSelector("td.count"))
                                            .getText())
                                    >= 5)
                    .findFirst()
                    .orElse(null);
            if (group != null) {
                group.click();
            }
            return group;
        });
        wait.until(d -> d.findElements(By.cssSelector("#exception-list pre.stack")).stream()
                .anyMatch(pre -> pre.getText().contains("unhandled.js")));
    }

    /**
     * Until the selected app's history holds half a minute of its figures; then the charts are zoomed to
     * the time the daemon has run, as a drag across them would, and until its {@code metric} chart has a
     * line drawn.
     */
    static void awaitCharted(WebDriver browser, String app, String metric) {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        new WebDriverWait(browser, WAIT).until(d -> {
            d.findElement(By.cssSelector(".ranges button[data-range='1h']")).click();
            return Boolean.TRUE.equals(page.executeScript(
                    "const a = timeline.data && timeline.app === arguments[0] && timeline.data.apps[arguments[0]];"
                            + " return !!a && a[arguments[1]].filter(v => v !== null).length >= 6",
                    app,
                    metric));
        });
        page.executeScript(
                "const d = timeline.data, a = d.apps[arguments[0]];"
                        + " const first = a.memory.findIndex(v => v !== null);"
                        + " timeline.zoom = [d.from + (first - 1) * d.step_ms, Date.now()]; loadTimeline()",
                app);
        new WebDriverWait(browser, WAIT)
                .until(d -> Boolean.TRUE.equals(page.executeScript(
                        "const d = timeline.data; return timeline.zoom !== null && d.to - d.from < 3000e3"
                                + " && d.apps[arguments[0]][arguments[1]].filter(v => v !== null).length >= 6",
                        app,
                        metric)));
        new WebDriverWait(browser, WAIT)
                .until(d -> lineCoverage(browser, metric, "timeline.data.from", "timeline.data.to") > 0);
    }

    /**
     * The share of the pixel columns of chart {@code metric}'s plot between two times (JavaScript
     * expressions of the page, in ms) where its line is drawn: a pixel in the line's colour, opaque
     * (the area under it is faint: a tenth as opaque), in the column. -1 while the chart is not drawn.
     */
    static double lineCoverage(WebDriver browser, String metric, String from, String to) {
        return ((Number) ((JavascriptExecutor) browser)
                        .executeScript(
                                "const c = timeline.charts[arguments[0]], u = c && c.u;"
                                        + " if (!u || c.figure.hidden) return -1;"
                                        + " const [R, G, B] = [1, 3, 5].map(i => parseInt(c.color.slice(i, i + 2), 16));"
                                        + " const x0 = Math.max(Math.round(u.bbox.left), Math.floor(u.valToPos(" + from
                                        + ", 'x', true)));"
                                        + " const x1 = Math.min(Math.round(u.bbox.left + u.bbox.width), Math.ceil(u.valToPos("
                                        + to + ", 'x', true)));"
                                        + " if (x1 - x0 < 1) return 0;"
                                        + " const top = Math.round(u.bbox.top), h = Math.round(u.bbox.height), w = x1 - x0;"
                                        + " const px = u.ctx.getImageData(x0, top, w, h).data, drawn = new Set();"
                                        + " for (let i = 0; i < px.length; i += 4)"
                                        + "  if (px[i + 3] > 100 && Math.abs(px[i] - R) + Math.abs(px[i + 1] - G) + Math.abs(px[i + 2] - B) < 80)"
                                        + "   drawn.add((i / 4) % w);"
                                        + " return drawn.size / w",
                                metric))
                .doubleValue();
    }
}
