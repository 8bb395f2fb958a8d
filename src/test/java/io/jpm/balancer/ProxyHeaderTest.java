package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The PROXY v2 bytes, against the layout of HAProxy's proxy-protocol.txt, section 2.2. */
class ProxyHeaderTest {
    @Test
    void anIpv4ClientIsSentAsTcpOverIpv4() {
        byte[] header = ProxyHeader.v2("192.0.2.7", 51234, "127.0.0.1", 8080);
        assertEquals(16 + 12, header.length);
        assertArrayEquals(ProxyHeader.SIGNATURE, Arrays.copyOf(header, 12));
        ByteBuffer b = ByteBuffer.wrap(header, 12, header.length - 12);
        assertEquals(0x21, b.get()); // version 2, PROXY
        assertEquals(0x11, b.get()); // AF_INET, STREAM
        assertEquals(12, b.getShort());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, next(b, 4));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, next(b, 4));
        assertEquals(51234, Short.toUnsignedInt(b.getShort()));
        assertEquals(8080, Short.toUnsignedInt(b.getShort()));
    }

    @Test
    void ipv6AndMixedFamiliesAreSentAsTcpOverIpv6() {
        byte[] header = ProxyHeader.v2("::1", 40000, "::1", 443);
        assertEquals(16 + 36, header.length);
        assertEquals(0x21, header[13]);
        byte[] mixed = ProxyHeader.v2("10.1.2.3", 40000, "::1", 443);
        ByteBuffer b = ByteBuffer.wrap(mixed, 16, 16);
        byte[] mapped = next(b, 16);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3}, mapped);
    }

    @Test
    void noIpAddressGivesALocalHeader() {
        byte[] header = ProxyHeader.v2(null, 0, "127.0.0.1", 1);
        assertEquals(16, header.length);
        assertEquals(0x20, header[12]); // version 2, LOCAL
        assertEquals(0, header[14] | header[15]);
    }

    private static byte[] next(ByteBuffer b, int n) {
        byte[] bytes = new byte[n];
        b.get(bytes);
        return bytes;
    }
}
