package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.protocol.BlockingCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe and tells pass (a succeeded future) from fail (a failed one, whose message is the
 * reason). HTTP and TCP are async on Satan's event loop; exec runs on a worker and is killed at
 * its timeout. The HTTP and TCP clients are created on first use only.
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

    private Future<Void> exec(HealthCheck check, String cwd, Map<String, String> env) {
        return vertx.executeBlocking(
                        () -> {
                            BlockingCall.check("a health check command");
                            ProcessBuilder builder = new ProcessBuilder("sh", "-c", check.target())
                                    .directory(new File(cwd))
                                    .redirectErrorStream(true)
                                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                            builder.environment().putAll(env);
                            Process process = builder.start();
                            if (!process.waitFor(check.timeoutMs(), TimeUnit.MILLISECONDS)) {
                                process.descendants().forEach(ProcessHandle::destroyForcibly);
                                process.destroyForcibly();
                                throw new ProbeFailure("timed out after " + check.timeoutMs() + " ms (killed)");
                            }
                            if (process.exitValue() != 0) {
                                throw new ProbeFailure("exited with code " + process.exitValue());
                            }
                            return null;
                        },
                        false)
                .transform(ar -> ar.succeeded()
                        ? Future.succeededFuture()
                        : Future.failedFuture(
                                ar.cause() instanceof ProbeFailure
                                        ? ar.cause().getMessage()
                                        : "cannot run: " + ar.cause().getMessage()));
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

    /** A probe's own verdict, as opposed to an error running it. */
    private static final class ProbeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailure(String message) {
            super(message, null, false, false);
        }
    }
}
