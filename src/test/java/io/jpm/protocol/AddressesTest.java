package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void aPerHostAddressNamesItsHostAndStandsForALocalOne() {
        String remote = Addresses.onHost("web-2", Addresses.EVENTS_LOG);
        assertEquals("jpm.host.web-2.events.log", remote);
        assertEquals("web-2", Addresses.hostOf(remote));
        assertEquals(Addresses.EVENTS_LOG, Addresses.localOf(remote));
        assertNull(Addresses.hostOf(Addresses.EVENTS_LOG));
        assertEquals(Addresses.EVENTS_LOG, Addresses.localOf(Addresses.EVENTS_LOG));
    }

    @Test
    void onlyCommandsChangeState() {
        assertTrue(Addresses.isCommand(Addresses.onHost("web-2", Addresses.CMD_STOP)));
        assertFalse(Addresses.isCommand(Addresses.onHost("web-2", Addresses.QUERY_LIST)));
        assertFalse(Addresses.isCommand(Addresses.onHost("web-2", Addresses.EVENTS_PROCESS)));
    }
}
