package io.jpm.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 description of this server's routes, one resource
 * file written by hand. The route declarations hold a path and a method and nothing else (no
 * bodies, answers, tokens or words), so the document is not generated from them; OpenApiRoutesTest
 * holds the two together (a route missing from the document fails the build). It needs no token: it
 * says what docs/API.md says and holds nothing of the daemon's (docs/SECURITY.md).
 */
final class ApiDescription {
    static final String RESOURCE = "io/jpm/web/openapi.json";

    private final Buffer document;

    private ApiDescription(Buffer document) {
        this.document = document;
    }

    /** Reads the document from the jar, off the event loop. */
    static Future<ApiDescription> load(Vertx vertx) {
        return vertx.executeBlocking(
                () -> {
                    try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IOException("the jar lacks " + RESOURCE);
                        }
                        return new ApiDescription(Buffer.buffer(in.readAllBytes()));
                    }
                },
                false);
    }

    void mount(Router router) {
        router.get("/api/openapi.json").handler(ctx -> {
            ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache");
            HttpReplies.end(ctx, document);
        });
    }
}
