package io.jpm.cli.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A bridge connection over the daemon's Unix socket in JPM_HOME (the CLI's own door, outside the TCP
 * port's connection cap). A Unix channel has no SO_TIMEOUT, so reads wait on a selector with the
 * timeout the client sets, and fail with {@link SocketTimeoutException} as a TCP socket's would.
 */
final class UnixLink implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector reads;
    private final Selector writes;
    private volatile int timeoutMs;

    private UnixLink(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.reads = Selector.open();
        this.writes = Selector.open();
        channel.register(reads, SelectionKey.OP_READ);
        channel.register(writes, SelectionKey.OP_WRITE);
    }

    /**
     * Runs the JDK's one-time set-up of Unix channels on a thread of its own, while the command reads
     * daemon.json and the token: the first Unix channel of a JVM seeds a SecureRandom (for the
     * names of sockets bound without one: the security providers, ~15 ms here), the first poll loads
     * the network classes. A channel opened and polled here, connected to nothing, does both; the
     * command's own connect then finds them done, or waits for the class initialisation under way.
     */
    static void warmUp() {
        Thread thread = new Thread(new WarmUp(), "jpm-unix-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A class, not a lambda: the JVM's first lambda sets up java.lang.invoke (~5 ms), which the
     * command's thread would pay before this one could start; here it is paid on this thread, which
     * needs it anyway (the JDK's selector provider is found through a lambda).
     */
    private static final class WarmUp implements Runnable {
        @Override
        public void run() {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    Selector selector = Selector.open()) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
                selector.selectNow();
            } catch (IOException | RuntimeException e) {
                // the command's own connect meets the same problem and reports it
            }
        }
    }

    static UnixLink connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new UnixLink(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** 0: reads wait for ever. */
    void readTimeout(int ms) {
        timeoutMs = ms;
    }

    InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer into = ByteBuffer.wrap(bytes, offset, length);
                while (true) {
                    int n = channel.read(into);
                    if (n != 0 || length == 0) {
                        return n;
                    }
                    reads.selectedKeys().clear();
                    if (reads.select(timeoutMs) == 0 && timeoutMs > 0) {
                        throw new SocketTimeoutException("no answer within " + timeoutMs + " ms");
                    }
                }
            }
        };
    }

    OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer from = ByteBuffer.wrap(bytes, offset, length);
                while (from.hasRemaining()) {
                    if (channel.write(from) == 0) {
                        writes.selectedKeys().clear();
                        writes.select();
                    }
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        reads.close();
        writes.close();
        channel.close();
    }
}
