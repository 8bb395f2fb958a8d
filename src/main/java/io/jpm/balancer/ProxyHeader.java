package io.jpm.balancer;

import io.netty.util.NetUtil;
import java.nio.ByteBuffer;

/**
 * The PROXY protocol v2 header (HAProxy's spec, section 2.2) that TCP mode sends to an instance
 * ahead of the client's bytes when the app has {@code proxy_protocol: true}: the instance learns
 * the client's address and port, and the address it connected to, instead of the balancer's
 * 127.0.0.1. Binary v2, not text v1: fixed size, no parsing of a line, and what HAProxy, nginx
 * ({@code listen ... proxy_protocol}), Go's and Python's PROXY libraries read. Pure: no Vert.x.
 */
final class ProxyHeader {
    /** The 12-byte signature every v2 header starts with. */
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2, command PROXY (the connection was relayed on behalf of a client). */
    private static final byte V2_PROXY = 0x21;
    /** Version 2, command LOCAL (no client address to tell). */
    private static final byte V2_LOCAL = 0x20;

    private static final byte TCP_OVER_IPV4 = 0x11;
    private static final byte TCP_OVER_IPV6 = 0x21;

    private ProxyHeader() {}

    /**
     * The header for a client at {@code source} that connected to {@code destination} (textual IP
     * addresses). Mixed families are sent as IPv6 (an IPv4 address mapped, ::ffff:a.b.c.d); an
     * address that is not an IP (a Unix socket) gives a LOCAL header, which tells the instance to use
     * the connection's own addresses.
     */
    static byte[] v2(String source, int sourcePort, String destination, int destinationPort) {
        byte[] src = source == null ? null : NetUtil.createByteArrayFromIpAddressString(source);
        byte[] dst = destination == null ? null : NetUtil.createByteArrayFromIpAddressString(destination);
        if (src == null || dst == null) {
            ByteBuffer local = ByteBuffer.allocate(16);
            local.put(SIGNATURE).put(V2_LOCAL).put((byte) 0).putShort((short) 0);
            return local.array();
        }
        if (src.length != dst.length) {
            src = mapped(src);
            dst = mapped(dst);
        }
        boolean v4 = src.length == 4;
        int addresses = v4 ? 12 : 36; // two addresses and two ports
        ByteBuffer header = ByteBuffer.allocate(16 + addresses);
        header.put(SIGNATURE)
                .put(V2_PROXY)
                .put(v4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6)
                .putShort((short) addresses)
                .put(src)
                .put(dst)
                .putShort((short) sourcePort)
                .putShort((short) destinationPort);
        return header.array();
    }

    /** An IPv4 address as IPv6 (::ffff:a.b.c.d); an IPv6 one as is. */
    private static byte[] mapped(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(address, 0, v6, 12, 4);
        return v6;
    }
}
