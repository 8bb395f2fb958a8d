package io.jpm.deploy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs shell text on one host through the system's {@code ssh} (jpm implements no SSH), as
 * pm2-deploy does: one connection per step, the step's script as ssh's remote command, run by the
 * user's login shell in their home folder. Output streams live, prefixed with the host; a step that
 * asks for its stdout gets it back instead. The host {@code localhost} runs under
 * {@code bash -c} with no ssh, as in pm2-deploy.
 */
final class HostShell {
    /** ssh's exit status for its own failures (connection, host key, authentication), not the remote command's. */
    static final int SSH_FAILED = 255;
    /**
     * ssh asks nothing: hosts deploy in parallel with no terminal, where a password or host-key
     * prompt would interleave with the others' lines and wait forever. A host that cannot be
     * reached fails its step after this many seconds instead of TCP's minutes. The user's
     * ssh_options come first on the command line and ssh keeps the first value of an option, so
     * theirs win.
     */
    static final List<String> DEFAULT_OPTIONS = List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=15");

    /** What a step printed and how it ended. */
    record Result(int exit, List<String> stdout, String lastError) {}

    private final DeployEnvironment env;
    private final String host;
    private final HostOutput output;

    HostShell(DeployEnvironment env, String host, HostOutput output) {
        this.env = env;
        this.host = host;
        this.output = output;
    }

    String host() {
        return host;
    }

    HostOutput output() {
        return output;
    }

    /** The local command line that runs {@code script} on the host. */
    List<String> command(String script) {
        if (host.equals("localhost")) {
            return List.of("bash", "-c", script);
        }
        List<String> command = new ArrayList<>(List.of("ssh"));
        for (String option : env.sshOptions()) {
            command.add("-o");
            command.add(option);
        }
        command.addAll(DEFAULT_OPTIONS);
        if (env.forwardAgent()) {
            command.add("-A");
        }
        if (env.needsTty()) {
            command.add("-tt");
        }
        if (env.port() != null) {
            command.add("-p");
            command.add(env.port().toString());
        }
        if (env.key() != null) {
            command.add("-i");
            command.add(env.key());
        }
        // the host is never an option (-oProxyCommand=...), whatever checked it before
        command.add("--");
        command.add(env.user() == null ? host : env.user() + "@" + host);
        // one argument: ssh hands it to the remote shell verbatim
        command.add(script);
        return command;
    }

    /** Runs a step that must succeed; its stdout is returned, not printed, when {@code capture}. */
    Result ok(String step, String script, boolean capture) {
        Result result = run(step, script, capture, null);
        if (result.exit() != 0) {
            throw new StepFailed(step, failure(result));
        }
        return result;
    }

    /**
     * Runs {@code script} with {@code input} (or nothing) on its stdin. Only a local failure to start
     * ssh throws; how the script ended is in the result.
     */
    Result run(String step, String script, boolean capture, Path input) {
        ProcessBuilder builder = new ProcessBuilder(command(script))
                .redirectInput(
                        input == null
                                ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                                : ProcessBuilder.Redirect.from(input.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StepFailed(step, "cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
        AtomicReference<String> lastError = new AtomicReference<>("");
        Thread errors = new Thread(
                () -> pump(process.getErrorStream(), line -> {
                    output.line(line);
                    if (!line.isBlank()) {
                        lastError.set(line.strip());
                    }
                }),
                "deploy-" + host + "-stderr");
        errors.setDaemon(true);
        errors.start();
        List<String> stdout = new ArrayList<>();
        pump(process.getInputStream(), capture ? stdout::add : output::line);
        try {
            errors.join();
            return new Result(process.waitFor(), List.copyOf(stdout), lastError.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StepFailed(step, "interrupted");
        }
    }

    /** One line saying how a step failed: ssh's own message, or the command's exit and last error line. */
    String failure(Result result) {
        if (result.exit() == SSH_FAILED && !host.equals("localhost")) {
            String why = result.lastError().isEmpty() ? "exit 255" : result.lastError();
            return why.startsWith("ssh:") ? why : "ssh: " + why;
        }
        return "exit " + result.exit() + (result.lastError().isEmpty() ? "" : ": " + result.lastError());
    }

    private static void pump(InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                // a terminal asked for with needs_tty ends lines with \r\n
                sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        } catch (IOException e) {
            // the stream broke (the process was killed): its output ends here, its exit status says the rest
        }
    }
}
