package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.Pem;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * TLS for one of the daemon's doors, the bridge or the HTTP server (docs/SECURITY.md, "TLS at the
 * doors"): the options {@code tls_key} and {@code tls_cert} of its jpm.json section (PEM files, as
 * the cluster's {@code key} and {@code cert}), the bridge's {@code tls_ca} (what the CLI verifies
 * the bridge's certificate against; the certificate itself when absent), and the rule that a door
 * bound off loopback speaks TLS unless {@code insecure_no_tls} says a TLS terminator of the
 * user's own stands in front of it. Paths are relative to JPM_HOME, as the cluster's.
 *
 * @param key the PEM private key, or null: no TLS
 * @param cert the PEM certificate (chain) shown to clients, or null
 * @param ca the PEM CA certificate(s) clients verify against, or null: the certificate itself, pinned
 * @param insecureNoTls true: the door may listen off loopback in plain text
 */
public record DoorTls(String key, String cert, String ca, boolean insecureNoTls) {
    public static final DoorTls NONE = new DoorTls(null, null, null, false);
    /** The options a door's section may hold; {@code tls_ca} only the bridge's (the CLI is its client). */
    public static final List<String> OPTIONS = List.of("tls_key", "tls_cert", "insecure_no_tls");

    public static final String CA = "tls_ca";

    /** Whether the door speaks TLS. */
    public boolean on() {
        return key != null;
    }

    /**
     * Checks the TLS options of {@code door}'s section (types, key and cert together, ca only with
     * them), naming the file and the option.
     */
    static void check(String where, String door, JsonObject section) {
        for (String option : List.of("tls_key", "tls_cert", CA)) {
            Object value = section.getValue(option);
            if (value != null && !(value instanceof String s && !s.isBlank())) {
                throw invalid(
                        where + ": " + door + ": option '" + option + "' must be the path of a PEM file, got " + value);
            }
        }
        if (section.containsKey("insecure_no_tls") && !(section.getValue("insecure_no_tls") instanceof Boolean)) {
            throw invalid(where + ": " + door + ": option 'insecure_no_tls' must be true or false, got "
                    + section.getValue("insecure_no_tls"));
        }
        if (section.containsKey("tls_key") != section.containsKey("tls_cert")) {
            String missing = section.containsKey("tls_key") ? "tls_cert" : "tls_key";
            throw invalid(where + ": " + door + ": option '" + missing
                    + "' is missing (tls_key and tls_cert go together: the door's TLS)");
        }
        if (section.containsKey(CA) && !section.containsKey("tls_cert")) {
            throw invalid(
                    where + ": " + door
                            + ": option 'tls_ca' needs tls_key and tls_cert (it is what clients verify the door's certificate against)");
        }
    }

    /** The TLS options of an already checked section (or none). */
    static DoorTls from(JsonObject section) {
        if (section == null) {
            return NONE;
        }
        return new DoorTls(
                section.getString("tls_key"),
                section.getString("tls_cert"),
                section.getString(CA),
                section.getBoolean("insecure_no_tls", false));
    }

    /**
     * Why {@code door} may not listen on {@code host} as configured, in one line naming the settings;
     * null when it may: on loopback, with TLS, or with {@code insecure_no_tls}.
     */
    public String refusal(String door, String host) {
        if (on() || insecureNoTls || isLoopback(host)) {
            return null;
        }
        return door + ": refusing to listen on " + host + " (not loopback) in plain text: set " + door + ".tls_key and "
                + door + ".tls_cert in jpm.json, or " + door
                + ".insecure_no_tls true when a TLS terminator of your own stands in front";
    }

    /** Whether {@code host} is a loopback address (a name is looked up as the bind would). */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * These options with each file checked as the TLS engine will read it and its path made
     * absolute from {@code home}, so a bad one is refused in one line naming the option rather than
     * failing deep in the TLS engine.
     */
    public DoorTls resolved(Path home, String door) {
        if (!on()) {
            return this;
        }
        Path keyFile = readable(home, door, "tls_key", key);
        try {
            if (!Files.readString(keyFile).contains("PRIVATE KEY-----")) {
                throw invalid(door + ": option 'tls_key': " + keyFile
                        + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
            }
        } catch (IOException e) {
            throw invalid(door + ": option 'tls_key': cannot read " + keyFile + ": " + e.getMessage());
        }
        Path certFile = certificates(home, door, "tls_cert", cert);
        Path caFile = ca == null ? null : certificates(home, door, CA, ca);
        return new DoorTls(
                keyFile.toString(), certFile.toString(), caFile == null ? null : caFile.toString(), insecureNoTls);
    }

    /** What a door's verticle is given ({@code io.jpm.verticle.ServerTls} reads it): the key and cert, or nothing. */
    public JsonObject toConfig() {
        return on() ? new JsonObject().put("key", key).put("cert", cert) : null;
    }

    /** What clients trust: the CA file when given, else the certificate file itself. */
    public String trustFile() {
        return ca != null ? ca : cert;
    }

    /**
     * What daemon.json tells the CLI (docs/PROTOCOL.md, daemon.json): the certificates it trusts, as
     * PEM text, and whether it checks the bridge's host name. Without {@code tls_ca} that is the
     * door's own certificate, pinned (the first of the cert file: the door's own, not its chain's
     * CAs), with no name check, since nothing else can match it; with {@code tls_ca}, the CA's
     * certificates, and the name the CLI connects to must be in the door's certificate, as HTTPS
     * checks it. Null when the door speaks plain text. Call on {@link #resolved} options.
     */
    public JsonObject clientTrust() {
        if (!on()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(trustFile()))) {
            List<? extends Certificate> all =
                    List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            StringBuilder pem = new StringBuilder();
            for (Certificate c : ca == null ? all.subList(0, 1) : all) {
                pem.append(Pem.of("CERTIFICATE", c.getEncoded()));
            }
            return new JsonObject().put("certificates", pem.toString()).put("checkHostName", ca != null);
        } catch (IOException | CertificateException e) {
            throw invalid("bridge: option '" + (ca == null ? "tls_cert" : CA) + "': cannot read " + trustFile() + ": "
                    + e.getMessage());
        }
    }

    private static Path readable(Path home, String door, String option, String path) {
        Path file = home.resolve(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw invalid(door + ": option '" + option + "': no readable file " + file);
        }
        return file;
    }

    /** A file of one or more PEM certificates. */
    private static Path certificates(Path home, String door, String option, String path) {
        Path file = readable(home, door, option, path);
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw invalid(door + ": option '" + option + "': " + file + " holds no certificate");
            }
        } catch (CertificateException | IOException e) {
            throw invalid(
                    door + ": option '" + option + "': " + file + " is not a PEM certificate (" + e.getMessage() + ")");
        }
        return file;
    }

    private static JpmException invalid(String message) {
        return new JpmException(JpmError.INVALID_CONFIG, message);
    }
}
