package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The history's 7 days on a real daemon: the 10 minutes' cells of days ago, in JPM_HOME/history's day
 * files as a daemon of then wrote them, served by {@code GET /api/history} for a 7-day range (a point
 * each 20 minutes), charted by the page's "7 d" range in headless Chromium, and served again by the
 * next daemon after a {@code jpm kill} (the files kept, not pruned). That a daemon writes the cells it
 * finishes is HistoryStoreTest's and HistoryFilesTest's: a cell takes 10 minutes.
 */
class HistoryWeekIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TEN_MINUTES = 600_000;
    private static final long HOUR = 3_600_000;

    /** A week file as a daemon writes one: a gzip member of JSON lines, named by its day's first hour. */
    private static void weekFile(Path dir, long time, float apiCpu, float hostMemory) throws IOException {
        long hour = time / HOUR;
        Path file = dir.resolve("week-" + (hour - hour % 24) + "-1.jsonl.gz");
        String line = new JsonObject()
                        .put("t", time)
                        .put(
                                "f",
                                new JsonObject()
                                        .put("api", new JsonObject().put("cpu", apiCpu))
                                        .put("", new JsonObject().put("memory", hostMemory)))
                        .encode()
                + "\n";
        try (OutputStream out = new GZIPOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static JsonObject week(WebClient web, long now) {
        WebClient.Answer a = web.getOnceListening(
                "/api/history?apps=api&from=" + (now - 7 * 24 * HOUR) + "&to=" + now, web.readOnly);
        return a != null && a.status() == 200 ? a.json().getJsonObject("data") : null;
    }

    /** The figure of the point holding {@code time}. */
    private static Object at(JsonObject history, JsonArray series, long time) {
        int i = (int) ((time - history.getLong("from")) / history.getLong("step_ms"));
        return series.getValue(i);
    }

    @Test
    void sevenDaysAreServedChartedAndKeptOverARestart() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path dir = jpm.home.resolve("history");
            Files.createDirectories(
                    jpm.home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            long now = System.currentTimeMillis();
            long fiveDaysAgo = (now - 5 * 24 * HOUR) / TEN_MINUTES * TEN_MINUTES;
            long threeDaysAgo = (now - 3 * 24 * HOUR) / TEN_MINUTES * TEN_MINUTES;
            weekFile(dir, fiveDaysAgo, 42f, 3e9f);
            weekFile(dir, threeDaysAgo, 7f, 1e9f);
            int port = Ports.free();
            WebClient web = WebClient.start(jpm, port);

            JsonObject history = Jpm.await("the 7 days served", () -> week(web, now));
            assertEquals(1_200_000, history.getLong("step_ms"), "whole 10 minutes: 20 minutes a point");
            JsonArray cpu = history.getJsonObject("apps").getJsonObject("api").getJsonArray("cpu");
            assertEquals(42.0, ((Number) at(history, cpu, fiveDaysAgo)).doubleValue(), history.encode());
            assertEquals(7.0, ((Number) at(history, cpu, threeDaysAgo)).doubleValue(), history.encode());
            assertEquals(2, cpu.stream().filter(v -> v != null).count(), "nothing else: " + cpu);
            JsonArray memory = history.getJsonObject("totals").getJsonArray("memory");
            assertEquals(3e9, ((Number) at(history, memory, fiveDaysAgo)).doubleValue(), 1e3);

            Path profile = Files.createTempDirectory("jpm-chromium-");
            WebDriver browser = DashboardIT.headlessChromium(profile);
            try {
                chartedInTheBrowser(jpm, browser, port);
            } finally {
                browser.quit();
                try (var files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }

            jpm.ok("kill");
            jpm.ok("ping"); // a new daemon, its web server on the same port from jpm.json
            JsonObject again = Jpm.await("the 7 days served by the next daemon", () -> week(web, now));
            assertEquals(
                    cpu,
                    again.getJsonObject("apps").getJsonObject("api").getJsonArray("cpu"),
                    "read back as they were");
        }
    }

    /** The page's "7 d": the host's memory of 5 days ago charted at 20 minutes a point, the button pressed. */
    private static void chartedInTheBrowser(Jpm jpm, WebDriver browser, int port) throws IOException {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        browser.get("http://127.0.0.1:" + port + "/ui");
        new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token"))
                .sendKeys(Files.readString(jpm.home.resolve("token.readonly")).trim());
        browser.findElement(By.cssSelector("#login button")).click();
        new WebDriverWait(browser, WAIT).until(d -> page.executeScript("return timeline.data") != null);
        browser.findElement(By.cssSelector(".ranges button[data-range='7d']")).click();
        String summary = new WebDriverWait(browser, WAIT).until(d -> {
            Object s = page.executeScript(
                    "return timeline.data && timeline.data.step_ms === 1200000 && !timeline.charts.memory.figure.hidden"
                            + " ? timeline.charts.memory.summary.textContent : null");
            return s == null ? null : s.toString();
        });
        assertTrue(summary.startsWith("max 2861.0mb"), summary);
        String range = browser.findElement(By.id("history-range")).getText();
        assertTrue(range.endsWith("a point each 20m"), range);
        assertEquals(
                "true",
                browser.findElement(By.cssSelector(".ranges button[data-range='7d']"))
                        .getAttribute("aria-pressed"));
    }
}
