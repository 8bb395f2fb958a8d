package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keys and certificates made at test time with openssl, in a
 * folder of their own: self-signed ones and ones a test CA signs, EC P-256, valid two days.
 */
final class TestCerts {
    final Path dir;

    TestCerts() throws IOException {
        dir = Files.createTempDirectory("jpm-it-tls-");
    }

    /** {@code name.key} and a self-signed {@code name.crt} for 127.0.0.1 (also a CA: it may sign others). */
    Path selfSigned(String name) throws IOException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt");
        return dir.resolve(name + ".crt");
    }

    /**
     * {@code name.key} and {@code name.crt} signed by {@code ca} (made by {@link #selfSigned}), naming
     * {@code san}; with no extension of ours when {@code san} is null.
     */
    Path signed(String name, String ca, String san) throws IOException {
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=" + name,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        List<String> sign = new ArrayList<>(List.of(
                "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial"));
        sign.addAll(List.of("-days", "2", "-out", name + ".crt"));
        if (san != null) {
            Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
            sign.addAll(List.of("-extfile", ext.toString()));
        }
        openssl(sign.toArray(String[]::new));
        return dir.resolve(name + ".crt");
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** A TLS context that trusts only the certificates in {@code pem}. */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("c" + n++, c);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
