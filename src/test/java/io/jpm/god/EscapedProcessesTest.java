package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jpm.process.ProcessLauncher.Escaped;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line that names what a run left holding its output: each process, and what became of it. */
class EscapedProcessesTest {

    @Test
    void nothingLeftSaysNothing() {
        assertNull(EscapedProcesses.line(List.of()));
    }

    @Test
    void eachProcessIsNamedWithItsFate() {
        assertEquals(
                "2 processes that had left the app's process group still held its output after the app exited:"
                        + " pid 7 (sleep 1000), killed;"
                        + " pid 9 (agent --daemon), not killed (not ours to kill): its output is read on",
                EscapedProcesses.line(
                        List.of(new Escaped(7, "sleep 1000", true), new Escaped(9, "agent --daemon", false))));
    }
}
