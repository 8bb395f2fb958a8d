package io.jpm.web;

import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.SignalRequest;
import io.jpm.protocol.StartRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The REST API, each route a thin mapping onto a bus address with the protocol's records (the
 * request a CLI verb would send): docs/API.md lists them with curl examples. {@code :target} is
 * what the CLI takes (an id, a name, {@code all}, a namespace), URL-encoded.
 */
final class ApiRoutes {
    /** A start request carries an environment: the bridge's frame limit. */
    private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private static final List<String> TARGET_ACTIONS = List.of("stop", "restart", "reload", "delete", "reset");

    private final BusCall bus;
    private final HttpTokenRules doorman;
    private final EveryHost hosts;

    ApiRoutes(BusCall bus, HttpTokenRules doorman) {
        this.bus = bus;
        this.doorman = doorman;
        this.hosts = new EveryHost(bus);
    }

    void mount(Router router) {
        // the token first, from the headers: no byte of the body is read for a request without one
        // (two routes: vertx-web takes no body handler after another handler on one route)
        router.post("/api/*").handler(doorman.authenticated());
        router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/api/ping").handler(doorman.sends(Addresses.QUERY_PING)).handler(ctx -> answer(ctx, ping(ctx)));
        router.get("/api/processes")
                .handler(doorman.sends(Addresses.QUERY_LIST))
                .handler(this::list);
        router.get("/api/hosts")
                .handler(doorman.sends(Addresses.QUERY_HOST))
                .handler(ctx -> answer(ctx, hosts.hosts()));
        router.get("/api/history")
                .handler(doorman.sends(Addresses.QUERY_HISTORY))
                .handler(this::history);
        router.get("/api/alerts")
                .handler(doorman.sends(Addresses.QUERY_ALERTS))
                .handler(ctx -> answer(ctx, onHost(ctx, Addresses.QUERY_ALERTS, new JsonObject())));
        router.get("/api/exceptions")
                .handler(doorman.sends(Addresses.QUERY_EXCEPTIONS))
                .handler(this::exceptions);
        router.get("/api/processes/:target")
                .handler(doorman.sends(Addresses.QUERY_DESCRIBE))
                .handler(ctx -> answer(
                        ctx,
                        hosts.route(Addresses.QUERY_DESCRIBE, ctx.pathParam("target"))
                                .compose(routed -> describe(
                                        ctx,
                                        routed,
                                        !"false".equals(ctx.request().getParam("env"))))));
        router.post("/api/processes")
                .handler(doorman.sends(Addresses.CMD_START))
                .handler(ctx -> command(ctx, Addresses.CMD_START, body -> {
                    RequestBodies.expect(body, "apps", "array");
                    RequestBodies.expect(body, "file", "string");
                    RequestBodies.expect(body, "cwd", "string");
                    RequestBodies.expect(body, "env", "object");
                    RequestBodies.expect(body, "env_name", "string");
                    RequestBodies.expect(body, "action", "string");
                    RequestBodies.expect(body, "force", "boolean");
                    body.put("cwd", body.getString("cwd", System.getProperty("user.dir")));
                    return Plain.json(StartRequest.from(Plain.map(body)).toMap());
                }));
        for (String action : TARGET_ACTIONS) {
            String address = Addresses.CMD_PREFIX + action;
            router.post("/api/processes/:target/" + action)
                    .handler(doorman.sends(address))
                    .handler(ctx -> routed(ctx, address, (target, body) -> actionRequest(target, body)));
        }
        router.post("/api/processes/:target/scale")
                .handler(doorman.sends(Addresses.CMD_SCALE))
                .handler(ctx -> routed(ctx, Addresses.CMD_SCALE, (target, body) -> {
                    Object count = body.getValue("count");
                    if (count == null || !(count instanceof String || count instanceof Number)) {
                        throw new JpmException(
                                JpmError.INVALID_ARGUMENT,
                                "malformed body: field 'count' must be a number like 4, or \"+2\" or \"-1\"");
                    }
                    return Plain.json(ScaleRequest.from(Map.of("name", target, "count", String.valueOf(count)))
                            .toMap());
                }));
        router.post("/api/processes/:target/signal")
                .handler(doorman.sends(Addresses.CMD_SIGNAL))
                .handler(ctx -> routed(ctx, Addresses.CMD_SIGNAL, (target, body) -> {
                    Object signal = body.getValue("signal");
                    if (!(signal instanceof String || signal instanceof Number)) {
                        throw new JpmException(
                                JpmError.INVALID_ARGUMENT,
                                "malformed body: field 'signal' must be a signal name like SIGUSR2, or its number");
                    }
                    return Plain.json(new SignalRequest(String.valueOf(signal), target(target)).toMap());
                }));
        router.post("/api/processes/:target/trigger")
                .handler(doorman.sends(Addresses.CMD_TRIGGER))
                .handler(ctx -> routed(ctx, Addresses.CMD_TRIGGER, ApiRoutes::triggerRequest));
    }

    /**
     * {@code jpm trigger}'s request: the path's target, the body's {@code action} (an @pm2/io action's
     * name) and its {@code params}, any JSON value, handed to the action as given (the CLI's a string).
     */
    private static JsonObject triggerRequest(String target, JsonObject body) {
        RequestBodies.expect(body, "action", "string");
        String action = body.getString("action");
        if (action == null || action.isBlank()) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT, "malformed body: field 'action' (the action's name) is missing");
        }
        JsonObject request = new JsonObject().put("target", target).put("action", action);
        if (body.getValue("params") != null) {
            request.put("params", body.getValue("params"));
        }
        return request;
    }

    /**
     * {@code GET /api/processes}: jlist; {@code ?env=false} leaves each app's environment out;
     * {@code ?all=true} lists every host of the cluster ({@link EveryHost}).
     */
    private void list(RoutingContext ctx) {
        JsonObject body = new JsonObject();
        if ("false".equals(ctx.request().getParam("env"))) {
            body.put("env", false);
        }
        if ("true".equals(ctx.request().getParam("all"))) {
            answer(ctx, hosts.processes(ctx, body));
            return;
        }
        answer(ctx, bus.request(Addresses.QUERY_LIST, HttpTokenRules.query(ctx, body), BusCall.QUERY_TIMEOUT_MS));
    }

    /**
     * {@code GET /api/history?from=6h&to=..&step=5m&apps=api,worker&host=web-2}: the parameters given, as
     * the bus request takes them (the history checks them and names the one that is wrong); {@code host}
     * names the member whose history it is, this host's without it.
     */
    private void history(RoutingContext ctx) {
        JsonObject body = new JsonObject();
        for (String field : List.of("from", "to", "step")) {
            String value = ctx.request().getParam(field);
            if (value != null) {
                body.put(field, value);
            }
        }
        String apps = ctx.request().getParam("apps");
        if (apps != null) {
            body.put("apps", new JsonArray(List.of(apps.split(",", -1))));
        }
        answer(ctx, onHost(ctx, Addresses.QUERY_HISTORY, body));
    }

    /**
     * A query of what each member keeps of its own (its history, alerts, exceptions): asked of the
     * member the {@code host} parameter names, through the cluster, or of this host without it.
     */
    private Future<Object> onHost(RoutingContext ctx, String address, JsonObject body) {
        String host = ctx.request().getParam("host");
        Future<String> routed = host == null ? Future.succeededFuture(address) : hosts.onNode(address, host);
        return routed.compose(a -> bus.request(a, HttpTokenRules.query(ctx, body), BusCall.QUERY_TIMEOUT_MS));
    }

    /**
     * {@code GET /api/exceptions?app=api&limit=50&host=web-2}: the exceptions of one app or of all, the
     * last seen first, of this host or of the member {@code host} names.
     */
    private void exceptions(RoutingContext ctx) {
        JsonObject body = new JsonObject();
        String app = ctx.request().getParam("app");
        if (app != null) {
            body.put("app", app);
        }
        String limit = ctx.request().getParam("limit");
        if (limit != null) {
            try {
                body.put("limit", Math.max(0, Integer.parseInt(limit)));
            } catch (NumberFormatException e) {
                answer(
                        ctx,
                        Future.failedFuture(new JpmException(
                                JpmError.INVALID_ARGUMENT, "limit must be a whole number, got '" + limit + "'")));
                return;
            }
        }
        answer(ctx, onHost(ctx, Addresses.QUERY_EXCEPTIONS, body));
    }

    /** A target's instances, env left out, and the member they run on: null for this host. */
    record Found(String node, JsonArray processes) {}

    /**
     * The log routes' target: this host's, or another member's ({@code api@web-2}), whose files that
     * member reads for them.
     */
    Future<Found> find(RoutingContext ctx, String target) {
        return hosts.route(Addresses.QUERY_DESCRIBE, target)
                .compose(routed -> describe(ctx, routed, false).map(found -> {
                    String node = Addresses.hostOf(routed.address());
                    return new Found(node, onlyOn(node, found));
                }));
    }

    /**
     * The described instances that run on {@code node}: a fleet app's describe lists every member's,
     * each with its {@code host} (docs/CLUSTER.md), and the logs of {@code api@web-2} are web-2's own
     * (web-2 refused the others' files as none of its apps'). An instance without a host is the
     * member's own; {@code node} null (this host) keeps them all.
     */
    static JsonArray onlyOn(String node, JsonArray described) {
        if (node == null) {
            return described;
        }
        JsonArray on = new JsonArray();
        for (Object o : described) {
            String host = ((JsonObject) o).getString("host");
            if (host == null || host.equals(node)) {
                on.add(o);
            }
        }
        return on;
    }

    /** A describe sent where {@link EveryHost#route} says: this host, or the one after the target's @. */
    private Future<JsonArray> describe(RoutingContext ctx, EveryHost.Routed routed, boolean withEnv) {
        JsonObject body = Plain.json(target(routed.target()).toMap());
        if (!withEnv) {
            body.put("env", false);
        }
        return bus.request(routed.address(), HttpTokenRules.query(ctx, body), BusCall.QUERY_TIMEOUT_MS)
                .map(data -> data instanceof JsonArray a ? a : new JsonArray());
    }

    static TargetRequest target(String target) {
        return TargetRequest.fromClient(List.of(target), Map.of());
    }

    /** stop, restart, reload, delete, reset: the targets from the path; restart and reload take pm2's options. */
    private static JsonObject actionRequest(String target, JsonObject body) {
        RequestBodies.expect(body, "update_env", "boolean");
        RequestBodies.expect(body, "env_name", "string");
        RequestBodies.expect(body, "parallel", "whole number");
        RequestBodies.expect(body, "env", "object");
        // the path names the targets; a body's own, the bridge's field, is held to the bridge's type (code 10
        // naming it, as there) rather than dropped without a word
        RequestBodies.expect(body, "targets", "array");
        JsonObject request = body.copy().mergeIn(Plain.json(target(target).toMap()));
        return Plain.json(ActionRequest.from(Plain.map(request)).toMap());
    }

    /**
     * A command on the path's target, sent to the host its {@code @node} names ({@link EveryHost#route})
     * with the node taken off; a node that is not a member is refused and nothing is sent.
     */
    private void routed(RoutingContext ctx, String address, BiFunction<String, JsonObject, JsonObject> mapping) {
        hosts.route(address, ctx.pathParam("target"))
                .onSuccess(r -> command(ctx, r.address(), body -> mapping.apply(r.target(), body)))
                .onFailure(e -> HttpReplies.fail(ctx, e));
    }

    /** Checks the body, then sends the request the mapping builds; a bad body changes nothing. */
    private void command(RoutingContext ctx, String address, Function<JsonObject, JsonObject> mapping) {
        JsonObject request;
        try {
            request = mapping.apply(RequestBodies.object(ctx.body().buffer()));
        } catch (JpmException e) {
            HttpReplies.fail(ctx, e);
            return;
        } catch (ClassCastException | IllegalArgumentException e) {
            // a field of a type the record does not read: refused like the fields checked by name
            HttpReplies.fail(ctx, JpmError.INVALID_ARGUMENT, "malformed body: " + e.getMessage());
            return;
        }
        answer(ctx, bus.request(address, request, BusCall.COMMAND_TIMEOUT_MS));
    }

    /** The daemon's ping, with what this request's token may do: a page hides what it may not. */
    private Future<Object> ping(RoutingContext ctx) {
        return bus.request(Addresses.QUERY_PING, new JsonObject(), BusCall.QUERY_TIMEOUT_MS)
                .map(data -> data instanceof JsonObject o
                        ? o.copy().put("access", HttpTokenRules.readOnly(ctx) ? "read-only" : "admin")
                        : data);
    }

    static void answer(RoutingContext ctx, Future<?> result) {
        result.onSuccess(data -> HttpReplies.ok(ctx, data)).onFailure(e -> HttpReplies.fail(ctx, e));
    }
}
