package io.jpm.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /ui}: the dashboard, a few static files in the jar (io/jpm/web/ui), no build step and
 * nothing loaded from elsewhere (the Content-Security-Policy says so to the browser). Served
 * without a token: they hold no data; the page asks for one and sends it with each API call.
 * Read into memory once when the server starts (~150 KB, 51 KB of it uPlot, the charts' library,
 * vendored unmodified with its MIT licence), rather than through StaticHandler, which would copy
 * classpath files into a cache folder on disk.
 */
final class Dashboard {
    private static final String ROOT = "io/jpm/web/ui/";
    /** Every file of the page; a new script is added here and in index.html. */
    private static final List<String> FILES = List.of(
            "index.html",
            "style.css",
            "app.js",
            "states.js",
            "table.js",
            "fleet.js",
            "logs.js",
            "history.js",
            "hosts.js",
            "alerts.js",
            "actions.js",
            "uPlot.iife.min.js",
            "uPlot.min.css",
            "uPlot-LICENSE.txt");

    private static final Map<String, String> TYPES = Map.of(
            "txt", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private final Map<String, Buffer> files = new HashMap<>();

    static Future<Dashboard> load(Vertx vertx) {
        return vertx.executeBlocking(
                () -> {
                    Dashboard dashboard = new Dashboard();
                    for (String name : FILES) {
                        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ROOT + name)) {
                            if (in == null) {
                                throw new IOException("the jar lacks " + ROOT + name);
                            }
                            dashboard.files.put(name, Buffer.buffer(in.readAllBytes()));
                        }
                    }
                    return dashboard;
                },
                false);
    }

    void mount(Router router) {
        // vertx-web matches /ui and /ui/ alike: the page's relative links need the slash
        router.get("/ui").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                serve(ctx, "index.html");
            } else {
                ctx.redirect("/ui/");
            }
        });
        router.get("/ui/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(RoutingContext ctx, String name) {
        Buffer file = files.get(name);
        if (file == null) {
            ctx.next(); // the unknown-route answer
            return;
        }
        ctx.response()
                .putHeader("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
                .putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-cache");
        HttpReplies.end(ctx, file);
    }
}
