package io.jpm.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server on loopback that accepts every mail and keeps it (RFC 5321's commands a mailer
 * sends: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), for a test of a tool that mails; one thread
 * per connection, no TLS offered.
 */
final class SmtpSink implements AutoCloseable {
    /** Each mail's DATA: its headers and body. */
    final List<String> mails = new CopyOnWriteArrayList<>();

    private final ServerSocket server;

    SmtpSink() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "smtp-sink");
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> serve(socket), "smtp-sink-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = socket.getOutputStream();
            say(out, "220 localhost sink");
            for (String line; (line = in.readLine()) != null; ) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO", "HELO" -> say(out, "250 localhost");
                    case "DATA" -> {
                        say(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder mail = new StringBuilder();
                        for (String data; (data = in.readLine()) != null && !data.equals("."); ) {
                            mail.append(data).append('\n');
                        }
                        mails.add(mail.toString());
                        say(out, "250 kept");
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "250 ok");
                }
            }
        } catch (IOException e) {
            // the mailer went away
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
