package io.jpm.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Where io.jpm.cluster and Hazelcast live in a daemon: Hazelcast's jars stay out of the daemon's
 * class path (an unclustered daemon would pay ~2.5 MB of RSS for their zip directories alone, as
 * each class its own jar lacks is looked up in them too: docs/BENCHMARKS.md), so the first cluster
 * section, at start or added later to a running daemon, opens this loader on {@code cluster-lib/}
 * beside jpm's own jar (the build copies them there). It loads Hazelcast, vertx-hazelcast and jpm's
 * own {@code io.jpm.cluster} package itself (that package names Hazelcast, so it must be defined
 * where Hazelcast is seen); everything else, Vert.x and the rest of jpm, comes from the daemon's
 * loader, so the cluster's classes and the daemon's share one Vert.x, one JsonObject, one bus.
 */
final class ClusterClassLoader extends URLClassLoader {
    /** The packages defined here rather than by the daemon's loader. */
    private static final List<String> OWN =
            List.of("io.jpm.cluster.", "com.hazelcast.", "io.vertx.spi.cluster.hazelcast.");

    private static final String CLUSTER_PACKAGE = "io.jpm.cluster.";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader daemon;
    private final CodeSource jpmSource;

    private ClusterClassLoader(URL[] jars, ClassLoader daemon, CodeSource jpmSource) {
        super("jpm-cluster", jars, daemon);
        this.daemon = daemon;
        this.jpmSource = jpmSource;
    }

    /**
     * The loader of {@code io.jpm.cluster}: the daemon's own when Hazelcast is already on its class
     * path (a test's or an IDE's), else one on the jars of {@code cluster-lib/} beside jpm's code.
     *
     * @throws IOException naming the folder when it holds no Hazelcast jar
     */
    static ClassLoader forDaemon() throws IOException {
        ClassLoader daemon = ClusterClassLoader.class.getClassLoader();
        if (daemon.getResource("com/hazelcast/core/Hazelcast.class") != null) {
            return daemon;
        }
        CodeSource source = ClusterClassLoader.class.getProtectionDomain().getCodeSource();
        Path lib;
        try {
            lib = Path.of(source.getLocation().toURI())
                    .toAbsolutePath()
                    .getParent()
                    .resolve("cluster-lib");
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate jpm's own code: " + e.getMessage());
        }
        List<URL> jars = new ArrayList<>();
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(lib, "*.jar")) {
                for (Path jar : found) {
                    jars.add(url(jar));
                }
            }
        }
        ClusterClassLoader loader = new ClusterClassLoader(jars.toArray(URL[]::new), daemon, source);
        if (loader.findResource("com/hazelcast/core/Hazelcast.class") == null) {
            loader.close();
            throw new IOException(
                    "Hazelcast's jars are not in " + lib + " (mvn package puts them there, beside jpm.jar)");
        }
        return loader;
    }

    private static URL url(Path jar) throws IOException {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IOException(jar + ": " + e.getMessage());
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (OWN.stream().noneMatch(name::startsWith)) {
            return super.loadClass(name, resolve); // the daemon's loader first, as any URLClassLoader
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = name.startsWith(CLUSTER_PACKAGE) ? defineFromJpm(name) : findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** A class of io.jpm.cluster, its bytes read from jpm's own jar through the daemon's loader. */
    private Class<?> defineFromJpm(String name) throws ClassNotFoundException {
        try (InputStream in = daemon.getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length, jpmSource);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
