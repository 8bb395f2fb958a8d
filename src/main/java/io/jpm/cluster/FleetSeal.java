package io.jpm.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet definitions as the cluster's map holds them: AES-256-GCM under a key derived from
 * cluster.secret ({@code ClusterKeys.fleetKey}), the app's name as associated data. Hazelcast's
 * own traffic is not encrypted and anyone who copies the join name can join it (docs/CLUSTER.md):
 * sealed, a definition (an app's command and environment) is neither read there nor forged, nor
 * moved to another name; a member runs only what opens under the secret.
 */
final class FleetSeal {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param hexKey the 32-byte key in hex */
    FleetSeal(String hexKey) {
        this.key = new SecretKeySpec(HexFormat.of().parseHex(hexKey), "AES");
    }

    /** {@code json} sealed for the entry {@code name}: base64 of the nonce and the ciphertext. */
    String seal(String name, String json) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM missing from this JDK", e);
        }
    }

    /** The JSON sealed for {@code name}; empty when it was not sealed under this secret for that name. */
    Optional<String> open(String name, String value) {
        try {
            byte[] in = Base64.getDecoder().decode(value);
            if (in.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] json = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return Optional.of(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
