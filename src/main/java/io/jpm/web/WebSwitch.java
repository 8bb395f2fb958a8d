package io.jpm.web;

import io.jpm.config.WebSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Turns the HTTP server on and off as jpm.json's {@code web} section says, at start and on every
 * applied edit (jpm web, jpm set web.port 9700): the server is deployed, replaced or undeployed
 * only when its section changed. It answers {@code jpm.query.web} with what it last applied. A
 * port that cannot be bound is an error in the daemon log and in that answer; the daemon runs on
 * without HTTP. This class loads nothing of vertx-web: an idle daemon with the door off pays for
 * this class only.
 *
 * <p>Like the bridge, a door: it holds no state of its own that a daemon started again after a crash
 * would need back; jpm.json's section says what it opens.
 */
public final class WebSwitch extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.web");

    private WebSettings applied = WebSettings.DEFAULTS;
    private String deployment;
    private int port;
    private String error;
    /** Edits apply one after the other: a redeploy finishes before the next one begins. */
    private Future<Void> last = Future.succeededFuture();

    @Override
    public Future<?> start() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            if (m.body() != null && m.body().containsKey("web")) {
                WebSettings next = WebSettings.from(m.body().getJsonObject("web"));
                last = last.transform(v -> apply(next));
            }
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_WEB, m -> m.reply(Reply.ok(state())));
        WebSettings atStart = WebSettings.from(config().getJsonObject("web"));
        if (atStart.enabled()) {
            last = apply(atStart);
        } else {
            // off, the usual start: nothing to undeploy or announce, and no record compared on the way to
            // the daemon's first answer (the JVM's first record equals builds its method handles: ~10 ms)
            applied = atStart;
        }
        return Future.succeededFuture();
    }

    private Future<Void> apply(WebSettings next) {
        if (next.equals(applied) && (deployment != null || !next.enabled())) {
            return Future.succeededFuture();
        }
        Future<Void> off = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
        return off.transform(v -> {
            deployment = null;
            port = 0;
            error = null;
            applied = next;
            announce();
            if (!next.enabled()) {
                LOG.info("web: HTTP server off");
                return Future.succeededFuture();
            }
            JsonObject tls;
            try {
                tls = tlsOf(next);
            } catch (JpmException e) {
                error = e.getMessage() + "; the daemon runs on without HTTP";
                LOG.severe(error);
                return Future.succeededFuture();
            }
            WebServerVerticle server = new WebServerVerticle();
            JsonObject serverConfig = new JsonObject()
                    .put("host", next.host())
                    .put("port", next.port())
                    .put("tls", tls)
                    .put("open_metrics", next.openMetrics())
                    .put("limits", next.limits().toJson())
                    .put("token", config().getString("token"))
                    .put("readOnlyToken", config().getString("readOnlyToken"))
                    .put("host_name", config().getString("host"));
            return vertx.deployVerticle(server, new DeploymentOptions().setConfig(serverConfig))
                    .onSuccess(id -> {
                        deployment = id;
                        port = server.port();
                        announce();
                    })
                    .onFailure(e -> {
                        error = e.getMessage() + "; the daemon runs on without HTTP";
                        LOG.severe("web: " + error);
                    })
                    .<Void>mapEmpty()
                    .otherwiseEmpty();
        });
    }

    /**
     * The server's TLS config, its files checked; refused (one line naming the settings) when the
     * door would listen off loopback in plain text.
     */
    private JsonObject tlsOf(WebSettings next) {
        String refusal = next.tls().refusal("web", next.host());
        if (refusal != null) {
            throw new JpmException(JpmError.INVALID_CONFIG, refusal);
        }
        return next.tls()
                .resolved(Path.of(config().getString("home", ".")), "web")
                .toConfig();
    }

    /** The daemon keeps daemon.json's httpPort true. */
    private void announce() {
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_DAEMON_HTTP,
                        new JsonObject().put("httpPort", deployment == null ? null : port),
                        LocalBus.only());
    }

    private JsonObject state() {
        Path home = Path.of(config().getString("home", "."));
        WebSettings shown = new WebSettings(
                applied.enabled(),
                applied.host(),
                port != 0 ? port : applied.port(),
                applied.openMetrics(),
                applied.tls(),
                applied.limits());
        return new JsonObject()
                .put("enabled", applied.enabled())
                .put("host", applied.host())
                .put("port", shown.port())
                .put("url", shown.url())
                .put("listening", deployment != null)
                .put("error", error)
                .put("open_metrics", applied.openMetrics())
                .put("tls", applied.tls().on())
                .put("token_file", home.resolve("token").toString())
                .put("readonly_token_file", home.resolve("token.readonly").toString());
    }
}
