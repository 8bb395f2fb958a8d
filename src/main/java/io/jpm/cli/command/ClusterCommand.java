package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.DaemonJvm;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code jpm cluster init}: writes JPM_HOME/cluster.secret (32 random bytes, hex, 0600) and
 * JPM_HOME/cluster.p12 (an EC key and a self-signed certificate, made by the JDK's keytool, its
 * password derived from the secret), never over a file that is already there. Every member's
 * JPM_HOME gets a copy of both (docs/CLUSTER.md). No daemon is involved. {@code jpm cluster forget
 * <node>}: a host that left (taken out of service) is no longer listed unreachable by any member.
 */
public final class ClusterCommand extends ParsedCommand {
    private static final long KEYTOOL_TIMEOUT_S = 60;

    public ClusterCommand() {
        super(Syntax.of("cluster")
                .operands("init | forget <node>", 1, 2)
                .summary(
                        "init: write the cluster secret and TLS key (cluster.secret, cluster.p12) to copy to every member;"
                                + " forget: stop listing a host that left")
                .note(
                        "init never overwrites them; the cluster section of jpm.json turns clustering on (docs/CLUSTER.md)")
                .note("forget <node>: every member drops a host that left (it is listed again if it comes back)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        String action = args.positionals.get(0);
        if (action.equals("forget")) {
            if (args.positionals.size() != 2) {
                throw CliException.usage("cluster forget: name the host that left (jpm cluster forget <node>)");
            }
            Json.Value reply;
            try {
                reply = session.request(Addresses.CMD_CLUSTER_FORGET, Map.of("node", args.positionals.get(1)));
            } catch (CliException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(Addresses.CMD_CLUSTER_FORGET)) {
                    throw new CliException(
                            JpmError.UNAVAILABLE,
                            "cluster forget: this daemon is not in a cluster"
                                    + " (jpm.json has no cluster section; docs/CLUSTER.md)");
                }
                throw e;
            }
            session.out.println("[jpm] " + reply.path("node").asText() + " forgotten: no member lists it any more");
            return 0;
        }
        if (!action.equals("init") || args.positionals.size() != 1) {
            throw CliException.usage("cluster: the actions are init and forget <node>, got '"
                    + String.join(" ", args.positionals) + "'");
        }
        PrivateFiles.makeHome(session.home);
        Path secretFile = session.home.clusterSecret();
        if (Files.exists(secretFile)) {
            session.out.println("[jpm] " + secretFile + " is already there: kept");
        } else {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            writePrivate(secretFile, HexFormat.of().formatHex(bytes) + "\n");
            session.out.println("[jpm] wrote " + secretFile);
        }
        Path keystore = session.home.clusterKeystore();
        if (Files.exists(keystore)) {
            session.out.println("[jpm] " + keystore + " is already there: kept");
        } else {
            makeKeystore(keystore, ClusterKeys.keystorePassword(secret(secretFile)));
            session.out.println("[jpm] wrote " + keystore + " (a key and certificate every member shares)");
        }
        session.out.println(
                "[jpm] copy both files to every member's JPM_HOME (mode 600), then give each jpm.json a cluster"
                        + " section (docs/CLUSTER.md)");
        return 0;
    }

    /** The secret there, or one line saying what is wrong with the file (readable by others, too short). */
    private static String secret(Path file) throws IOException {
        try {
            return ClusterKeys.readSecret(file);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /** keytool into a private temp file, then moved into place: no half-written keystore is ever seen. */
    private static void makeKeystore(Path keystore, String password) throws IOException {
        Path temp = keystore.resolveSibling(
                keystore.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Path keytool = Path.of(DaemonJvm.javaBinary()).resolveSibling("keytool");
        Files.deleteIfExists(temp); // keytool would open whatever is at that name (a link: where it points)
        List<String> command = List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "jpm-cluster",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=jpm cluster",
                "-validity",
                "3650",
                "-storetype",
                "PKCS12",
                "-keystore",
                temp.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new CliException(
                        JpmError.INTERNAL,
                        "keytool failed: " + output.lines().findFirst().orElse("no output"));
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, keystore, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(JpmError.INTERNAL, "interrupted while keytool ran");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        PrivateFiles.replace(file, text);
    }
}
