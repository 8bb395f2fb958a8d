package io.jpm.it;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A measurement, not a test (docs/BENCHMARKS.md, "HTTP door", the dashboard): the daemon's
 * CPU with 200 idle apps over a window with no browser, then over the same window with one
 * headless Chromium following the dashboard. Prints the figures; asserts nothing about them. Runs
 * only when asked: {@code mvn -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=DashboardCostIT -Djpm.bench=true}.
 */
@EnabledIfSystemProperty(named = "jpm.bench", matches = "true")
@ExtendWith(JpmExtension.class)
class DashboardCostIT {
    private static final int APPS = 200;
    private static final long WINDOW_S = Long.getLong("jpm.bench.window", 30);
    private static final long CLOCK_TICKS = 100;

    @Test
    void daemonCpuWithAndWithoutTheDashboard(Jpm jpm) throws Exception {
        Path file = jpm.ecosystem(
                "many.json", Jpm.app("many", Jpm.fixture("idle.sh")).put("instances", APPS));
        jpm.ok("start", file.toString());
        Jpm.await(APPS + " online", Duration.ofSeconds(180), () -> {
            List<JsonObject> all = jpm.named("many");
            return all.size() == APPS && all.stream().allMatch(p -> "online".equals(Jpm.status(p))) ? true : null;
        });
        int port = Ports.free();
        jpm.ok("web", "--port", Integer.toString(port));
        long daemon = jpm.daemonPid();
        TimeUnit.SECONDS.sleep(
                10); // let the start-up's work settle before the first window (a measurement, not a wait for a state)
        double without = cpuPercent(daemon);
        Path profile = Files.createTempDirectory("jpm-chromium-");
        WebDriver browser = DashboardIT.headlessChromium(profile);
        try {
            browser.get("http://127.0.0.1:" + port + "/ui");
            browser.findElement(By.id("token"))
                    .sendKeys(Files.readString(jpm.home.resolve("token")).trim());
            browser.findElement(By.cssSelector("#login button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> Long.valueOf(APPS)
                    .equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return rows.size")));
            double with = cpuPercent(daemon);
            System.out.println("DASHBOARD-COST apps " + APPS + ", window " + WINDOW_S
                    + " s: daemon cpu without a browser " + String.format("%.2f", without)
                    + "% of a core, with the dashboard open " + String.format("%.2f", with) + "%");
        } finally {
            browser.quit();
        }
    }

    /** The daemon's utime + stime over one window, in percent of a core. */
    private static double cpuPercent(long pid) throws IOException, InterruptedException {
        long before = ticks(pid);
        TimeUnit.SECONDS.sleep(WINDOW_S); // the measurement window itself
        long after = ticks(pid);
        return 100.0 * (after - before) / CLOCK_TICKS / WINDOW_S;
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
