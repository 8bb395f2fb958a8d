package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API description and the server's routes are the same set: the HTTP server is started as the
 * daemon starts it, its router's routes (path and methods, vertx-web's {@code Router.getRoutes()})
 * read, and each must be in {@code /api/openapi.json}, and each documented one a route. A route added
 * without its description fails the build here; OpenApiIT asks a real daemon for each documented one.
 */
class OpenApiRoutesTest {
    private Vertx vertx;
    private WebServerVerticle server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = new WebServerVerticle();
        JsonObject config = new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("token", "admin-token")
                .put("readOnlyToken", "read-only-token");
        vertx.deployVerticle(server, new DeploymentOptions().setConfig(config))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * "METHOD /path" for each route that answers a path of its own, vertx-web's {@code :param}
     * written as OpenAPI's {@code {param}}. Routes without a path (the failure handler, the
     * unknown-route answer) and prefix routes ({@code /api/*}: the token check and body reader in
     * front of every POST) answer no request of their own.
     */
    static Set<String> served(List<Route> routes) {
        Set<String> served = new TreeSet<>();
        for (Route route : routes) {
            if (route.getPath() == null || !route.isExactPath()) {
                continue;
            }
            String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            assertTrue(route.methods() != null && !route.methods().isEmpty(), "a route for every method: " + path);
            for (HttpMethod method : route.methods()) {
                served.add(method.name() + " " + path);
            }
        }
        return served;
    }

    static Set<String> documented(JsonNode doc) {
        Set<String> documented = new TreeSet<>();
        doc.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
                            .contains(method)) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return documented;
    }

    @Test
    void everyRouteIsDescribedAndEveryDescribedRouteIsServed() throws Exception {
        Set<String> served = served(server.router().getRoutes());
        Set<String> documented = documented(OpenApiDocumentTest.document());
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(served);
        assertEquals(
                List.of(),
                new ArrayList<>(missing),
                "routes the server has that src/main/resources/" + ApiDescription.RESOURCE + " does not describe");
        assertEquals(List.of(), new ArrayList<>(extra), "described routes the server does not have");
        assertTrue(served.contains("GET /api/openapi.json"), served.toString());
    }
}
