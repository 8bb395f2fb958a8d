package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the dashboard tests read off a page: its log pane's lines, its width at a screen's width, and its
 * screenshots for docs/images.
 */
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

    /** The screen's widths the page must fit, a small phone's to a large desktop's. */
    static final List<Integer> WIDTHS = List.of(360, 390, 768, 1024, 1280, 1400, 1920, 2560);

    /**
     * The page laid out for a screen {@code width} CSS pixels wide (Chromium's device metrics, as its
     * DevTools' device mode sets them: a window cannot be made narrower than ~500 px).
     */
    static void viewport(WebDriver browser, int width, int height) {
        ((HasCdp) browser)
                .executeCdpCommand(
                        "Emulation.setDeviceMetricsOverride",
                        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** The window's own size again. */
    static void windowViewport(WebDriver browser) {
        ((HasCdp) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /**
     * The widths of {@link #WIDTHS} at which the page is wider than the screen (it scrolls sideways:
     * {@code document.documentElement.scrollWidth} over its {@code clientWidth}, the screen's width less
     * the scroll bar's), each with the page's width and the elements that stick out: none when it fits.
     */
    @SuppressWarnings("unchecked")
    static List<String> sidewaysScrolls(WebDriver browser) {
        List<String> wide = new ArrayList<>();
        try {
            for (int width : WIDTHS) {
                viewport(browser, width, 900);
                // measured once the page has drawn at that width (the charts follow it from a ResizeObserver)
                List<Object> seen = (List<Object>) ((JavascriptExecutor) browser)
                        .executeAsyncScript("const done = arguments[arguments.length - 1];"
                                + " requestAnimationFrame(() => requestAnimationFrame(() => {"
                                + " const w = innerWidth, e = document.documentElement;"
                                + " const out = [...document.querySelectorAll('body *')].filter(x => x.getClientRects().length"
                                + "  && x.getBoundingClientRect().right > w + 0.5).slice(-3)"
                                + "  .map(x => x.tagName + (x.id ? '#' + x.id : '') + '.' + x.className + ' ' + Math.round(x.getBoundingClientRect().right));"
                                + " done([w, e.scrollWidth, out.join(', '), e.clientWidth]); }))");
                long inner = (Long) seen.get(0), page = (Long) seen.get(1), visible = (Long) seen.get(3);
                assertEquals(width, inner, "the screen's width");
                // the width shown, without the scroll bar: a page wider than this scrolls sideways
                if (page > visible) {
                    wide.add(width + " px: the page is " + page + " px wide for " + visible + " (" + seen.get(2) + ")");
                }
            }
        } finally {
            windowViewport(browser);
        }
        return wide;
    }

    /** The whole page at a phone's width (390 px, an iPhone's), to docs/images or target/ as {@link #screenshot}. */
    static void phoneScreenshot(WebDriver browser, String name) throws IOException {
        try {
            viewport(browser, 390, 844);
            long height =
                    (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
            viewport(browser, 390, (int) height);
            Path into =
                    "1".equals(System.getenv("JPM_DOCS_SCREENSHOTS")) ? Path.of("docs", "images") : Path.of("target");
            Files.createDirectories(into);
            Files.write(into.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            windowViewport(browser);
        }
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
