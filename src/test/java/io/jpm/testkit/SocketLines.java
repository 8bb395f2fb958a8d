package io.jpm.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** One line read from a socket, a byte at a time (what a test's plain socket needs, no reader kept). */
public final class SocketLines {
    private SocketLines() {}

    /** The next line with its newline, or what came before the end; 10 s at most between bytes. */
    public static String readLine(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
