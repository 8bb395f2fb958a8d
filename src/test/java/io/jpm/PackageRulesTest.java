package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/ARCHITECTURE.md, checked on the sources: which jpm packages each one may
 * import, that verticles never import each other, and that the contract and the client stay free
 * of Vert.x (so the CLI shares the protocol records and never loads a daemon class).
 */
class PackageRulesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/jpm");
    private static final Set<String> EVERYTHING = Set.of("*");

    /** Package, and the jpm packages it may import (its own sub-packages always). */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("protocol", Set.of()),
            Map.entry("internals", Set.of()),
            Map.entry("process", Set.of("protocol")),
            Map.entry("serve", Set.of("protocol")),
            Map.entry("config", Set.of("protocol", "process", "serve")),
            Map.entry("launcher", Set.of("process", "protocol")),
            Map.entry("verticle", Set.of("protocol", "config", "internals")),
            Map.entry("god", Set.of("protocol", "process", "config", "launcher", "verticle")),
            Map.entry("satan", Set.of("protocol", "process", "config", "verticle")),
            Map.entry("logs", Set.of("protocol", "config", "verticle")),
            Map.entry("history", Set.of("protocol", "verticle")),
            Map.entry("alerts", Set.of("protocol", "config", "verticle")),
            Map.entry("balancer", Set.of("protocol", "config", "verticle", "internals")),
            Map.entry("ecosystem", Set.of("protocol", "config", "launcher", "verticle", "internals")),
            Map.entry("persist", Set.of("protocol", "process", "config", "launcher", "keeper", "verticle")),
            Map.entry("bridge", Set.of("protocol", "config", "verticle", "internals")),
            Map.entry("cluster", Set.of("protocol", "config", "verticle")),
            Map.entry("web", Set.of("protocol", "config", "verticle")),
            Map.entry("heldport", Set.of("protocol", "process", "launcher", "balancer", "internals")),
            Map.entry("daemon", EVERYTHING),
            Map.entry("deploy", Set.of("protocol", "config")),
            Map.entry("keeper", Set.of("protocol")),
            Map.entry("cli", Set.of("protocol", "deploy", "keeper")));

    /**
     * Hazelcast is loaded, by the daemon's cluster class loader, only with this package: only it names
     * Hazelcast, and no other package names it (a class of it loaded by the daemon's own loader could
     * not see Hazelcast), so the daemon reaches it by name (daemon.ClusterGate).
     */
    private static final String HAZELCAST_PACKAGE = "cluster";

    private static final Pattern HAZELCAST_IMPORT = Pattern.compile(
            "^import (?:static )?(com\\.hazelcast|io\\.vertx\\.spi\\.cluster\\.hazelcast|io\\.jpm\\.cluster)\\.",
            Pattern.MULTILINE);
    /** The one package that may use a Vert.x or Netty internal (io.jpm.internals says why each). */
    private static final String INTERNALS_PACKAGE = "internals";

    private static final Pattern INTERNAL_IMPORT = Pattern.compile(
            "^import (?:static )?(?:io\\.vertx|io\\.netty)(?:\\.\\w+)*\\.(?:impl|internal)\\.", Pattern.MULTILINE);
    /** Reflection past access checks: on Vert.x's or Netty's classes it is an internal too. */
    private static final Pattern REFLECTION =
            Pattern.compile("\\.(?:setAccessible|getDeclaredField|getDeclaredMethod)\\(");

    private static final Set<String> WITHOUT_VERTX = Set.of("protocol", "process", "launcher", "keeper", "cli");
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(io\\.jpm\\.([a-z]+)|io\\.vertx)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageImportsOnlyWhatTheMapAllows() throws IOException {
        List<String> broken = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String own = SOURCES.relativize(file).getName(0).toString();
                Set<String> allowed = MAY_IMPORT.get(own);
                if (allowed == null) {
                    broken.add(own + ": a package the map in docs/ARCHITECTURE.md does not name");
                    continue;
                }
                if (!own.equals(HAZELCAST_PACKAGE)
                        && HAZELCAST_IMPORT.matcher(Files.readString(file)).find()) {
                    broken.add(SOURCES.relativize(file)
                            + " imports Hazelcast or io.jpm.cluster (only the cluster package may)");
                }
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String imported = m.group(2);
                    if (imported == null) {
                        if (WITHOUT_VERTX.contains(own)) {
                            broken.add(SOURCES.relativize(file) + " imports Vert.x");
                        }
                    } else if (!imported.equals(own) && allowed != EVERYTHING && !allowed.contains(imported)) {
                        broken.add(SOURCES.relativize(file) + " imports io.jpm." + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /**
     * A Vert.x or Netty internal (a class of an {@code impl} or {@code internal} package, or a field
     * read by reflection) is used in io.jpm.internals only, where each has its why and a test that
     * fails when an upgrade moves it: nowhere else can an upgrade break jpm without a test saying so.
     */
    @Test
    void onlyTheInternalsPackageReachesVertxOrNettyInternals() throws IOException {
        List<String> broken = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (SOURCES.relativize(file).getName(0).toString().equals(INTERNALS_PACKAGE)) {
                    continue;
                }
                String text = Files.readString(file);
                if (INTERNAL_IMPORT.matcher(text).find()) {
                    broken.add(SOURCES.relativize(file) + " imports a Vert.x or Netty internal (use io.jpm.internals)");
                }
                if (REFLECTION.matcher(text).find()) {
                    broken.add(SOURCES.relativize(file) + " reflects past access checks (io.jpm.internals only)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /**
     * On a clustered bus a consumer registered with {@code consumer()} takes sends from every host
     * and a publish goes to every host: each jpm address stays local to its daemon, and only the
     * cluster package's per-host consumers reach further.
     */
    @Test
    void everyAddressStaysLocalToItsDaemon() throws IOException {
        List<String> broken = new ArrayList<>();
        Pattern clusterWideConsumer = Pattern.compile("eventBus\\(\\)\\s*\\.\\s*(<[^>]*>)?consumer\\(");
        Pattern publish = Pattern.compile("eventBus\\(\\)\\s*\\.\\s*publish\\(([^;]*);", Pattern.DOTALL);
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (SOURCES.relativize(file).getName(0).toString().equals("cluster")) {
                    continue;
                }
                String text = Files.readString(file);
                if (clusterWideConsumer.matcher(text).find()) {
                    broken.add(SOURCES.relativize(file) + " registers a cluster-wide consumer (use localConsumer)");
                }
                Matcher m = publish.matcher(text);
                while (m.find()) {
                    if (!m.group(1).contains("LocalBus.only()")) {
                        broken.add(SOURCES.relativize(file) + " publishes beyond its host (add LocalBus.only())");
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
    }
}
