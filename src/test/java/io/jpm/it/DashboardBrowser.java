package io.jpm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium ({@link DashboardIT#headlessChromium}) with a profile of its own, for the ITs
 * that share one browser across a class; {@link #close()} quits it and deletes the profile.
 */
final class DashboardBrowser implements AutoCloseable {
    final WebDriver driver;
    private final Path profile;

    DashboardBrowser() throws IOException {
        profile = Files.createTempDirectory("jpm-chromium-");
        try {
            driver = DashboardIT.headlessChromium(profile);
        } catch (RuntimeException e) {
            deleteProfile();
            throw e;
        }
    }

    /**
     * The dashboard at {@code base}/ui in a fresh session (its sessionStorage cleared, so the page
     * asks for the token), logged in with {@code token}; {@code wait} bounds the wait for the token field.
     */
    void logIn(String base, String token, WebDriverWait wait) {
        driver.get(base + "/ui");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector("#login button")).click();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            deleteProfile();
        }
    }

    /** {@code chromium} closed, then {@code hosts} even if that failed; either may be null (never started). */
    static void closeBoth(DashboardBrowser chromium, AutoCloseable hosts) throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    private void deleteProfile() throws IOException {
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
