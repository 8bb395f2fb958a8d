package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineCutterTest {
    private final List<String> lines = new ArrayList<>();
    private final LineCutter cutter = new LineCutter(8, lines::add);

    private void feed(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        cutter.feed(bytes, 0, bytes.length);
    }

    @Test
    void shortLinesPassWholeWhateverTheirPieces() {
        feed("ab\ncdefgh");
        feed("\n\nx");
        assertEquals(List.of("ab", "cdefgh", ""), lines);
        assertEquals(1, cutter.pending());
        cutter.finish();
        assertEquals(List.of("ab", "cdefgh", "", "x"), lines);
    }

    @Test
    void aLongLineShowsItsEndsAndHowManyBytesWereLeftOut() {
        feed("0123456789");
        feed("abcdefghij".repeat(1000));
        feed("XYZ\nnext\n");
        assertEquals("0123" + LineCutter.marker(10_005, false) + "jXYZ", lines.get(0));
        assertEquals("next", lines.get(1));
        // one byte over the bound is cut too; the bound itself is whole
        feed("12345678\n123456789\n");
        assertEquals(List.of("12345678", "1234" + LineCutter.marker(1, false) + "6789"), lines.subList(2, 4));
    }

    @Test
    void aCutNeverSplitsACharacter() {
        // é is two bytes: the head's last one and the tail's first one would each hold half of one
        feed("abcé" + "x".repeat(20) + "éfg\n");
        assertEquals("abc" + LineCutter.marker(22, false) + "éfg", lines.get(0));
        feed("abcd" + "x".repeat(20) + "é€\n");
        assertEquals("abcd" + LineCutter.marker(22, false) + "€", lines.get(1));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals(0, LineCutter.wholeCharacters(euro, 0, 2));
        assertEquals(3, LineCutter.wholeCharacters(euro, 0, 3));
        assertEquals(1, LineCutter.wholeCharacters("a€".getBytes(StandardCharsets.UTF_8), 0, 3));
    }

    @Test
    void aLineWhoseStartWasNotSeenSaysMoreThan() {
        cutter.startUnknown();
        feed("0123456789\nab\n");
        assertEquals(List.of(LineCutter.marker(6, true) + "6789", "ab"), lines);
    }
}
