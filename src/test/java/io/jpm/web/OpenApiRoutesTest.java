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
import java.util.Map;
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
     * The prefix routes that answer no request of their own, and why. OpenAPI has no wildcard path:
     * a new prefix route (a sub-router, a SockJS bridge) must have its paths described and be added
     * here, or this test fails.
     */
    private static final Map<String, String> PREFIX_ROUTES = Map.of(
            "POST /api/",
            "the token check and the body reader in front of every POST",
            "ANY /eventbus/",
            "the SockJS event-bus bridge: /eventbus/info described, its transports are SockJS's");

    /** The SockJS bridge's prefix: the paths described under it are answered by that prefix route. */
    private static final String SOCKJS_PREFIX = "/eventbus/";

    /**
     * "METHOD /path" for each route that answers a path of its own, vertx-web's {@code :param}
     * written as OpenAPI's {@code {param}}. Routes without a path (the failure handler, the
     * unknown-route answer) answer no request of their own, nor do the {@link #PREFIX_ROUTES}.
     */
    static Set<String> served(List<Route> routes) {
        Set<String> served = new TreeSet<>();
        for (Route route : routes) {
            if (route.getPath() == null) {
                continue;
            }
            if (!route.isExactPath()) {
                Set<HttpMethod> methods = route.methods() == null ? Set.of() : route.methods();
                for (String method : methods.isEmpty()
                        ? List.of("ANY")
                        : methods.stream().map(HttpMethod::name).toList()) {
                    String prefix = method + " " + route.getPath();
                    assertTrue(
                            PREFIX_ROUTES.containsKey(prefix),
                            "a prefix route " + prefix + "*: describe its paths in " + ApiDescription.RESOURCE
                                    + " and list it in OpenApiRoutesTest.PREFIX_ROUTES");
                }
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
        // what a prefix route answers itself (SockJS's info under /eventbus/): OpenApiIT asks a real daemon
        extra.removeIf(route -> route.split(" ", 2)[1].startsWith(SOCKJS_PREFIX));
        assertEquals(
                List.of(),
                new ArrayList<>(missing),
                "routes the server has that src/main/resources/" + ApiDescription.RESOURCE + " does not describe");
        assertEquals(List.of(), new ArrayList<>(extra), "described routes the server does not have");
        assertTrue(served.contains("GET /api/openapi.json"), served.toString());
    }
}
