package io.jpm.it.hooks;

import io.jpm.protocol.JpmHome;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.spi.VerticleFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Logger;

/**
 * Test-only fault injection, loaded into a daemon as a Java agent ({@link #jar}), so the daemon
 * itself carries no test hook: a file {@code JPM_HOME/test-hang-<verticle>} holding N makes that
 * verticle hold its thread N ms for real (one task that long), or until a file {@code
 * JPM_HOME/test-release-<verticle>} appears; a file {@code JPM_HOME/test-oom-<verticle>} makes it
 * fill the heap until an OutOfMemoryError. Vert.x finds this class as a {@link VerticleFactory}
 * (ServiceLoader, the agent jar is on the system class path) and calls {@link #init} with the
 * daemon's Vert.x; a thread polls for the files and runs the stall on the verticle's own context
 * (found by its class among the deployments): on its event loop, or on a worker thread for a worker
 * verticle, as any task of that verticle runs.
 */
public final class HangHooks implements VerticleFactory {
    private static final Logger LOG = Logger.getLogger("jpm.test");

    /** The verticles a test may stall, by the name the daemon gives them, and their classes. */
    private static final Map<String, String> VERTICLES = Map.of(
            "god", "GodVerticle",
            "logs", "LogAggregatorVerticle",
            "balancer", "ClusterBalancerVerticle",
            "config", "ConfigWatcherVerticle",
            "persist", "PersistVerticle",
            "satan", "SatanVerticle",
            "bridge", "BridgeVerticle");

    /** The agent's entry point: nothing to do, being on the class path is the point. */
    public static void premain(String args) {}

    @Override
    public String prefix() {
        return "jpm-test-hooks";
    }

    @Override
    public void init(Vertx vertx) {
        Path home = JpmHome.fromEnvironment().root();
        Thread poller = new Thread(() -> poll(vertx, home), "jpm-test-hooks");
        poller.setDaemon(true);
        poller.start();
    }

    private static void poll(Vertx vertx, Path home) {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(200);
                for (Map.Entry<String, String> verticle : VERTICLES.entrySet()) {
                    String name = verticle.getKey();
                    fillTheHeapIfAsked(vertx, home, name, verticle.getValue());
                    Path trigger = home.resolve("test-hang-" + name);
                    if (!Files.exists(trigger)) {
                        continue;
                    }
                    long ms;
                    try {
                        ms = Long.parseLong(Files.readString(trigger).trim());
                    } catch (NumberFormatException e) {
                        continue; // half written: read again at the next tick
                    }
                    Context context = contextOf(vertx, verticle.getValue());
                    if (context == null) {
                        continue; // not deployed yet
                    }
                    Files.delete(trigger);
                    Path release = home.resolve("test-release-" + name);
                    LOG.warning(() -> "test hook: stalling " + name + " for " + ms + " ms");
                    context.runOnContext(v -> {
                        // written on the stuck thread itself: what the verticle did before this line happened before
                        // the stall
                        LOG.warning(() -> "test hook: " + name + " stalled");
                        stall(ms, release);
                        LOG.warning(() -> "test hook: " + name + " released");
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "test hook: " + e);
            }
        }
    }

    /** With {@code test-oom-<name>}: the verticle's next task fills the heap until an OutOfMemoryError. */
    private static void fillTheHeapIfAsked(Vertx vertx, Path home, String name, String className) throws IOException {
        Path trigger = home.resolve("test-oom-" + name);
        Context context = Files.exists(trigger) ? contextOf(vertx, className) : null;
        if (context == null) {
            return;
        }
        Files.delete(trigger);
        LOG.warning(() -> "test hook: filling the heap on " + name);
        context.runOnContext(v -> {
            List<long[]> held = new ArrayList<>();
            while (true) {
                held.add(new long[1 << 20]);
            }
        });
    }

    /** The context of the deployment of {@code className}, null when none is deployed. */
    private static Context contextOf(Vertx vertx, String className) {
        for (DeploymentContext deployment :
                ((VertxInternal) vertx).deploymentManager().deployments()) {
            String identifier = deployment.deployment().identifier();
            if (identifier != null && identifier.endsWith("." + className)) {
                return deployment.deployment().contexts().stream().findFirst().orElse(null);
            }
        }
        return null;
    }

    /** Blocks the calling thread {@code ms}, or until {@code release} appears (it is removed then). */
    private static void stall(long ms, Path release) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        try {
            while (System.nanoTime() < end && !Files.deleteIfExists(release)) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warning(() -> "test hook: " + e);
        }
    }

    /**
     * The agent jar (built once per test run from the compiled test classes): this class, and the
     * service entry that makes Vert.x load it.
     */
    public static synchronized Path jar() throws IOException {
        Path classes;
        try {
            classes = Path.of(HangHooks.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path jar = classes.resolveSibling("jpm-test-hooks.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", HangHooks.class.getName());
        Path tmp = Files.createTempFile(jar.getParent(), "jpm-test-hooks", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), manifest)) {
            String entry = HangHooks.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/" + VerticleFactory.class.getName()));
            out.write((HangHooks.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }
}
