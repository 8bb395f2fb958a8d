package io.jpm.balancer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * HTTP mode's lane on Vert.x's own HTTP layers ({@code JPM_HTTP_RELAY=0}): an HttpServer on the public
 * port whose requests {@link HttpForward} sends on through an HttpClient of this lane. Kept beside
 * {@link RelayLane} to compare the two in the same run (bench/http-proxy.sh).
 */
final class VertxHttpLane implements HttpFrontend.Lane {
    private final HttpServer server;
    private final HttpClient client;

    VertxHttpLane(Vertx vertx, BalancedApp app, HttpClient client) {
        this.client = client;
        // HTTP/1.1 only: no h2c upgrade by the frontend itself (an instance gets HTTP/1.1 either way,
        // and a client's "Upgrade: h2c" offer is simply not taken, as nginx does)
        this.server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(app.host)
                .setPort(app.port)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setHttp2ClearTextEnabled(false));
        server.requestHandler(new HttpForward(app, client));
    }

    @Override
    public Future<Integer> listen(int port, String host) {
        return server.listen(port, host).map(HttpServer::actualPort);
    }

    @Override
    public Future<Void> close() {
        return server.close().eventually(client::close);
    }

    /** Vert.x's server ends each connection after the answer in flight, an idle one at once. */
    @Override
    public Future<Void> leave(long graceMs) {
        return server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    }
}
