package io.jpm.cli.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTrainingTest {
    @Test
    void theTrainingRunGoesThroughARequestAndBothRenderings() throws Exception {
        assertEquals(0, CdsTraining.run());
    }

    /**
     * The classes bin/jpm archives are those the training loads: every local command connects
     * through jpm.sock, so the JDK's Unix channel and its selector must be among them (the training
     * went over TCP only, and each command loaded ~60 classes from the jar and the runtime image).
     */
    @Test
    void theTrainingGoesThroughTheUnixSocketAsEveryLocalCommandDoes(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("classes.txt");
        Process training = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:DumpLoadedClassList=" + list,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.jpm.cli.Main",
                        "__cds-train")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(training.waitFor(60, TimeUnit.SECONDS), "the training run did not end within 60 s");
        assertEquals(0, training.exitValue());
        List<String> classes = Files.readAllLines(list);
        for (String name :
                List.of("sun/nio/ch/UnixDomainSockets", "sun/nio/ch/EPollSelectorImpl", "sun/nio/ch/NioSocketImpl")) {
            assertTrue(classes.contains(name), name + " is not among the classes the training loads");
        }
        // the first command after a boot or a kill starts the daemon: its spawn path, jpm's classes and
        // the JDK's process classes, was read from the jar and the runtime image at each such command
        for (String name : List.of(
                "io/jpm/cli/transport/ForkedKeeper",
                "io/jpm/keeper/KeeperScript",
                "java/lang/ProcessImpl",
                "java/lang/ProcessHandleImpl")) {
            assertTrue(classes.contains(name), name + " is not among the classes the training loads");
        }
    }
}
