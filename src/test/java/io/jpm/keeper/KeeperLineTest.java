package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The daemon's side of the keeper's lines (docs/ARCHITECTURE.md, "The keeper"). */
class KeeperLineTest {
    private static KeeperLine line(String fromKeeper, ByteArrayOutputStream toKeeper) {
        return new KeeperLine(new ByteArrayInputStream(fromKeeper.getBytes(StandardCharsets.UTF_8)), toKeeper);
    }

    @Test
    void theInventoryNamesTheKeeperWhatItHoldsAndTheExitsItKept() throws IOException {
        KeeperLine line = line(
                "keeper 41 subreaper\nheld out:7:123 9\nheld err:7:123 10\nexit 8 456 0 9 1764000000123\nexit 12 0 3 0\nend-of-inventory\n",
                new ByteArrayOutputStream());
        KeeperLine.Inventory inventory = line.readInventory();
        assertEquals(41, inventory.keeperPid());
        assertTrue(inventory.subreaper());
        assertEquals(Map.of("out:7:123", 9, "err:7:123", 10), inventory.held());
        // the reap time, and 0 from a keeper that does not say it
        assertEquals(
                List.of(new KeeperLine.Exit(8, 456, 0, 9, 1764000000123L), new KeeperLine.Exit(12, 0, 3, 0, 0)),
                inventory.exits());
    }

    @Test
    void aKeeperThatIsNoSubreaperSaysSo() throws IOException {
        KeeperLine.Inventory inventory = line("keeper 41 no-subreaper\nend-of-inventory\n", new ByteArrayOutputStream())
                .readInventory();
        assertEquals(false, inventory.subreaper());
        assertEquals(Map.of(), inventory.held());
    }

    /** A keeper's first daemon hears no starts-next: should its start fail, that keeper ends with it. */
    @Test
    void aKeeperWhoseDaemonWasReadyBeforeSaysItStartsTheNext() throws IOException {
        KeeperLine.Inventory again = line(
                        "keeper 41 subreaper starts-next\nend-of-inventory\n", new ByteArrayOutputStream())
                .readInventory();
        assertTrue(again.startsNext());
        assertTrue(again.subreaper());
        KeeperLine.Inventory first = line("keeper 41 subreaper\nend-of-inventory\n", new ByteArrayOutputStream())
                .readInventory();
        assertEquals(false, first.startsNext());
    }

    @Test
    void aLineThatEndsBeforeTheInventoryDoesIsAnError() {
        IOException e = assertThrows(IOException.class, () -> line("keeper 41 subreaper\n", new ByteArrayOutputStream())
                .readInventory());
        assertTrue(e.getMessage().contains("before its inventory"), e.getMessage());
    }

    @Test
    void exitsAfterTheInventoryAreFollowed() throws Exception {
        KeeperLine line = line(
                "keeper 41 subreaper\nend-of-inventory\nexit 8 456 0 15\nexit 9 457 2 0\n",
                new ByteArrayOutputStream());
        line.readInventory();
        List<KeeperLine.Exit> seen = new CopyOnWriteArrayList<>();
        line.readExits(seen::add); // returns at the line's end
        assertEquals(List.of(new KeeperLine.Exit(8, 456, 0, 15, 0), new KeeperLine.Exit(9, 457, 2, 0, 0)), seen);
    }

    /**
     * The first pump reads the line once per readiness: whatever one read brings, part of a line or
     * the inventory's end and exits after it, every exit arrives whole and once.
     */
    @Test
    void exitsComeWholeWhateverEachReadBrings() throws Exception {
        byte[] said =
                "keeper 41 subreaper\nexit 7 455 1 0\nend-of-inventory\nexit 8 456 0 15\nexit 9 457 2 0 1764000000123\n"
                        .getBytes(StandardCharsets.UTF_8);
        for (int perRead = 1; perRead <= said.length; perRead++) {
            KeeperLine line = new KeeperLine(new ChunkedStream(said, perRead), new ByteArrayOutputStream());
            assertEquals(
                    List.of(new KeeperLine.Exit(7, 455, 1, 0, 0)),
                    line.readInventory().exits());
            List<KeeperLine.Exit> seen = new ArrayList<>();
            line.handRead(seen::add); // what the inventory's reads brought past its end
            int reads = 0;
            while (line.readSome(seen::add) == KeeperLine.Read.MORE) {
                reads++;
            }
            assertEquals(
                    List.of(new KeeperLine.Exit(8, 456, 0, 15, 0), new KeeperLine.Exit(9, 457, 2, 0, 1764000000123L)),
                    seen,
                    perRead + " bytes a read");
            assertTrue(reads <= said.length, "one read a call");
        }
    }

    /** A stream whose reads bring at most {@code perRead} bytes, as a pipe's may. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] bytes;
        private final int perRead;
        private int at;

        ChunkedStream(byte[] bytes, int perRead) {
            this.bytes = bytes;
            this.perRead = perRead;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, perRead), bytes.length - at);
            System.arraycopy(bytes, at, into, offset, n);
            at += n;
            return n;
        }
    }

    @Test
    void theDaemonsWordsAreOneLineEach() {
        ByteArrayOutputStream toKeeper = new ByteArrayOutputStream();
        KeeperLine line = line("", toKeeper);
        line.hold("out:7:123", 31);
        line.ready();
        line.release("out:7:123");
        line.bye();
        assertEquals("hold out:7:123 31\nready\nrelease out:7:123\nbye\n", toKeeper.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUpdateNamesTheScriptAndTheCommandEachWordEncoded() {
        ByteArrayOutputStream toKeeper = new ByteArrayOutputStream();
        KeeperLine line = line("", toKeeper);
        line.upgrade("/home/me/my jpm/keeper.pl", List.of("/usr/bin/java", "-Xmx256m", "-cp", "/opt/jpm é.jar"), false);
        assertEquals(
                "upgrade /home/me/my%20jpm/keeper.pl /usr/bin/java -Xmx256m -cp /opt/jpm%20%C3%A9.jar\n",
                toKeeper.toString(StandardCharsets.UTF_8));
    }
}
