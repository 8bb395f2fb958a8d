package io.jpm.god;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code trigger}: runs an action a Node app declared with @pm2/io ({@code io.action}) in
 * each instance that has it and waits for their replies ({@code axm:reply}). pm2's rules
 * (ActionMethods.msgProcess): a pm_id must name a running instance that declared the action (else
 * an error naming it); a name, a script's file name, a namespace or {@code all} reaches every
 * online or launching instance among them that declared it, and reaching none is an error. Each
 * instance is sent the action's name as a string, or {@code {"msg":action,"opts":params}} with a
 * parameter, as pm2 sends them. God's event loop.
 */
final class ActionTriggers {
    /** How long a trigger waits for the instances' replies before it answers with those it has. */
    static final long REPLY_TIMEOUT_MS = 30_000;

    private final Vertx vertx;
    private final ProcessTable table;
    /** Replies awaited, by the instance's run (its channel) and action name. */
    private final Map<Awaited, List<Promise<Object>>> waiting = new HashMap<>();

    private record Awaited(Object channel, String action) {}

    /** One instance a trigger reached, and its reply to come. */
    private record Pending(Instance instance, Awaited key, Promise<Object> reply) {}

    ActionTriggers(Vertx vertx, ProcessTable table) {
        this.vertx = vertx;
        this.table = table;
    }

    /**
     * {"target":"api","action":"db:flush","params":"x" or absent}; answers
     * {"sent":N,"replies":[{"name","pm_id","namespace","return"}],"missing":[{"name","pm_id","namespace"}]}
     * once every instance reached replied, or after {@link #REPLY_TIMEOUT_MS} with those that did.
     */
    Future<JsonObject> trigger(JsonObject body) {
        String target = text(body, "target");
        String action = text(body, "action");
        Object params = body.getValue("params");
        List<Instance> reached = reached(target, action);
        String message = params == null
                ? Json.encode(action)
                : new JsonObject().put("msg", action).put("opts", params).encode();
        List<Pending> sent = new ArrayList<>();
        for (Instance instance : reached) {
            Pending pending = new Pending(instance, new Awaited(instance.channel(), action), Promise.promise());
            waiting.computeIfAbsent(pending.key(), k -> new ArrayList<>()).add(pending.reply());
            if (instance.channel().sendJson(message)) {
                sent.add(pending);
            } else {
                forget(pending);
            }
        }
        if (sent.isEmpty()) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT, "Not any process has received a command (offline or unexistent)");
        }
        long timer = vertx.setTimer(
                REPLY_TIMEOUT_MS,
                t -> sent.forEach(p -> {
                    p.reply().tryFail("no reply within " + REPLY_TIMEOUT_MS + " ms");
                    forget(p);
                }));
        return Future.join(sent.stream().map(p -> p.reply().future()).toList()).transform(all -> {
            vertx.cancelTimer(timer);
            JsonArray answered = new JsonArray();
            JsonArray missing = new JsonArray();
            for (Pending p : sent) {
                JsonObject who = who(p.instance());
                if (p.reply().future().succeeded()) {
                    answered.add(who.put("return", p.reply().future().result()));
                } else {
                    missing.add(who);
                }
            }
            return Future.succeededFuture(new JsonObject()
                    .put("sent", sent.size())
                    .put("replies", answered)
                    .put("missing", missing));
        });
    }

    /** {@code axm:reply} of a run: the oldest trigger of that action waiting on it gets {@code return}. */
    void replied(Instance instance, Object channel, JsonObject data) {
        if (!(data.getValue("action_name") instanceof String action)) {
            return;
        }
        Awaited key = new Awaited(channel, action);
        List<Promise<Object>> promises = waiting.get(key);
        if (promises == null) {
            return;
        }
        Promise<Object> first = promises.remove(0);
        if (promises.isEmpty()) {
            waiting.remove(key);
        }
        first.tryComplete(data.getValue("return"));
    }

    private void forget(Pending pending) {
        List<Promise<Object>> promises = waiting.get(pending.key());
        if (promises != null) {
            promises.remove(pending.reply());
            if (promises.isEmpty()) {
                waiting.remove(pending.key());
            }
        }
    }

    /** The instances the trigger reaches, by pm2's rules. */
    private List<Instance> reached(String target, String action) {
        if (target.matches("\\d{1,9}")) {
            Instance instance = table.byId(Integer.parseInt(target));
            if (instance == null) {
                throw new JpmException(JpmError.UNKNOWN_TARGET, target + " id unknown");
            }
            if (!declares(instance, action)) {
                throw new JpmException(
                        JpmError.INVALID_ARGUMENT, "Action doesn't exist " + action + " for " + instance.name());
            }
            if (!running(instance)) {
                throw new JpmException(JpmError.INVALID_ARGUMENT, target + " : id offline");
            }
            return List.of(instance);
        }
        List<Instance> reached = new ArrayList<>();
        for (Instance instance : table.all()) {
            boolean named = target.equals("all")
                    || target.equals(instance.name())
                    || target.equals(instance.config().ecosystem().namespace())
                    || target.equals(
                            Path.of(instance.config().script()).getFileName().toString());
            if (named && running(instance) && declares(instance, action)) {
                reached.add(instance);
            }
        }
        return reached;
    }

    /** Online or launching (pm2's two states an action reaches), with a channel to send it on. */
    private static boolean running(Instance instance) {
        return (instance.state() == ProcessState.ONLINE || instance.state() == ProcessState.LAUNCHING)
                && instance.channel() != null;
    }

    private static boolean declares(Instance instance, String action) {
        return instance.run().reported().view(instance.channel()).actionNames().contains(action);
    }

    private static JsonObject who(Instance instance) {
        return new JsonObject()
                .put("name", instance.name())
                .put("pm_id", instance.pmId)
                .put("namespace", instance.config().ecosystem().namespace());
    }

    private static String text(JsonObject body, String field) {
        if (!(body.getValue(field) instanceof String value) || value.isEmpty()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "field '" + field + "' must be a non-empty string");
        }
        return value;
    }
}
