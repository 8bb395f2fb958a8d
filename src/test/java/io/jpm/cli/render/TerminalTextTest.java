package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersAreShownNotObeyed() {
        assertEquals("clip ^[]52;c;aGVsbG8=^G board", TerminalText.harmless("clip \u001b]52;c;aGVsbG8=\u0007 board"));
        assertEquals("clear ^[[2J screen^M", TerminalText.harmless("clear \u001b[2J screen\r"));
        assertEquals("csi ^[[31m, del ^?, nul ^@", TerminalText.harmless("csi \u009b31m, del \u007f, nul \u0000"));
    }

    @Test
    void plainTextTabsAndOtherLettersStayAsTheyAre() {
        String plain = "tab\there, é € 日本 \ud83d\ude00";
        assertSame(plain, TerminalText.harmless(plain));
    }

    @Test
    void jsonKeepsItsDataAndEscapesTheC1Controls() {
        assertEquals("\"a\\u009b31m\"", TerminalText.escapeC1("\"a\u009b31m\""));
        String none = "\"plain\"";
        assertSame(none, TerminalText.escapeC1(none));
    }
}
