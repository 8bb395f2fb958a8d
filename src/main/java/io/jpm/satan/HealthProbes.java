package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.protocol.BlockingCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe and tells pass (a succeeded future) from fail (a failed one, whose message is the
 * reason). HTTP and TCP are async on Satan's event loop; exec starts on a worker, its exit is awaited
 * without a thread, and it is killed at its timeout. The HTTP and TCP clients are created on first use only.
 */
final class HealthProbes {
    private final Vertx vertx;
    private HttpClientAgent http;
    private NetClient tcp;

    HealthProbes(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * @param port the instance's PORT env, or null
     * @param cwd the app's folder, where an exec probe runs
     * @param env the app's environment, for an exec probe
     */
    Future<Void> probe(HealthCheck check, Integer port, String cwd, Map<String, String> env) {
        return switch (check.kind()) {
            case HTTP -> http(check, port);
            case TCP -> tcp(check, port);
            case EXEC -> exec(check, cwd, env);
        };
    }

    private Future<Void> http(HealthCheck check, Integer port) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setConnectTimeout(check.timeoutMs())
                .setIdleTimeout(check.timeoutMs());
        if (check.target().startsWith("/")) {
            if (port == null) {
                return Future.failedFuture(
                        "the instance has no PORT in its environment to probe " + check.target() + " on");
            }
            options.setHost("127.0.0.1").setPort(port).setURI(check.target());
        } else {
            options.setAbsoluteURI(check.target());
        }
        if (http == null) {
            http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        }
        return http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.end().map(v -> response.statusCode()))
                .transform(ar -> {
                    if (ar.failed()) {
                        return Future.failedFuture(failure(ar.cause(), check.timeoutMs()));
                    }
                    int status = ar.result();
                    return status >= 200 && status < 400
                            ? Future.succeededFuture()
                            : Future.failedFuture("answered HTTP " + status);
                });
    }

    private Future<Void> tcp(HealthCheck check, Integer port) {
        String host = "127.0.0.1";
        int target;
        if ("PORT".equals(check.target())) {
            if (port == null) {
                return Future.failedFuture("the instance has no PORT in its environment to connect to");
            }
            target = port;
        } else {
            int colon = check.target().lastIndexOf(':');
            if (colon > 0) {
                host = check.target().substring(0, colon);
            }
            target = Integer.parseInt(check.target().substring(colon + 1));
        }
        if (tcp == null) {
            tcp = vertx.createNetClient(
                    new NetClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, check.timeoutMs())));
        }
        return tcp.connect(target, host)
                .transform(ar -> ar.succeeded()
                        ? ar.result().close()
                        : Future.failedFuture(failure(ar.cause(), check.timeoutMs())));
    }

    /**
     * Starts the command on a worker, then waits for its exit without holding a thread (the JDK's
     * process reaper tells it): a probe's timeout can be long, and a task holding a Vert.x thread that
     * long would be a hang (daemon.HangWatch). At the timeout its tree is killed, off the event loop.
     */
    private Future<Void> exec(HealthCheck check, String cwd, Map<String, String> env) {
        Context context = vertx.getOrCreateContext();
        return vertx.executeBlocking(() -> start(check, cwd, env), false)
                .transform(started -> started.succeeded()
                        ? verdict(started.result(), check.timeoutMs(), context)
                        : Future.failedFuture("cannot run: " + started.cause().getMessage()));
    }

    /** Passes on exit 0, fails on another code, or at the timeout once its tree is killed. */
    private Future<Void> verdict(Process process, long timeoutMs, Context context) {
        Promise<Void> verdict = Promise.promise();
        boolean[] timedOut = {false}; // on this context only
        long timer = vertx.setTimer(timeoutMs, t -> {
            timedOut[0] = true;
            vertx.executeBlocking(() -> kill(process), false)
                    .onComplete(killed -> verdict.tryFail("timed out after " + timeoutMs + " ms (killed)"));
        });
        process.onExit()
                .thenAccept(ended -> context.runOnContext(v -> {
                    vertx.cancelTimer(timer);
                    if (timedOut[0]) {
                        return; // the kill's verdict
                    }
                    if (ended.exitValue() == 0) {
                        verdict.tryComplete();
                    } else {
                        verdict.tryFail("exited with code " + ended.exitValue());
                    }
                }));
        return verdict.future();
    }

    private static Process start(HealthCheck check, String cwd, Map<String, String> env) throws IOException {
        BlockingCall.check("a health check command");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", check.target())
                .directory(new File(cwd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The command and what it started (read from /proc: a worker's job). */
    private static Void kill(Process process) {
        BlockingCall.check("a health check command's kill");
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return null;
    }

    private static String failure(Throwable cause, long timeoutMs) {
        String text = String.valueOf(cause.getMessage());
        if (cause instanceof TimeoutException || text.contains("timeout") || text.contains("timed out")) {
            return "timed out after " + timeoutMs + " ms";
        }
        return text;
    }

    void close() {
        if (http != null) {
            http.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
