package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What the dashboard tests read off a page: its log pane's lines, and its screenshots for docs/images. */
final class DashboardShots {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private DashboardShots() {}

    /**
     * The whole page, top to bottom (the charts, the alerts and the exceptions under the table are in it), to docs/images with JPM_DOCS_SCREENSHOTS=1 in the
     * environment, else target/.
     */
    static void screenshot(WebDriver browser, String name) throws IOException {
        Path into = "1".equals(System.getenv("JPM_DOCS_SCREENSHOTS")) ? Path.of("docs", "images") : Path.of("target");
        Files.createDirectories(into);
        Files.write(into.resolve(name), wholePage(browser));
    }

    /**
     * The page as PNG bytes, its whole height: the window made as tall as the page (no scroll bar, so
     * laid out at the window's full width) for the shot, then given its size back.
     */
    static byte[] wholePage(WebDriver browser) {
        Dimension before = browser.manage().window().getSize();
        try {
            for (int i = 0; i < 3; i++) {
                long page = (Long)
                        ((JavascriptExecutor) browser)
                                .executeScript(
                                        "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight");
                if (page == browser.manage().window().getSize().getHeight()) {
                    break;
                }
                browser.manage().window().setSize(new Dimension(before.getWidth(), (int) page));
            }
            return ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        } finally {
            browser.manage().window().setSize(before);
        }
    }

    /** As {@link #screenshot}, in the theme asked for (light, dark) once the page has taken it. */
    static void screenshot(WebDriver browser, String name, String theme) throws IOException {
        ((JavascriptExecutor) browser)
                .executeScript("localStorage.setItem('jpm.theme', arguments[0]); applyTheme(arguments[0])", theme);
        new WebDriverWait(browser, WAIT)
                .until(d -> theme.equals(
                        ((JavascriptExecutor) d).executeScript("return document.documentElement.dataset.theme")));
        screenshot(browser, name);
    }

    /** The log pane's lines of one stream (out or err), as the page holds them, oldest first. */
    @SuppressWarnings("unchecked")
    static List<String> paneLines(WebDriver browser, String stream) {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return pane.lines.filter(l => l.stream === arguments[0]).map(l => l.line)", stream);
    }

    /** "tick 41", "tick 42", ...: each number once, one more than the one before. */
    static void assertNumbered(String prefix, List<String> lines) {
        long previous = -1;
        for (String line : lines) {
            assertTrue(line.startsWith(prefix), () -> line + " in " + lines);
            long n = Long.parseLong(line.substring(prefix.length()));
            if (previous >= 0) {
                assertEquals(previous + 1, n, () -> "after " + prefix + (n - 1) + " in " + lines);
            }
            previous = n;
        }
    }
}
