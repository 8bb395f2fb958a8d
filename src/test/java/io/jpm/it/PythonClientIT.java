package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * clients/python (the jpm_client package) against a real daemon: its own unittest files, run by
 * Debian's python3 with JPM_HOME and the jpm launcher in the environment. They drive both forms,
 * blocking and asyncio: the lifecycle of a real app, the daemon's error for a bad target, the
 * events of a restart, log lines, and an event stream that goes on after {@code jpm kill} and a
 * new daemon.
 */
class PythonClientIT {
    private static final Path PACKAGE = Path.of("clients", "python").toAbsolutePath();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path MYPY = Path.of("/usr/bin/mypy");

    @Test
    void thePackagesTestsPassAgainstARealDaemon() throws Exception {
        assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: .ci/run installs Debian's python3");
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            ProcessBuilder python = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "discover", "-v")
                    .directory(PACKAGE.toFile());
            environment(python, jpm);
            Jpm.Result run = Jpm.run(python, jpm.scratch, "python3 -m unittest discover in " + PACKAGE);

            assertEquals(0, run.exit(), run::toString);
            // the summary line: every test ran, none skipped for want of a daemon
            assertTrue(run.err().contains("\nOK\n"), run::toString);
            assertFalse(run.err().contains("skipped"), run::toString);
            assertFalse(run.err().contains("Ran 0 tests"), run::toString);
        }
    }

    /** The package's type hints hold (mypy --strict, Python 3.9), where Debian's mypy is installed. */
    @Test
    void theTypesCheck() throws Exception {
        assumeTrue(Files.isExecutable(MYPY), "Debian's mypy is not installed");
        try (Jpm jpm = new Jpm()) {
            ProcessBuilder mypy = new ProcessBuilder(
                            MYPY.toString(), "--strict", "--python-version", "3.9", "jpm_client", "tests")
                    .directory(PACKAGE.toFile());
            mypy.environment()
                    .put("MYPY_CACHE_DIR", jpm.scratch.resolve("mypy-cache").toString());
            Jpm.Result run = Jpm.run(mypy, jpm.scratch, "mypy --strict in " + PACKAGE);
            assertEquals(0, run.exit(), run::toString);
        }
    }

    private static void environment(ProcessBuilder python, Jpm jpm) {
        Map<String, String> env = python.environment();
        env.put("JPM_HOME", jpm.home.toString());
        env.put("JPM_BIN", Jpm.CLI.get(0));
        // a daemon the tests start again takes a free port, as every IT's daemon does
        env.put("JPM_BRIDGE_PORT", "0");
        env.put("PYTHONPATH", PACKAGE.toString());
        // no __pycache__ left in the source tree
        env.put("PYTHONDONTWRITEBYTECODE", "1");
    }
}
