package io.jpm.it.hooks;

import io.jpm.protocol.JpmHome;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VerticleFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Logger;

/**
 * Test-only fault injection, loaded into a daemon as a Java agent ({@link #jar}), so the daemon
 * itself carries no test hook: a file {@code JPM_HOME/test-hang-<verticle>} holding N makes that
 * verticle's thread stall N ms for real, or until a file {@code JPM_HOME/test-release-<verticle>}
 * appears (a test ends the stall as soon as it has seen what it waits for while the verticle is
 * stuck, rather than guessing a length long enough for a loaded machine). Vert.x finds this class as a {@link VerticleFactory}
 * (ServiceLoader, the agent jar is on the system class path) and calls {@link #init} with the
 * daemon's Vert.x; a thread polls for the files and sends the verticle's ping a header an inbound
 * interceptor acts on: interceptors run on the receiving consumer's thread, so the sleep there is
 * a stall of that verticle.
 */
public final class HangHooks implements VerticleFactory {
    private static final Logger LOG = Logger.getLogger("jpm.test");
    private static final String HEADER = "jpm-test-hang";
    /** The file whose creation ends the stall. */
    private static final String RELEASE_HEADER = "jpm-test-hang-release";
    /** The stalled verticle's name, for the line that says its thread is stuck now. */
    private static final String NAME_HEADER = "jpm-test-hang-name";

    private static final List<String> VERTICLES = List.of("god", "logs", "balancer", "config", "persist");

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
        boolean intercepting = false;
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(200);
                for (String name : VERTICLES) {
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
                    Files.delete(trigger);
                    if (!intercepting) {
                        vertx.eventBus().addInboundInterceptor(context -> {
                            String hang = context.message().headers().get(HEADER);
                            if (hang != null) {
                                Path release =
                                        Path.of(context.message().headers().get(RELEASE_HEADER));
                                // off before the stall: a superseded deployment forwards the message with its
                                // headers, and the fresh one must not stall in turn
                                context.message().headers().remove(HEADER);
                                // written on the stuck thread itself: what the verticle does before this
                                // line (an exit it handles, say) happened before the stall
                                String stuck = context.message().headers().get(NAME_HEADER);
                                LOG.warning(() -> "test hook: " + stuck + " stalled");
                                stall(Long.parseLong(hang), release);
                            }
                            context.next();
                        });
                        intercepting = true;
                    }
                    LOG.warning(() -> "test hook: stalling " + name + " for " + ms + " ms");
                    vertx.eventBus()
                            .send(
                                    "jpm.internal." + name + ".ping",
                                    new JsonObject(),
                                    new DeliveryOptions()
                                            .addHeader(HEADER, Long.toString(ms))
                                            .addHeader(NAME_HEADER, name)
                                            .addHeader(
                                                    RELEASE_HEADER,
                                                    home.resolve("test-release-" + name)
                                                            .toString()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "test hook: " + e);
            }
        }
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
