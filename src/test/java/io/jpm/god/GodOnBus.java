package io.jpm.god;

import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.StartRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher;
import io.jpm.verticle.LocalRecordCodec;
import io.jpm.verticle.OutputChunkCodec;
import io.jpm.verticle.Plain;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The real God on a real Vert.x with a {@link FakeLauncher}, driven by the requests the CLI sends
 * on God's addresses ({@link Addresses}, the records of io.jpm.protocol). It stands in for the
 * verticles God talks to: it takes the output God ships (lines kept per app), answers the balancer's
 * addresses at once (every run ready, every drain done) and records each process event. Its
 * methods block the calling thread (a test's, never an event loop).
 */
final class GodOnBus {
    private static final long REPLY_TIMEOUT_MS = 30_000;
    /** The balancer's reply when all went well. */
    private static final JsonObject READY = new JsonObject().put("ok", true).put("data", new JsonObject());

    final Vertx vertx;
    final Path home;
    final FakeLauncher launcher;
    private final List<ProcessEvent> events = new CopyOnWriteArrayList<>();
    private final List<Printed> output = new CopyOnWriteArrayList<>();
    /**
     * What the stand-in balancer was asked, in order: "join 3 pid 40001", "leave 3 pid 40001 drain 1600",
     * with " after a signal" when the launcher had signalled that pid already.
     */
    final List<String> balancer = new CopyOnWriteArrayList<>();

    private volatile Joins joins = Joins.READY;
    private final List<Join> heldJoins = new CopyOnWriteArrayList<>();

    private GodOnBus(Vertx vertx, Path home, FakeLauncher launcher) {
        this.vertx = vertx;
        this.home = home;
        this.launcher = launcher;
    }

    /** Deploys God with JPM_HOME {@code home} and its stand-in neighbours; returns once it serves. */
    static GodOnBus deploy(Vertx vertx, Path home, FakeLauncher launcher) {
        GodOnBus god = new GodOnBus(vertx, home, launcher);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        LocalRecordCodec.registerAll(vertx.eventBus());
        vertx.eventBus().<OutputChunk>localConsumer(Addresses.INTERNAL_LOG_CHUNK, m -> {
            OutputChunk chunk = m.body();
            String text = new String(chunk.bytes(), 0, chunk.length(), StandardCharsets.UTF_8);
            LogChunk h = chunk.header();
            text.lines().forEach(line -> god.output.add(new Printed(h.app(), h.pmId(), h.stream(), h.path(), line)));
            chunk.release();
            m.reply(null);
        });
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_PROCESS, m -> god.events.add(ProcessEvent.from(Plain.map(m.body()))));
        for (String address : List.of(
                Addresses.INTERNAL_BALANCER_OPEN,
                Addresses.INTERNAL_BALANCER_CLOSE,
                Addresses.INTERNAL_BALANCER_JOIN,
                Addresses.INTERNAL_BALANCER_LEAVE)) {
            String verb = address.substring(address.lastIndexOf('.') + 1);
            vertx.eventBus().<Object>localConsumer(address, m -> {
                JsonObject body = asJson(m.body());
                long drain = body.getLong("drain_ms", 0L);
                boolean signalled = body.getValue("pid") instanceof Integer pid
                        && !launcher.signalsTo(pid).isEmpty();
                god.balancer.add(verb + " " + body.getValue("pm_id") + " pid " + body.getValue("pid")
                        + (drain > 0 ? " drain " + drain : "") + (signalled ? " after a signal" : ""));
                if (address.equals(Addresses.INTERNAL_BALANCER_JOIN)) {
                    god.join(new Join(m, body));
                } else {
                    m.reply(READY);
                }
            });
        }
        JsonObject config = new JsonObject().put("home", home.toString()).put("host", "box");
        await(vertx.deployVerticle(
                GodVerticle.of(launcher, launcher.channels()), new DeploymentOptions().setConfig(config)));
        return god;
    }

    /**
     * An app's options in pm2's names: {@code name}, and a script in JPM_HOME (a file that exists, as
     * the daemon checks; the fake launcher never runs it).
     */
    JsonObject app(String name) {
        Path script = home.resolve("app.sh");
        try {
            if (!Files.exists(script)) {
                Files.writeString(script, "#!/bin/sh\nexit 99\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JsonObject().put("name", name).put("script", script.toString());
    }

    /** How the stand-in balancer answers a run's join: ready at once, never (listen_timeout), or when told. */
    enum Joins {
        READY,
        NOT_READY,
        HELD
    }

    /** From now on, joins are answered this way; joins held so far are answered ready or not. */
    synchronized void joins(Joins answer) {
        joins = answer;
        if (answer != Joins.HELD) {
            List<Join> waiting = List.copyOf(heldJoins);
            heldJoins.clear();
            waiting.forEach(this::join);
        }
    }

    /** The runs whose join is held (their pids). */
    List<Integer> heldJoins() {
        return heldJoins.stream().map(j -> j.body().getInteger("pid")).toList();
    }

    /** A join request the stand-in balancer holds: the message to answer, and its body as JSON. */
    private record Join(Message<Object> message, JsonObject body) {}

    /** God sends the balancer records by reference (LocalRecordCodec); the stand-in reads them as pm2-named JSON. */
    private static JsonObject asJson(Object body) {
        if (body instanceof UpstreamRequest request) {
            return new JsonObject(request.toMap());
        }
        if (body instanceof BalancedAppSpec spec) {
            return new JsonObject(spec.toMap());
        }
        return (JsonObject) body;
    }

    private synchronized void join(Join j) {
        switch (joins) {
            case READY -> j.message().reply(READY);
            case NOT_READY -> j.message()
                    .fail(
                            JpmError.SPAWN_FAILED.code(),
                            "pid " + j.body().getValue("pid") + " not ready within listen_timeout "
                                    + j.body().getValue("listen_timeout_ms") + " ms");
            case HELD -> heldJoins.add(j);
        }
    }

    /** {@code jpm start} of one app given by its options in pm2's names; replies with what started. */
    JsonArray start(JsonObject app) {
        return start(app, Map.of());
    }

    /** {@code jpm start} of one app from a client whose environment is {@code clientEnv}. */
    JsonArray start(JsonObject app, Map<String, String> clientEnv) {
        return startRequest(startOf(app, clientEnv));
    }

    /** {@code jpm start} of one app, without waiting for the reply (a start held until the app is ready). */
    Future<Object> startAsync(JsonObject app) {
        return sendAsync(Addresses.CMD_START, Plain.json(startOf(app, Map.of()).toMap()));
    }

    private StartRequest startOf(JsonObject app, Map<String, String> clientEnv) {
        return StartRequest.builder()
                .apps(List.of(app.getMap()))
                .cwd(home.toString())
                .env(clientEnv)
                .build();
    }

    /** {@code jpm start <file>}. */
    JsonArray startFile(Path file) {
        return startFile(file, List.of(), null, Map.of());
    }

    /** {@code jpm start <file> --only a,b --env <envName>} from a client whose environment is {@code clientEnv}. */
    JsonArray startFile(Path file, List<String> only, String envName, Map<String, String> clientEnv) {
        return startFile(file, only, envName, clientEnv, StartRequest.RESTART);
    }

    /**
     * The start request of a file with what its apps that run go through ({@link StartRequest#RESTART}
     * or {@link StartRequest#RELOAD}): the CLI's {@code restart <file>} and {@code reload <file>} send it.
     */
    JsonArray startFile(Path file, List<String> only, String envName, Map<String, String> clientEnv, String action) {
        return startRequest(StartRequest.builder()
                .file(file.toString())
                .cwd(home.toString())
                .env(clientEnv)
                .only(only)
                .envName(envName)
                .action(action)
                .build());
    }

    /** Any start request, as the CLI builds it (--force, start of a known name...). */
    JsonArray startRequest(StartRequest request) {
        return (JsonArray) request(Addresses.CMD_START, Plain.json(request.toMap()));
    }

    Object stop(String... targets) {
        return request(Addresses.CMD_STOP, targets(targets));
    }

    Object restart(String... targets) {
        return request(Addresses.CMD_RESTART, targets(targets));
    }

    Object reload(String... targets) {
        return request(Addresses.CMD_RELOAD, targets(targets));
    }

    Object reset(String... targets) {
        return request(Addresses.CMD_RESET, targets(targets));
    }

    Object delete(String... targets) {
        return request(Addresses.CMD_DELETE, targets(targets));
    }

    /** {@code jpm scale <name> <count>} ("4", "+2", "-1"). */
    Object scale(String name, String count) {
        return request(Addresses.CMD_SCALE, Plain.json(new ScaleRequest(name, count).toMap()));
    }

    /** A verb (stop, restart, reload, delete) with the whole request the CLI builds (--update-env, --env...). */
    Object act(String address, ActionRequest request) {
        return request(address, Plain.json(request.toMap()));
    }

    /** The request a verb sends for these targets, as the CLI sends it from {@code home}. */
    JsonObject targets(String... targets) {
        return Plain.json(ActionRequest.of(new TargetRequest(List.of(targets), home.toString(), Map.of()))
                .toMap());
    }

    /** The reply's data; a failed request throws the failure. */
    Object request(String address, JsonObject body) {
        return await(sendAsync(address, body));
    }

    /** Sends without waiting for the reply (a stop while another is under way). */
    Future<Object> sendAsync(String address, JsonObject body) {
        return vertx.eventBus()
                .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS))
                .map(m -> m.body().getValue("data"));
    }

    /** {@code jpm jlist}: every process as pm2 lists it. */
    List<JsonObject> jlist() {
        JsonArray all = (JsonArray) request(Addresses.QUERY_LIST, new JsonObject());
        return all.stream().map(JsonObject.class::cast).toList();
    }

    /** The processes of app {@code name}, by pm_id. */
    List<JsonObject> named(String name) {
        return jlist().stream().filter(p -> name.equals(p.getString("name"))).toList();
    }

    static String status(JsonObject process) {
        return process.getJsonObject("pm2_env").getString("status");
    }

    static int restartTime(JsonObject process) {
        return process.getJsonObject("pm2_env").getInteger("restart_time");
    }

    /** Waits until app {@code name} has {@code count} processes, each with {@code status}; returns them. */
    List<JsonObject> awaitStatus(String name, int count, String status) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        return Eventually.await(
                () -> count + " '" + name + "' " + status + "; last seen " + last.get(), Eventually.TIMEOUT, () -> {
                    List<JsonObject> all = named(name);
                    last.set(all.stream()
                            .map(p -> p.getInteger("pm_id") + ":" + status(p) + " pid " + p.getValue("pid"))
                            .toList());
                    return all.size() == count && all.stream().allMatch(p -> status.equals(status(p))) ? all : null;
                });
    }

    /** Waits until app {@code name}'s only process has {@code status}; returns it. */
    JsonObject awaitStatus(String name, String status) {
        return awaitStatus(name, 1, status).get(0);
    }

    /** Every process event so far, in order. */
    List<ProcessEvent> events() {
        return List.copyOf(events);
    }

    /** The events of app {@code name} to state {@code to}, in order. */
    List<ProcessEvent> eventsTo(String name, String to) {
        return events.stream()
                .filter(e -> name.equals(e.app()) && to.equals(e.to()))
                .toList();
    }

    /** Waits for the first event {@code what} accepts; returns it. */
    ProcessEvent awaitEvent(String what, Predicate<ProcessEvent> matches) {
        return Eventually.await(
                () -> what + "; events: " + events,
                Eventually.TIMEOUT,
                () -> events.stream().filter(matches).findFirst().orElse(null));
    }

    /** A line a run printed, as God shipped it to the log writer: whose, which stream, to which file. */
    record Printed(String app, int pmId, String stream, String path, String line) {}

    /** The lines the runs printed, in the order God shipped them. */
    List<Printed> output() {
        return List.copyOf(output);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
