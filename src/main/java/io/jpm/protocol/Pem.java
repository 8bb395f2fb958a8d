package io.jpm.protocol;

import java.util.Base64;

/** PEM text of DER bytes, as the TLS engines and the CLI read it: base64 in lines of 64. */
public final class Pem {
    private Pem() {}

    /** {@code -----BEGIN <type>-----}, the bytes, {@code -----END <type>-----}, each line ending in a newline. */
    public static String of(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
