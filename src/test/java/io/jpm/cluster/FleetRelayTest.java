package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet relay's CONNECT line and the ready instances' entries, read as written. */
class FleetRelayTest {
    @Test
    void onlyAConnectToALoopbackPortIsAccepted() {
        assertEquals(41234, FleetRelay.connectPort("CONNECT 127.0.0.1:41234 HTTP/1.1\r\nHost: 127.0.0.1:41234"));
        assertEquals(-1, FleetRelay.connectPort("CONNECT 10.0.0.2:41234 HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort("GET / HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort("CONNECT 127.0.0.1:x HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort(""));
    }

    @Test
    void anEntryReadsBackAsWritten() {
        FleetReady ready = new FleetReady(
                "10.0.0.2:5703",
                List.of(new FleetReady.Instance(0, 4242, 41234), new FleetReady.Instance(1, 4243, 41235)));
        assertEquals(ready, FleetReady.parse(ready.encode()));
        assertEquals(
                "{\"relay\":\"10.0.0.2:5703\",\"instances\":[{\"pm_id\":0,\"pid\":4242,\"port\":41234},"
                        + "{\"pm_id\":1,\"pid\":4243,\"port\":41235}]}",
                ready.encode());
    }
}
