package io.jpm.web;

import io.jpm.config.DoorLimits;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.AcceptLimit;
import io.jpm.verticle.ConnectionCap;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.ServerTls;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The HTTP door: the JSON API, live events, the SockJS event-bus bridge ({@link EventBusDoor}), the
 * dashboard and the Prometheus scrape, on one port
 * (loopback by default). Deployed by {@link WebSwitch} only while jpm.json's {@code web.enabled}
 * is true, so an idle daemon with the door off loads none of vertx-web.
 *
 * <p>Config: {@code {"host","port","open_metrics","limits","token","readOnlyToken","host_name","tls"}} (tls: {@link ServerTls}); the
 * port actually bound is in {@link #port()} once started.
 */
public final class WebServerVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.web");

    private HttpServer server;
    private Router router;
    private EventStreams streams;
    private LoopLag lag;
    private volatile int port;

    public int port() {
        return port;
    }

    /** The routes this server answers, once started (OpenApiRoutesTest holds the API description to them). */
    Router router() {
        return router;
    }

    @Override
    public Future<?> start() {
        JsonObject c = config();
        DoorLimits limits = DoorLimits.from(c.getJsonObject("limits"));
        ConnectionCap<HttpConnection> cap =
                new ConnectionCap<>(limits.maxConnections(), ConnectionCap.afterReads(vertx));
        RefusalLog refusals = new RefusalLog(LOG, "web");
        TokenGuard tokens = new TokenGuard(c.getString("token"), c.getString("readOnlyToken"));
        EventTickets tickets = new EventTickets(System::currentTimeMillis);
        HttpTokenRules doorman = new HttpTokenRules(tokens, cap::authenticated, refusals, tickets);
        BusCall bus = new BusCall(vertx);
        Router router = Router.router(vertx);
        this.router = router;
        Pm2WebView pm2 = new Pm2WebView(vertx, bus);
        HeadRequests.mount(router);
        router.get("/").handler(doorman.sends(Addresses.QUERY_LIST)).handler(pm2::serve);
        ApiRoutes api = new ApiRoutes(bus, doorman);
        api.mount(router);
        streams = new EventStreams(vertx);
        streams.mount(router, doorman, tickets);
        new LogRoutes(vertx, api, doorman, streams).mount(router);
        new EventBusDoor(vertx, tokens, limits, refusals, cap, streams).mount(router);
        lag = new LoopLag(vertx);
        new MetricsRoute(vertx, bus, lag).mount(router, doorman, c.getBoolean("open_metrics", false));
        router.route().failureHandler(WebServerVerticle::failed);
        String host = c.getString("host", "127.0.0.1");
        int wanted = c.getInteger("port", 9615);
        Future<Dashboard> dashboard = Dashboard.load(vertx);
        Future<ApiDescription> description = ApiDescription.load(vertx);
        return Future.all(dashboard, description)
                .compose(loaded -> {
                    description.result().mount(router);
                    dashboard.result().mount(router);
                    router.route()
                            .last()
                            .handler(ctx -> HttpReplies.fail(
                                    ctx,
                                    JpmError.UNKNOWN_TARGET,
                                    "unknown route " + ctx.request().method() + " "
                                            + ctx.request().path() + " (see docs/API.md)"));
                    return vertx.createHttpServer(serverOptions(c, host, wanted, limits))
                            .connectionHandler(connection -> admit(cap, connection, limits, refusals))
                            .requestHandler(router)
                            .listen();
                })
                .map(s -> {
                    server = s;
                    AcceptLimit.apply(s, limits.maxConnections() + AcceptLimit.SLACK, "web");
                    port = s.actualPort();
                    LOG.info(() ->
                            "web: HTTP server on " + (ServerTls.on(c) ? "https://" : "http://") + host + ":" + port);
                    return s;
                })
                .recover(e -> Future.failedFuture("cannot listen on " + host + ":" + wanted + ": " + e.getMessage()));
    }

    /** A route that failed: a body too large, a method the route does not take, or a fault of ours. */
    private static void failed(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            HttpReplies.fail(ctx, JpmError.INVALID_ARGUMENT, "malformed body: larger than 4 MiB");
        } else if (status == 405) {
            HttpReplies.fail(
                    ctx,
                    JpmError.UNKNOWN_TARGET,
                    "unknown route " + ctx.request().method() + " "
                            + ctx.request().path());
        } else {
            LOG.warning(
                    () -> "web: " + ctx.request().method() + " " + ctx.request().path() + " failed: " + ctx.failure());
            HttpReplies.fail(
                    ctx,
                    JpmError.INTERNAL,
                    "internal error: " + (ctx.failure() == null ? "status " + status : ctx.failure()));
        }
    }

    /**
     * HTTPS when jpm.json's web section has a key and cert (WebSwitch checked them). The event streams'
     * keepalive (every 15 s) keeps a subscriber's connection from looking idle; no h2c: with it the
     * server waits for a connection's first bytes before it counts the connection, so one that sends
     * nothing would escape the cap.
     */
    private static HttpServerOptions serverOptions(JsonObject c, String host, int wanted, DoorLimits limits) {
        return ServerTls.apply(new HttpServerOptions().setHost(host).setPort(wanted), c)
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) limits.idleTimeoutMs())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Counts a connection against the cap: the oldest without a valid token makes room, or it is closed. */
    private static void admit(
            ConnectionCap<HttpConnection> cap, HttpConnection connection, DoorLimits limits, RefusalLog refusals) {
        if (!cap.admit(connection, connection::close)) {
            refusals.refused(() -> "web: refused a connection from " + connection.remoteAddress() + ": "
                    + limits.maxConnections() + " authenticated connections are open (jpm.json web.max_connections)");
            connection.close();
            return;
        }
        connection.closeHandler(v -> cap.closed(connection));
    }

    @Override
    public Future<?> stop() {
        if (streams != null) {
            streams.closeAll();
        }
        if (lag != null) {
            lag.stop();
        }
        return server == null ? Future.succeededFuture() : server.close();
    }
}
