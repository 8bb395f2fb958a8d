package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.HealthCheck;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A run's verdicts, driven by an exec probe whose outcome a file decides. */
@ExtendWith(VertxExtension.class)
class HealthRunTest {
    @TempDir
    Path dir;

    private HealthCheck check(long startPeriodMs) {
        return new HealthCheck(HealthCheck.Kind.EXEC, "test -f ok", 100, 100, 3, startPeriodMs);
    }

    @Test
    void healthyThenUnhealthyAfterThreeFailuresInARowThenSilent(Vertx vertx, VertxTestContext test) throws Exception {
        Path ok = Files.createFile(dir.resolve("ok"));
        List<String> verdicts = new ArrayList<>();
        HealthRun run = new HealthRun(
                vertx, new HealthProbes(vertx), 42, check(0), null, dir.toString(), Map.of(), (r, status, reason) -> {
                    verdicts.add(status + ": " + reason);
                    if (verdicts.size() == 1) {
                        test.verify(() -> Files.delete(ok)); // healthy once: now make every probe fail
                    } else {
                        test.verify(() -> {
                            assertEquals(
                                    List.of(
                                            "healthy: exec test -f ok: passed",
                                            "unhealthy: health exec test -f ok: exited with code 1 (3 in a row)"),
                                    verdicts);
                            assertEquals(42, r.pid);
                        });
                        test.completeNow();
                    }
                });
        run.start();
    }

    @Test
    void failuresInTheStartPeriodDoNotCount(Vertx vertx, VertxTestContext test) {
        List<String> verdicts = new ArrayList<>();
        long started = System.currentTimeMillis();
        HealthRun run = new HealthRun(
                vertx, new HealthProbes(vertx), 7, check(1500), null, dir.toString(), Map.of(), (r, status, reason) -> {
                    verdicts.add(status);
                    test.verify(() -> {
                        assertEquals(List.of("unhealthy"), verdicts);
                        // three failures at 100 ms could not have been counted before the start period ended
                        assertTrue(System.currentTimeMillis() - started >= 1500, "counted only after the start period");
                    });
                    test.completeNow();
                });
        run.start();
    }

    @Test
    void aBootingRunRetriesQuicklySoItsFirstPassIsNotAnIntervalLate(Vertx vertx, VertxTestContext test) {
        // a one-minute interval: without quick retries while booting, "healthy" would come a minute
        // after the app's first failed probe, long past this test's deadline and a balancer's
        // listen_timeout
        HealthCheck check = new HealthCheck(HealthCheck.Kind.EXEC, "test -f ok", 60_000, 1_000, 3, 0);
        List<String> verdicts = new ArrayList<>();
        HealthRun run = new HealthRun(
                vertx, new HealthProbes(vertx), 9, check, null, dir.toString(), Map.of(), (r, status, reason) -> {
                    verdicts.add(status);
                    test.verify(() -> assertEquals(List.of("healthy"), verdicts, "no failure counted while booting"));
                    test.completeNow();
                });
        run.start();
        // the app "boots" after a few failed probes
        vertx.setTimer(4 * HealthRun.BOOT_PROBE_MS, t -> test.verify(() -> Files.createFile(dir.resolve("ok"))));
    }
}
