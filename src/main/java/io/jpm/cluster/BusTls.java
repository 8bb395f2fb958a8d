package io.jpm.cluster;

import io.jpm.config.ClusterSettings;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

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
            PfxOptions keystore = new PfxOptions()
                    .setPath(home.clusterKeystore().toString())
                    .setPassword(ClusterKeys.keystorePassword(secret));
            bus.setKeyCertOptions(keystore).setTrustOptions(keystore);
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
