package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultisetCommandTest {
    @Test
    void theSerialFormSplitsIntoPairsAsPm2SplitsIt() {
        assertEquals(
                List.of(new ModuleConfig.Pair("a.x", "1"), new ModuleConfig.Pair("b", "3")),
                MultisetCommand.pairs("a.x 1  b 3"));
        assertEquals(
                List.of(new ModuleConfig.Pair("echo.q", "hello world")),
                MultisetCommand.pairs("echo.q \"hello world\""),
                "a quoted value keeps its space and loses its quotes");
        assertEquals(
                List.of(new ModuleConfig.Pair("app.\"a.b\"", "v")),
                MultisetCommand.pairs("app.\"a.b\" v"),
                "a key keeps the quotes that keep its dot");
    }

    @Test
    void anOddNumberOfWordsIsRefused() {
        CliException e = assertThrows(CliException.class, () -> MultisetCommand.pairs("c.x 1 c.y"));
        assertTrue(e.getMessage().contains("got 3 words"), e.getMessage());
        assertThrows(CliException.class, () -> MultisetCommand.pairs("   "));
    }
}
