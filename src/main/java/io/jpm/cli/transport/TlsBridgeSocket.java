package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CLI's TLS connection to a bridge that speaks TLS (daemon.json's {@code bridgeTls}; jpm.json's
 * {@code bridge.tls_key}/{@code tls_cert}): the handshake trusts only the certificates it is
 * given, never the JDK's CAs, and checks the host name only when asked (a CA's certificates;
 * the door's own certificate pinned needs none). A failed check is a {@link CliException}, never
 * a fall back to plain text. Loaded only when the bridge speaks TLS: a plain {@code jpm ls} loads
 * none of the JDK's TLS classes.
 */
final class TlsBridgeSocket {
    /** A handshake that takes longer than this is abandoned (the socket's read timeout during it). */
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private TlsBridgeSocket() {}

    /**
     * A socket to {@code host:port} over TLS, handshake done.
     *
     * @param certificates PEM text of the certificates to trust
     * @param checkHostName whether the bridge's certificate must name {@code host}
     * @param source where the certificates come from, for the error line
     */
    static Socket connect(
            String host, int port, String certificates, boolean checkHostName, String source, int connectTimeoutMs)
            throws IOException {
        SSLContext context = contextTrusting(certificates, source);
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), connectTimeoutMs);
        } catch (IOException e) {
            plain.close(); // tried again (TcpConnect): no descriptor left per try
            throw e;
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        if (checkHostName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(parameters);
        try {
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            socket.startHandshake();
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException e) {
            // a reset or end of stream in the handshake is as much a failed check as a refused certificate
            socket.close();
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "the daemon's bridge at " + host + ":" + port + " failed the TLS check against " + source
                            + (checkHostName ? " (with its host name)" : "") + ": " + oneLine(e)
                            + "; not connecting (jpm never falls back to plain text)");
        }
    }

    private static SSLContext contextTrusting(String certificates, String source) {
        try {
            Collection<? extends Certificate> trusted = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificates.getBytes(StandardCharsets.US_ASCII)));
            if (trusted.isEmpty()) {
                throw new CliException(
                        JpmError.INVALID_CONFIG, source + " holds no PEM certificate to check the bridge's TLS with");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : trusted) {
                store.setCertificateEntry("jpm-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new CliException(JpmError.INVALID_CONFIG, source + ": cannot read its certificates: " + oneLine(e));
        }
    }

    /** The innermost cause's message on one line (the TLS engine wraps its reasons). */
    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
