package io.jpm.cluster;

import io.jpm.config.ClusterSettings;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.Pem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collections;

/**
 * The event bus's mutual TLS (docs/CLUSTER.md): each member shows a key and certificate and
 * accepts a peer only if the peer shows one it trusts. Either the members' shared
 * {@code cluster.p12} from {@code jpm cluster init} (its password derived from the secret, the
 * certificate its own trust), or the user's PEM files named by the cluster section's
 * {@code key}, {@code cert} and {@code ca}, each checked here so a bad one is refused in one line
 * naming the option rather than failing deep in the TLS engine.
 */
final class BusTls {
    private BusTls() {}

    /** Sets {@code bus} up for TLS with client authentication required. */
    static void apply(EventBusOptions bus, JpmHome home, ClusterSettings settings, String secret) throws IOException {
        BlockingCall.check("a read of the cluster's key and certificates");
        bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED);
        ClusterSettings.KeyFiles keys = settings.keys();
        if (keys == null) {
            if (!Files.isRegularFile(home.clusterKeystore())) {
                throw invalid("no " + home.clusterKeystore() + " (jpm cluster init makes it; copy it to every member)");
            }
            PemKeyCertOptions pem = inMemory(
                    home.clusterKeystore(), ClusterKeys.keystorePassword(secret).toCharArray());
            bus.setKeyCertOptions(pem).setTrustOptions(new PemTrustOptions().addCertValue(pem.getCertValue()));
            return;
        }
        Path key = readable(home, "key", keys.key());
        Path cert = certificates(home, "cert", keys.cert());
        Path ca = certificates(home, "ca", keys.ca());
        if (!Files.readString(key).contains("PRIVATE KEY-----")) {
            throw invalid("option 'key': " + key + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        bus.setKeyCertOptions(new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(cert.toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
    }

    /**
     * cluster.p12's key and certificate, unsealed once, as PEM in memory for every TLS context the
     * member makes (the bus's server and client, the fleet relay's three). Each context made from the
     * file read it again and unsealed it with PKCS#12's PBKDF2 (10,000 rounds of SHA-256 in a JVM
     * whose crypto code is still cold at the join): a JFR profile of a daemon joining alone found 52
     * of its 81 samples there; 7 of 30 with this and the one round of the in-memory keystores
     * (DaemonJvm). PEM, not a wrapped KeyManagerFactory: the bus copies its options through JSON,
     * where only the options of files and values survive.
     */
    private static PemKeyCertOptions inMemory(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(in, password);
            for (String alias : Collections.list(keystore.aliases())) {
                if (keystore.isKeyEntry(alias)) {
                    Key key = keystore.getKey(alias, password);
                    StringBuilder chain = new StringBuilder();
                    for (Certificate certificate : keystore.getCertificateChain(alias)) {
                        chain.append(Pem.of("CERTIFICATE", certificate.getEncoded()));
                    }
                    return new PemKeyCertOptions()
                            .setKeyValue(Buffer.buffer(Pem.of("PRIVATE KEY", key.getEncoded())))
                            .setCertValue(Buffer.buffer(chain.toString()));
                }
            }
            throw invalid(file + " holds no key (jpm cluster init makes one)");
        } catch (GeneralSecurityException | IOException e) {
            throw invalid(file + " cannot be read with the cluster secret's password (" + e.getMessage()
                    + "): cluster.secret and cluster.p12 must come from the same jpm cluster init");
        }
    }

    /** Which TLS the log line names. */
    static String describe(JpmHome home, ClusterSettings settings) {
        return settings.keys() == null
                ? home.clusterKeystore().getFileName().toString()
                : "key " + settings.keys().key() + ", cert " + settings.keys().cert() + ", ca "
                        + settings.keys().ca();
    }

    private static Path readable(JpmHome home, String option, String path) {
        Path file = home.root().resolve(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw invalid("option '" + option + "': no readable file " + file);
        }
        return file;
    }

    /** A file of one or more PEM certificates, read as the TLS engine will. */
    private static Path certificates(JpmHome home, String option, String path) throws IOException {
        Path file = readable(home, option, path);
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw invalid("option '" + option + "': " + file + " holds no certificate");
            }
        } catch (CertificateException e) {
            throw invalid("option '" + option + "': " + file + " is not a PEM certificate (" + e.getMessage() + ")");
        }
        return file;
    }

    private static JpmException invalid(String message) {
        return new JpmException(JpmError.INVALID_CONFIG, "cluster: " + message);
    }
}
