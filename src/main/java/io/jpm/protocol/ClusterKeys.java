package io.jpm.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the daemon and {@code jpm cluster init} derive from the cluster secret (JPM_HOME/cluster.secret),
 * so nothing derived is stored: the name Hazelcast compares when a member joins (a daemon without
 * the secret presents another name and is not taken in), and the password of cluster.p12.
 */
public final class ClusterKeys {
    private ClusterKeys() {}

    /** The secret in {@code file}: its text, trimmed; fails when it is missing, empty or readable by others. */
    public static String readSecret(Path file) throws IOException {
        BlockingCall.check("a read of " + file);
        if (!Files.isRegularFile(file)) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    "no cluster secret at " + file + " (jpm cluster init makes one; copy it to every member)");
        }
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        if (!perms.endsWith("------")) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG, file + " is readable by others (" + perms + "): chmod 600 it");
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.length() < 32) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG, file + " holds fewer than 32 characters: not a cluster secret");
        }
        return secret;
    }

    /** The name members compare on join: the configured name under the secret. */
    public static String joinName(String secret, String clusterName) {
        return "jpm-" + hmac(secret, "jpm cluster name\n" + clusterName).substring(0, 40);
    }

    /** The password of cluster.p12. */
    public static String keystorePassword(String secret) {
        return hmac(secret, "jpm cluster keystore").substring(0, 40);
    }

    /**
     * The key (hex, 32 bytes) that seals the fleet apps' definitions in the cluster's map: Hazelcast's
     * traffic is not encrypted, and a definition carries an app's command and environment.
     */
    public static String fleetKey(String secret) {
        return hmac(secret, "jpm fleet definitions");
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from this JDK", e);
        }
    }
}
