package io.jpm.god;

import io.jpm.testkit.FakeLauncher;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What God's unit tests over the bus start from: a fresh JPM_HOME, a {@link FakeLauncher} and God
 * deployed on the Vert.x that {@link VertxExtension} gives each test (and closes after it). A base
 * class rather than an extension: every test method reads {@code god}, {@code launcher} and
 * {@code home} as fields, and subclasses add their own {@code @BeforeEach} after this one.
 */
@ExtendWith(VertxExtension.class)
abstract class GodFixture {
    @TempDir
    Path home;

    final FakeLauncher launcher = new FakeLauncher();
    GodOnBus god;

    @BeforeEach
    void deployGod(Vertx vertx) {
        god = GodOnBus.deploy(vertx, home, launcher);
    }
}
