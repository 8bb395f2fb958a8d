package io.jpm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterpretersTest {

    @Test
    void byExtension() {
        assertEquals(List.of("node"), Interpreters.forScript("/srv/app/server.js"));
        assertEquals(List.of("node"), Interpreters.forScript("index.mjs"));
        assertEquals(List.of("python3"), Interpreters.forScript("/srv/worker.py"));
        assertEquals(List.of("bash"), Interpreters.forScript("run.sh"));
        assertEquals(List.of("java", "-jar"), Interpreters.forScript("/opt/app.jar"));
        assertEquals(List.of("java"), Interpreters.forScript("Hello.java"));
        assertEquals(List.of("ruby"), Interpreters.forScript("a.rb"));
    }

    @Test
    void extensionIgnoresCase() {
        assertEquals(List.of("python3"), Interpreters.forScript("/srv/WORKER.PY"));
        assertEquals(List.of("java", "-jar"), Interpreters.forScript("App.JAR"));
    }

    @Test
    void noOrUnknownExtensionRunsDirectly() {
        assertEquals(List.of(), Interpreters.forScript("/usr/bin/sleep"));
        assertEquals(List.of(), Interpreters.forScript("server"));
        assertEquals(List.of(), Interpreters.forScript("/srv/app.bin"));
    }

    @Test
    void dotInAFolderNameIsNotAnExtension() {
        assertEquals(List.of(), Interpreters.forScript("/srv/app.js/server"));
        assertEquals(List.of(), Interpreters.forScript("/home/me/.local/bin/tool"));
    }

    @Test
    void explicitNoneRunsDirectlyWhateverTheExtension() {
        assertEquals(List.of(), Interpreters.explicit("none", "/srv/server.js"));
        assertEquals(List.of(), Interpreters.explicit(Interpreters.NONE, "run.sh"));
    }

    @Test
    void explicitInterpreterWins() {
        assertEquals(
                List.of("/usr/local/bin/node18"), Interpreters.explicit("/usr/local/bin/node18", "/srv/server.js"));
        assertEquals(List.of("sh"), Interpreters.explicit("sh", "run.sh"));
        assertEquals(List.of("python2"), Interpreters.explicit("python2", "/srv/app"));
    }

    @Test
    void explicitJavaForAJarAddsDashJar() {
        assertEquals(List.of("/opt/jdk/bin/java", "-jar"), Interpreters.explicit("/opt/jdk/bin/java", "/srv/app.jar"));
        assertEquals(List.of("java"), Interpreters.explicit("java", "/srv/Hello.java"));
    }

    @Test
    void missingOrBlankExplicitFallsBackToExtension() {
        assertEquals(List.of("node"), Interpreters.explicit(null, "a.js"));
        assertEquals(List.of("bash"), Interpreters.explicit("  ", "a.sh"));
    }
}
