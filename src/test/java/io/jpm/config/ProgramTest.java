package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.Signal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The defaults jpm takes from the program an app runs. */
class ProgramTest {
    private static Program direct(String script, String... args) {
        return Program.of(script, List.of(), List.of(args));
    }

    @Test
    void gunicornIsFoundByItsNameHoweverItIsStarted() {
        assertEquals("gunicorn", direct("/usr/bin/gunicorn", "app:app").name());
        assertEquals("gunicorn", direct("/srv/venv/bin/gunicorn").name());
        assertEquals(
                "gunicorn",
                direct("/usr/bin/python3", "-m", "gunicorn", "app:app").name());
        assertEquals("gunicorn", direct("/usr/bin/python3.11", "-m", "gunicorn").name());
        // pm2's command line with spaces, run by bash -c
        assertEquals(
                "gunicorn",
                direct("/usr/bin/bash", "-c", "gunicorn app:app --workers 2").name());
        assertEquals(
                "server.py",
                Program.of("/srv/server.py", List.of("python3"), List.of()).name());
    }

    @Test
    void gunicornStopsWithSigtermEverythingElseWithPm2sSigint() {
        assertEquals(Signal.SIGTERM, direct("/usr/bin/gunicorn", "app:app").killSignal());
        assertEquals(
                Signal.SIGTERM, direct("/usr/bin/python3", "-m", "gunicorn").killSignal());
        assertEquals(
                Signal.SIGINT,
                direct("/usr/bin/uvicorn", "app:app", "--fd", "3").killSignal());
        assertEquals(
                Signal.SIGINT,
                Program.of("/srv/app.js", List.of("node"), List.of()).killSignal());
        assertEquals(
                Signal.SIGINT,
                Program.of("/srv/app.jar", List.of("java", "-jar"), List.of()).killSignal());
        assertEquals(Signal.SIGINT, direct("/srv/server.py").killSignal());
        // a program whose name only contains gunicorn's is not gunicorn
        assertEquals(Signal.SIGINT, direct("/srv/gunicorn-wrapper.sh").killSignal());
    }

    @Test
    void aSocketAtFd3IsTakenByGunicornAndByArgumentsThatNameIt() {
        assertTrue(direct("/usr/bin/gunicorn", "app:app").takesSocket());
        assertTrue(direct("/usr/bin/uvicorn", "app:app", "--fd", "3").takesSocket());
        assertTrue(direct("/usr/bin/uvicorn", "app:app", "--fd=3").takesSocket());
        assertTrue(direct("/usr/bin/hypercorn", "app:app", "--bind", "fd://3").takesSocket());
        assertTrue(direct("/usr/bin/hypercorn", "app:app", "--bind=fd://3").takesSocket());
        assertTrue(direct("/usr/bin/bash", "-c", "uvicorn app:app --fd 3").takesSocket());
        assertFalse(direct("/usr/bin/uvicorn", "app:app", "--fd", "4").takesSocket());
        assertFalse(direct("/usr/bin/uvicorn", "app:app", "--port", "3").takesSocket());
        assertFalse(direct("/srv/server.py").takesSocket());
    }

    @Test
    void listenTimeoutIsPm2sOutsideTheBalancerAndLongerForAJvmInside() {
        Program python = direct("/srv/server.py");
        Program jar = Program.of("/srv/app.jar", List.of("/usr/lib/jvm/java-17/bin/java", "-jar"), List.of());
        Program javaFile = Program.of("/srv/Hello.java", List.of("java"), List.of());
        Program javaCommand = direct("/usr/bin/java", "-cp", "app.jar", "com.example.Main");
        assertTrue(jar.jvm() && javaFile.jvm() && javaCommand.jvm());
        assertFalse(python.jvm()
                || Program.of("/srv/app.js", List.of("node"), List.of()).jvm());
        assertEquals(3_000, python.listenTimeoutMs(false));
        assertEquals(3_000, jar.listenTimeoutMs(false));
        assertEquals(10_000, python.listenTimeoutMs(true));
        assertEquals(30_000, jar.listenTimeoutMs(true));
        assertEquals(30_000, javaCommand.listenTimeoutMs(true));
    }

    @Test
    void jpmsOwnStaticServerIsGivenAJvmsTimeUnbalancedToo() {
        Program serve =
                Program.of(ServeApp.MAIN_CLASS, List.of("/usr/lib/jvm/java-17/bin/java", "-cp", "jpm.jar"), List.of());
        assertEquals(30_000, serve.listenTimeoutMs(false));
    }

    @Test
    void nodeIsItsInterpreterByAnyPath() {
        assertTrue(Program.of("/srv/app.js", List.of("/usr/local/bin/node"), List.of())
                .node());
        assertTrue(Program.of("/srv/app.js", List.of("nodejs"), List.of()).node());
        assertFalse(direct("/srv/app.js").node());
    }
}
