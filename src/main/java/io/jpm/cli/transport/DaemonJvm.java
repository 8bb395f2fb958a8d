package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.cli.startup.DaemonArchive;
import io.jpm.cli.startup.NativeLibraries;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DaemonDefault;
import io.jpm.protocol.DaemonJit;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The daemon's JVM: the java and the jar it runs from (the client's own) and the flags it runs with. */
public final class DaemonJvm {
    private DaemonJvm() {}

    /**
     * Daemon JVM flags: a small heap that gives memory back after a burst (its floor 4 MB, a young
     * generation of 1 MB: an idle daemon holds ~4.4 MB live, and with 8 MB, a third young, its eden and an
     * old generation sized for twice that stayed resident, 1.7 MiB more RSS at rest a minute after its
     * start, 59.2 against 57.5 MiB), 14 MB at the start: started at its floor, the old generation filled
     * and was collected whole twice on the way to the first answer, each pause ~3-6 ms with every thread
     * stopped; from 14 MB it only takes in what the young collections promote, and the pages it never
     * touches are no RSS (a first command 8 ms sooner, the RSS 20 s after the start unchanged, by hand in
     * turn: BENCHMARKS "Where a first command goes"), a modest code cache, the heap shrunk to what is live at
     * the first full collection after a burst, not a tenth of it per collection (daemon.HeapReturn collects
     * then), all measured in docs/BENCHMARKS.md
     * (DESIGN section 9). The JIT's tiers are {@link #jitFlags}'s. The native heap is trimmed by the
     * daemon itself when its RSS grew (daemon.NativeHeapTrim), not by the JVM's
     * TrimNativeHeapInterval and the thread it starts. No perf data (its sampler
     * woke every 50 ms for jstat, which nobody runs on a daemon; jcmd still attaches) and no
     * notification thread (the service thread sends JMX's few notifications; the flag is JDK 17-20's,
     * {@link #flagsFor}): an idle daemon's
     * wake-ups and threads. Two diagnostic flags for the same: the VM thread no longer wakes
     * every second to see whether a safepoint is due for cleanup (GuaranteedSafepointInterval=0: the
     * cleanup runs at the collections' safepoints), and the monitor deflation thread looks once a
     * minute instead of four times a second (AsyncDeflationInterval, set to the 60 s at which the JVM
     * deflates idle monitors in any case, GuaranteedAsyncDeflationInterval): 5.3 wake-ups a second
     * fewer, measured per thread in an idle JVM and daemon (docs/BENCHMARKS.md, foundation); at 10 s
     * it was still six wake-ups a minute of 1-1.5 ms each on this VM (schedstat, 200 idle apps).
     * The shadow zone each Java thread keeps free below its frames for the native and VM code it calls is
     * 10 pages, the least the JVM takes, not 20: the JVM touches it at every method's entry, so each
     * thread that ever ran Java code held ~90 KiB of stack resident whatever it did (the Reference
     * Handler, the Finalizer, the cleaners, the loops): 0.4 MB less RSS for an idle daemon's 12, in turn
     * (BENCHMARKS, foundation). What it gives up only matters on a stack nearly used up, 512 KiB deep
     * here, where a native call then has 40 KiB instead of 80 before it meets the guard pages.
     * Methods are compiled after five times the JIT's usual number of calls (CompileThresholdScaling=5): a daemon's start runs most of its code a few times only, and
     * on two cores the compiler threads took a third of its CPU (C1 164 ms, C2 120 ms of 0.78 s) from
     * the threads that start it; scaled, the first command came 8-15% sooner, the start used ~20% less
     * CPU, 200 apps started and restarted no slower, and hot code is compiled all the same, a little
     * later (BENCHMARKS, foundation). The CDS flags come from
     * {@link DaemonArchive}. The caps (heap 256 MB, metaspace 192 MB) are what Hazelcast needs once
     * jpm.json has a cluster section, which may be added to a running daemon; caps reserve nothing, and
     * with them the idle RSS and start of an unclustered daemon were measured unchanged (BENCHMARKS,
     * "Several hosts as one"). The JDK internals Hazelcast opens are in {@link #CLUSTER_JVM_FLAGS}.
     */
    public static final List<String> DAEMON_JVM_FLAGS = List.of(
            "-XX:MinHeapSize=4m",
            "-XX:InitialHeapSize=14m",
            "-XX:NewSize=1m",
            "-XX:NewRatio=4",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20",
            "-XX:-ShrinkHeapInSteps",
            "-Xss512k",
            "-XX:StackShadowPages=10",
            "-XX:CompileThresholdScaling=5",
            "-XX:MaxMetaspaceSize=192m",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:-UsePerfData",
            "-XX:-UseNotificationThread",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:GuaranteedSafepointInterval=0",
            "-XX:AsyncDeflationInterval=60000",
            // the JVM's tables of interned strings and of symbols start with 65,536 and 32,768 buckets,
            // 768 KB written whole at the start, for the ~5,300 strings an idle daemon interns and the
            // ~250 symbols it makes beside its archive's own table: 4,096 each, 0.7 MB less RSS at rest (by
            // hand, in turn). The strings' table doubles after a collection that finds it at more than two
            // a bucket; the symbols' did not grow in a test JVM (21,000 in 1,024 buckets after a collection),
            // and at 4,096 a start that parses that many (no archive: -Xshare:off) took as long as at 32,768
            // (1,024: 5 % longer, hyperfine)
            "-XX:StringTableSize=4096",
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:SymbolTableSize=4096",
            // Netty's buffer allocator gives each of its ~35 magazines a queue for 1,024 released buffer
            // objects to reuse, its two arrays allocated whole (a heap dump's largest arrays, with the jar's
            // directory): with 64, an idle daemon's old generation holds 3,979 KB, not 4,255. A released
            // buffer beyond them leaves its 72-byte object to the collector; the memory it wrapped goes back
            // to the pool either way
            "-Dio.netty.allocator.magazineBufferQueueCapacity=64",
            // Vert.x holds each TLS context's key (the HTTPS door's PEM, the cluster's) in a PKCS#12
            // keystore in memory under a random password, sealing it with PBKDF2 and unsealing it again:
            // 10,000 rounds each time by default, which protect nothing that never leaves memory and cost
            // a cold JVM most of a cluster join's CPU (a JFR profile: 36 of 53 samples; 7 with one round).
            // The daemon writes no keystore file (jpm cluster init's is keytool's, its own process)
            "-Dkeystore.pkcs12.keyPbeIterationCount=1",
            // the request path and each sample's (HOT_PATH_COMPILE_SCALE says why)
            "-XX:CompileCommand=quiet",
            hotPathScaling("io/netty/*.*"),
            hotPathScaling("io/vertx/*.*"),
            hotPathScaling("com/fasterxml/*.*"),
            hotPathScaling("io/jpm/bridge/*.*"),
            hotPathScaling("io/jpm/verticle/*.*"),
            hotPathScaling("io/jpm/balancer/*.*"),
            hotPathScaling("io/jpm/god/*.*"),
            hotPathScaling("io/jpm/satan/*.*"),
            hotPathScaling("io/jpm/history/*.*"),
            hotPathScaling("io/jpm/alerts/*.*"));

    /**
     * The code every request runs (Netty's and Vert.x's I/O and event bus, Jackson, the door's frame
     * guard and the bridge, God's listing, the balancer's relay) is compiled after 0.3 times the JIT's usual number of calls
     * (this factor times the global 5), where everything else waits for five times: interpreted, one
     * {@code list()} through the Node package cost ~3 ms of the daemon's CPU and a dashboard's poll
     * at 10 a second never made that code hot enough to compile within a minute (p50 3.4-4.6 ms
     * against pm2's 1.5-1.7; compiled, ~0.1 ms of CPU); the first command and the start's CPU
     * unchanged and ~1 MB more RSS (docs/BENCHMARKS.md, "list() under load"). So is the code each
     * minute's sample runs for every app (Satan's /proc reads, the history's roll-up and write, the
     * alerts' rules): under the global factor it crossed its thresholds a batch a minute for the first
     * minutes after a large start, interpreted meanwhile (docs/BENCHMARKS.md, foundation, idle CPU).
     */
    static final double HOT_PATH_COMPILE_SCALE = 0.06;

    /**
     * The JIT of a daemon that relays no app's traffic: C1 alone, one compiler thread. A dashboard's
     * poll (list() 10 a second, 12 apps) ran in C1's profiled code for tens of minutes under both
     * tiers (C2 only after 24,000 calls of a method, by the thresholds below); C1 alone compiles the
     * same methods at the same point without the profiling: 30 % less of the loop's CPU a call,
     * p50 3.0 against 3.5 ms (pm2 3.7), a third less CPU in the first 20 s with apps, and no C2
     * thread or its arena (docs/BENCHMARKS.md, "list() under load").
     */
    static final List<String> C1_JIT_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");

    /**
     * The JIT of a daemon that relays its apps' traffic ({@link RelayedApps}: the balancer's TCP or
     * HTTP mode): both tiers with the fewest compiler threads (one C1, one C2), C2 cutting the daemon's
     * CPU per proxied request by about a third (BENCHMARKS "HTTP mode against nginx"), with C2's
     * thresholds raised 16-fold so that the request path's C2 compiles come as late as with the global
     * scaling alone.
     */
    static final List<String> RELAY_JIT_FLAGS = List.of(
            "-XX:CICompilerCount=2",
            "-XX:Tier4InvocationThreshold=80000",
            "-XX:Tier4MinInvocationThreshold=9600",
            "-XX:Tier4CompileThreshold=240000",
            "-XX:Tier4BackEdgeThreshold=640000");

    /**
     * The JIT's flags, chosen by whether the daemon relays traffic, and the property naming them: a
     * balancer that starts relaying in a C1 daemon says that {@code jpm update} gives it C2.
     */
    static List<String> jitFlags(boolean relays) {
        List<String> flags = new ArrayList<>(relays ? RELAY_JIT_FLAGS : C1_JIT_FLAGS);
        flags.add((relays ? DaemonJit.C2 : DaemonJit.C1).flag());
        return flags;
    }

    private static String hotPathScaling(String pattern) {
        return "-XX:CompileCommand=CompileThresholdScaling," + pattern + "," + HOT_PATH_COMPILE_SCALE;
    }

    /**
     * The JDK that deprecated {@code -XX:-UseNotificationThread} (JDK-8329113; 24 ignores it with a
     * warning, 25 refuses to start with it): from 23 on the flag is left out, at the cost of one thread.
     */
    private static final int NOTIFICATION_FLAG_GONE = 23;

    /**
     * The first JDK that warns, on the daemon's stdout (daemon.log), of Netty's and JNA's native
     * libraries (JEP 472) and of sun.misc.Unsafe's memory access (JEP 498: Netty's), unless
     * allowed on the command line.
     */
    private static final int NATIVE_ACCESS_WARNED = 24;

    /**
     * {@link #DAEMON_JVM_FLAGS} as a JDK of this feature release takes them: jpm needs Java 17+, and a
     * newer java (JAVA_HOME, or the one on PATH) runs the daemon too. Without this, no daemon started on
     * JDK 25 (the keeper's first daemon "ended at start": an unrecognized VM option).
     */
    static List<String> flagsFor(int feature, boolean relays) {
        List<String> flags = new ArrayList<>(DAEMON_JVM_FLAGS);
        flags.addAll(jitFlags(relays));
        if (feature >= NOTIFICATION_FLAG_GONE) {
            flags.remove("-XX:-UseNotificationThread");
        }
        if (feature >= NATIVE_ACCESS_WARNED) {
            flags.add("--enable-native-access=ALL-UNNAMED");
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    /**
     * The daemon's flags for the java this client runs on, which the daemon runs on too ({@link #javaBinary}),
     * and the native libraries beside its jar ({@link NativeLibraries}).
     */
    public static List<String> daemonJvmFlags(boolean relays) {
        List<String> flags = flagsFor(Runtime.version().feature(), relays);
        flags.addAll(NativeLibraries.daemonFlags(Path.of(ownJar())));
        return flags;
    }

    /**
     * What Hazelcast asks for, given only to a daemon started with a cluster section in jpm.json (one
     * added later to a running daemon works too: Hazelcast then warns and runs slower). Any of these
     * options turns off the JVM's archived module handling: they cost an unclustered daemon ~30 ms of
     * every start (a JVM to its main 192 -> 163 ms here, ready ~45 ms sooner; BENCHMARKS, foundation).
     * Not Hazelcast's {@code --add-modules java.se}: on the class path it adds nothing (every system
     * module that exports a package is a root already), and the release's runtime has no java.se, so
     * a JVM given it would not start (docs/INSTALL.md).
     */
    static final List<String> CLUSTER_JVM_FLAGS = List.of(
            "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /**
     * Crash-only (docs/ARCHITECTURE.md, "A hang"): an OutOfMemoryError ends the daemon at once (exit
     * code 3, no shutdown hook, so no app is stopped), and its keeper starts the next one, which adopts
     * every app. Caught and logged, it would leave a daemon with a dead event loop serving nothing (as a
     * door flooded with connections can, bench/churn.sh). First, so a user's JPM_DAEMON_OPTS can still turn it off.
     */
    static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /** The daemon's system property that ties its life to its stdin (DaemonMain reads it; no import of it here). */
    static final String FOREGROUND_PROPERTY = "jpm.exitWithStdin";

    /** The archive for this jar, or null when JPM_DAEMON_OPTS gives the flags (taken as they are). */
    static DaemonArchive archiveUnlessCustomFlags() {
        String extra = JpmEnv.DAEMON_OPTS.value();
        return extra != null && !extra.isBlank() ? null : DaemonArchive.forClasspath(ownJar());
    }

    /**
     * JPM_DAEMON_OPTS when set (taken as they are), else the daemon's flags (with C2 when its apps
     * are relayed, and Hazelcast's when the home's jpm.json has a cluster section) and its archive's.
     */
    static List<String> configuredFlags(DaemonArchive archive, JpmHome home) {
        List<String> flags = new ArrayList<>(assertionFlags(JpmEnv.DAEMON_ASSERTIONS.value()));
        flags.add(EXIT_ON_OUT_OF_MEMORY);
        flags.addAll(daemonDefaultFlags(System.getenv()));
        String extra = JpmEnv.DAEMON_OPTS.value();
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.trim().split("\\s+")));
            return flags;
        }
        flags.addAll(daemonJvmFlags(RelayedApps.in(home)));
        if (clustered(home)) {
            flags.addAll(CLUSTER_JVM_FLAGS);
        }
        flags.addAll(archive != null ? archive.jvmFlags() : List.of("-Xshare:auto"));
        return flags;
    }

    /**
     * The daemon's {@code -D} of each option with a daemon-wide default ({@link AppOption#daemonDefault}),
     * from the starting command's variables ({@code env}): a flag of its command line, not its environment,
     * so the daemon a keeper starts for {@code jpm update} (or pm2.update()) takes the updating command's
     * value, and every next daemon of that keeper keeps it.
     */
    static List<String> daemonDefaultFlags(Map<String, String> env) {
        List<String> flags = new ArrayList<>();
        for (AppOption option : AppOption.values()) {
            DaemonDefault d = option.daemonDefault;
            if (d != null) {
                flags.addAll(d.flag(d.variable().in(env), env.get(d.pm2Variable())));
            }
        }
        return flags;
    }

    /**
     * {@code -ea:io.jpm...} when JPM_DAEMON_ASSERTIONS is set to anything but empty or 0: the ITs set it
     * (failsafe's environment), so a daemon of theirs fails, and logs, any call that may wait made on an
     * event loop (protocol.BlockingCall). Vert.x's and Netty's assertions stay off.
     */
    static List<String> assertionFlags(String variable) {
        return variable == null || variable.isBlank() || variable.trim().equals("0")
                ? List.of()
                : List.of("-ea:io.jpm...");
    }

    /**
     * Whether jpm.json has a cluster section that is not empty, as the daemon reads it
     * (ClusterSettings.configured, Vert.x's JSON, which the client does not load); one that cannot be
     * read is the daemon's to refuse, not ours.
     */
    static boolean clustered(JpmHome home) {
        Path settings = home.settings();
        try {
            return Files.isRegularFile(settings, LinkOption.NOFOLLOW_LINKS)
                    && Json.parse(Files.readAllBytes(settings)).path("cluster").raw instanceof Map<?, ?> section
                    && !section.isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The java this client runs on: the daemon (and the archive's recorder) run on the same. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The jar (or classes folder) this client runs from: the daemon runs from the same. */
    public static String ownJar() {
        try {
            return Path.of(DaemonJvm.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new CliException(JpmError.INTERNAL, "cannot locate the jpm jar: " + e.getMessage());
        }
    }
}
