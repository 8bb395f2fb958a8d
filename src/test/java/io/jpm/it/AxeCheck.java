package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the engine behind Lighthouse's accessibility score) run in a page: installed from the npm
 * registry into a folder of the test's own at its first use (never into the jar), injected into the
 * page through the driver and run over the whole document, WCAG 2.x A and AA rules and axe's best
 * practices.
 */
final class AxeCheck {
    /** The latest axe-core on npm's registry when this check was written. */
    private static final String AXE = "axe-core@4.14.1";

    private static String source;

    private AxeCheck() {}

    /** axe.min.js, installed once for the test run. */
    private static synchronized String source() throws Exception {
        if (source == null) {
            assumeTrue(Pm2NodePackageIT.available("npm"), "npm is needed for axe-core");
            Path folder = Files.createTempDirectory("jpm-axe-");
            try {
                Files.writeString(folder.resolve("package.json"), "{\"private\":true}");
                Jpm.Result install = Jpm.run(
                        new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", AXE)
                                .directory(folder.toFile()),
                        folder,
                        "npm install " + AXE);
                assertEquals(0, install.exit(), install::toString);
                source = Files.readString(folder.resolve("node_modules/axe-core/axe.min.js"));
            } finally {
                try (Stream<Path> all = Files.walk(folder)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return source;
    }

    /** Each violation axe finds in the page as it is now: "rule (impact): help, at: selectors". */
    @SuppressWarnings("unchecked")
    static List<String> violations(WebDriver browser) throws Exception {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript(source());
        return (List<String>) page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " axe.run(document, { resultTypes: ['violations'] })"
                + "  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ', at: '"
                + "    + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | '))),"
                + "   e => done(['axe failed: ' + e]))");
    }
}
