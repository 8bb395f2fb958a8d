package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A long process table in a real headless Chromium against a real daemon: past 100 rows the page holds
 * only the rows in sight and a screen's height around them (table.js, placeRows; what 1,000 rows cost
 * otherwise: docs/BENCHMARKS.md, "Console"), the others stand in spacer rows as tall as they are;
 * scrolled to the end, the last app's row comes in written afresh and its restart button acts, while
 * every row is updated by the metrics events each second.
 */
@ExtendWith(JpmExtension.class)
class DashboardManyAppsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int APPS = 120;

    private static Object js(WebDriver browser, String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    @Test
    void aHundredAndTwentyAppsAreWindowedAndTheLastOneActsOnceScrolledTo(Jpm jpm) throws Exception {
        Path file = jpm.ecosystem(
                "many.json", Jpm.app("many", Jpm.fixture("idle.sh")).put("instances", APPS));
        jpm.ok("start", file.toString());
        List<JsonObject> many = Jpm.await(APPS + " online", Duration.ofSeconds(120), () -> {
            List<JsonObject> all = jpm.named("many");
            return all.size() == APPS && all.stream().allMatch(p -> "online".equals(Jpm.status(p))) ? all : null;
        });
        int port = Ports.free();
        jpm.ok("web", "--port", Integer.toString(port));
        Path profile = Files.createTempDirectory("jpm-chromium-");
        WebDriver browser = DashboardIT.headlessChromium(profile);
        try {
            browser.get("http://127.0.0.1:" + port + "/ui");
            new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElement(By.id("token")).isDisplayed());
            browser.findElement(By.id("token"))
                    .sendKeys(Files.readString(jpm.home.resolve("token")).trim());
            browser.findElement(By.cssSelector("#login button")).click();
            new WebDriverWait(browser, WAIT).until(d -> Long.valueOf(APPS).equals(js(d, "return rows.size")));
            long inPage =
                    (Long) js(browser, "return document.querySelectorAll('#processes tbody tr[data-pm-id]').length");
            assertTrue(inPage < APPS, inPage + " rows of " + APPS + " in the page: not windowed");
            // the spacers stand for the rows left out: the table is as tall as every row
            double perRow = ((Number)
                            js(browser, "return document.querySelector('#processes tbody').offsetHeight / " + APPS))
                    .doubleValue();
            double shownRow = ((Number) js(
                            browser, "return document.querySelector('#processes tbody tr[data-pm-id]').offsetHeight"))
                    .doubleValue();
            assertTrue(Math.abs(perRow - shownRow) < 2, perRow + " px a row in all, " + shownRow + " px a row shown");
            // a metrics event on every row first (the rows out of the page keep theirs)
            new WebDriverWait(browser, WAIT)
                    .until(d -> Boolean.TRUE.equals(js(d, "return [...rows.values()].every(r => r.mem.length >= 1)")));

            JsonObject last = many.get(APPS - 1);
            String lastRow = "#processes tbody tr[data-pm-id='" + last.getInteger("pm_id") + "']";
            assertTrue(browser.findElements(By.cssSelector(lastRow)).isEmpty(), "the last row is out of sight");
            js(browser, "window.scrollTo(0, document.body.scrollHeight)");
            WebElement row = new WebDriverWait(browser, WAIT).until(d -> {
                List<WebElement> found = d.findElements(By.cssSelector(lastRow));
                return found.isEmpty()
                                || !found.get(0)
                                        .findElement(By.cssSelector("td.pid"))
                                        .getText()
                                        .equals(last.getInteger("pid").toString())
                        ? null
                        : found.get(0);
            });
            assertTrue(row.findElement(By.cssSelector("td.cpu")).getText().endsWith("%"), "its figures written");
            assertEquals(
                    Boolean.FALSE,
                    js(
                            browser,
                            "return !!document.querySelector(\"#processes tbody tr[data-pm-id='"
                                    + many.get(0).getInteger("pm_id") + "']\")"),
                    "the first row left the page");
            long before = last.getInteger("pid");
            row.findElement(By.cssSelector("button[data-action=restart]")).click();
            Jpm.await("the last row's app restarted", () -> {
                JsonObject now = jpm.named("many").stream()
                        .filter(p -> p.getValue("pm_id").equals(last.getValue("pm_id")))
                        .findFirst()
                        .orElseThrow();
                return now.getInteger("pid") != before && "online".equals(Jpm.status(now)) ? true : null;
            });
        } finally {
            browser.quit();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
