package io.jpm.it;

import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

/** The dashboard by keyboard alone: Tab through the page as a person would, and Enter or Space on what has the focus. */
final class DashboardKeys {
    /** The controls a person can reach: visible, enabled, in the tab order. */
    private static final String CONTROLS =
            "[...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]')]"
                    + ".filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0"
                    + " && getComputedStyle(e).visibility !== 'hidden')";

    private static final String DESCRIBE = "e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
            + " + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' \"' + (e.textContent || e.placeholder || '').trim().slice(0, 30) + '\"'";

    private DashboardKeys() {}

    private static JavascriptExecutor page(WebDriver browser) {
        return (JavascriptExecutor) browser;
    }

    static void press(WebDriver browser, CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    /**
     * Presses Tab until the focused element matches {@code selector}, a whole round of the page's
     * controls at most; fails if it never does (the keyboard cannot reach it).
     */
    static void tabTo(WebDriver browser, String selector) {
        long controls = (Long) page(browser).executeScript("return " + CONTROLS + ".length");
        for (long i = 0; i < 2 * controls + 6; i++) {
            if (Boolean.TRUE.equals(page(browser)
                    .executeScript(
                            "return !!document.activeElement && document.activeElement.matches(arguments[0])",
                            selector))) {
                return;
            }
            press(browser, Keys.TAB);
        }
        throw new AssertionError("Tab never reaches " + selector + " in " + (2 * controls + 6) + " presses");
    }

    /**
     * The controls Tab never reaches over a whole round of the page from wherever the focus is (twice
     * as many presses as there are controls): none, when everything is in the tab order.
     */
    @SuppressWarnings("unchecked")
    static List<String> unreached(WebDriver browser) {
        long controls = (Long) page(browser)
                .executeScript("window.reachedByTab = new Set();"
                        + " document.addEventListener('focusin', e => window.reachedByTab.add(e.target), true);"
                        + " return " + CONTROLS + ".length");
        Actions tabs = new Actions(browser);
        for (long i = 0; i < 2 * controls + 6; i++) {
            tabs.sendKeys(Keys.TAB);
        }
        tabs.perform();
        return (List<String>) page(browser)
                .executeScript(
                        "return " + CONTROLS + ".filter(e => !window.reachedByTab.has(e)).map(" + DESCRIBE + ")");
    }
}
