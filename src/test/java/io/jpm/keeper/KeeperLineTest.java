package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        line.upgrade("/home/me/my jpm/keeper.pl", List.of("/usr/bin/java", "-Xmx256m", "-cp", "/opt/jpm é.jar"));
        assertEquals(
                "upgrade /home/me/my%20jpm/keeper.pl /usr/bin/java -Xmx256m -cp /opt/jpm%20%C3%A9.jar\n",
                toKeeper.toString(StandardCharsets.UTF_8));
    }
}
