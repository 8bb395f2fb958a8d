package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Ports;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback address, for the deploy tests: Debian's /usr/sbin/sshd in
 * the foreground ({@code -D -e}) with its own config, host key and authorized keys in a temporary
 * folder, no PAM, no system service. The whole 127/8 is loopback on Linux, so each "host" is its
 * own address on one port, as the port of a deploy environment is shared by its hosts. A host may
 * see another folder at a path ({@code unshare -m} and a bind mount), so two hosts deploying to
 * the same path behave as two machines.
 */
final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    /** How one sshd is made. */
    record Spec(
            String address, Path authorizedKeys, Map<String, String> sessionEnv, Path bindSource, Path bindTarget) {}

    final String address;
    final int port;
    private final Process process;
    private final Path log;

    private Sshd(String address, int port, Process process, Path log) {
        this.address = address;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts one sshd per spec, all on one free port; tries another port when one was taken meanwhile. */
    static List<Sshd> startAll(Path dir, List<Spec> specs) throws IOException {
        if (!Files.isExecutable(SSHD)) {
            fail(SSHD + " is missing: install openssh-server (.ci/run does)");
        }
        // sshd refuses to start without its privilege separation folder
        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = dir.resolve("host_key");
        if (!Files.exists(hostKey)) {
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        }
        for (int attempt = 1; ; attempt++) {
            int port = freePort(specs);
            List<Sshd> started = new ArrayList<>();
            boolean allUp = true;
            for (Spec spec : specs) {
                Sshd sshd = start(dir, hostKey, spec, port);
                started.add(sshd);
                if (!sshd.awaitListening()) {
                    allUp = false;
                    break;
                }
            }
            if (allUp) {
                return started;
            }
            String why = started.get(started.size() - 1).logText();
            started.forEach(Sshd::close);
            if (attempt == 5) {
                fail("sshd did not start on " + specs.get(started.size() - 1).address() + ": " + why);
            }
        }
    }

    private static Sshd start(Path dir, Path hostKey, Spec spec, int port) throws IOException {
        Path config = dir.resolve("sshd_config-" + spec.address());
        StringBuilder text = new StringBuilder()
                .append("Port ")
                .append(port)
                .append('\n')
                .append("ListenAddress ")
                .append(spec.address())
                .append('\n')
                .append("HostKey ")
                .append(hostKey)
                .append('\n')
                .append("AuthorizedKeysFile ")
                .append(spec.authorizedKeys())
                .append('\n')
                .append("PidFile none\n")
                .append("PermitRootLogin prohibit-password\n")
                .append("PasswordAuthentication no\n")
                .append("KbdInteractiveAuthentication no\n")
                .append("UsePAM no\n")
                // the temporary folders are not laid out for sshd's ownership checks
                .append("StrictModes no\n")
                .append("PrintMotd no\n");
        if (!spec.sessionEnv().isEmpty()) {
            text.append("SetEnv");
            spec.sessionEnv()
                    .forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
            text.append('\n');
        }
        Files.writeString(config, text.toString());
        Path log = dir.resolve("sshd-" + spec.address() + ".log");
        Files.deleteIfExists(log);
        String sshd = SSHD + " -D -e -f " + config;
        List<String> command = spec.bindTarget() == null
                ? List.of(SSHD.toString(), "-D", "-e", "-f", config.toString())
                // a mount namespace of its own: this host sees bindSource at bindTarget; exec keeps one process
                : List.of(
                        "unshare",
                        "-m",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount --bind '" + spec.bindSource() + "' '" + spec.bindTarget() + "' && exec " + sshd);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new Sshd(spec.address(), port, process, log);
    }

    /** sshd -e says "Server listening on <address> port <port>." once it accepts; false when it exited instead. */
    private boolean awaitListening() {
        return Jpm.await("sshd on " + address + " to listen or exit", Duration.ofSeconds(20), () -> {
            if (logText().contains("Server listening on")) {
                return true;
            }
            return process.isAlive() ? null : false;
        });
    }

    String logText() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A port free on every address, as far as can be known before sshd binds it. */
    private static int freePort(List<Spec> specs) {
        while (true) {
            int port = Ports.free();
            if (specs.stream().allMatch(s -> Ports.bindable(s.address(), port))) {
                return port;
            }
        }
    }

    static void run(Path dir, String... command) throws IOException {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Stops sshd (its sessions have ended with their connections) and waits until it is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
