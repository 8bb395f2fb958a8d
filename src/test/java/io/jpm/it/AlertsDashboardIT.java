package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The alerts and the exceptions in the dashboard, in a real headless Chromium against a real daemon,
 * as the read-only token sees them: a crash-looping app's alert with what its webhook made of it, and
 * a Node app's thrown error grouped with its count, its stack unfolded by a click. The webhook's key
 * is nowhere in the page, and an app's password that its error carries is in no exception and no alert.
 */
class AlertsDashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String KEY = "KEY-in-the-path-5d1c";
    private static final String SECRET = "pw-of-the-db-8c2e";

    @Test
    void theAlertAndTheExceptionShowInThePage() throws Exception {
        Path profile = Files.createTempDirectory("jpm-chromium-");
        WebDriver browser = DashboardIT.headlessChromium(profile);
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(new JsonObject()
                    .put(
                            "alerts",
                            new JsonObject()
                                    .put(
                                            "webhooks",
                                            new JsonObject()
                                                    .put(
                                                            "ops",
                                                            new JsonObject()
                                                                    .put("url", receiver.url("/slack/" + KEY))
                                                                    .put("format", "slack")))
                                    .put(
                                            "rules",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("name", "crash-loop")
                                                            .put("when", "restarts")
                                                            .put("over", 3))
                                                    .add(new JsonObject()
                                                            .put("name", "thrown")
                                                            .put("when", "exception")))));
            int port = Ports.free();
            WebClient.start(jpm, port);
            jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "loop", "--max-restarts", "5");
            jpm.cli(
                    Map.of("MISTAKE", "throw"),
                    "start",
                    Jpm.fixture("unhandled.js").toString(),
                    "--name",
                    "thrower");
            // an app that puts its database password in its error, as a careless one does
            Path leaky = jpm.write(
                    "leaky.js",
                    "setTimeout(() => { throw new Error('login refused for app:' + process.env.DB_PASSWORD); }, 100);\n");
            Path leakyApp = jpm.ecosystem(
                    "leaky.json", Jpm.app("leaky", leaky).put("env", new JsonObject().put("DB_PASSWORD", SECRET)));
            jpm.cli("start", leakyApp.toString());
            browser.get("http://127.0.0.1:" + port + "/ui");
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
            // the lists are drawn again as alerts and exceptions come: a row read while it is replaced is read again
            WebDriverWait wait =
                    (WebDriverWait) new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("token")))
                    .sendKeys(
                            Files.readString(jpm.home.resolve("token.readonly")).trim());
            browser.findElement(By.cssSelector("#login button")).click();
            WebElement alert = wait.until(d -> d.findElements(By.cssSelector("#alert-list tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("crash-loop")
                            && tr.getText().contains("loop restarted")
                            && tr.getText().contains("ops: sent (HTTP 200)"))
                    .findFirst()
                    .orElse(null));
            assertTrue(alert.getAttribute("class").contains("alert-firing"), alert.getAttribute("class"));
            WebElement group = wait.until(d -> d.findElements(By.cssSelector("#exception-list tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("Error: thrown by unhandled.js")
                            && Integer.parseInt(tr.findElement(By.cssSelector("td.count"))
                                            .getText())
                                    >= 2)
                    .findFirst()
                    .orElse(null));
            group.click();
            WebElement stack = wait.until(d -> d.findElements(By.cssSelector("#exception-list pre.stack")).stream()
                    .findFirst()
                    .orElse(null));
            assertTrue(stack.getText().contains("unhandled.js"), stack.getText());
            assertFalse(browser.getPageSource().contains(KEY), "the webhook's key is in the page");
            // the password is in no exception and no alert: not in the page, the API (either token) or a webhook
            wait.until(d -> d.findElements(By.cssSelector("#exception-list tbody tr")).stream()
                    .anyMatch(tr -> tr.getText().contains("Error: login refused for app:<redacted>")));
            receiver.await("leaky's alert", "slack", "leaky threw Error: login refused for app:<redacted>", 1);
            WebClient web = new WebClient(jpm, port);
            String everything = browser.getPageSource()
                    + web.get("/api/exceptions", web.readOnly).body()
                    + web.get("/api/exceptions", web.admin).body()
                    + web.get("/api/alerts", web.admin).body()
                    + receiver.all();
            assertFalse(everything.contains(SECRET), "the app's password is shown");
            Path shot =
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "dashboard-alerts.png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
