package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.BalancerOptions;
import io.jpm.config.Program;
import io.jpm.launcher.ListeningSockets;
import io.jpm.process.AppChannels;
import io.jpm.process.LaunchSpec;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Socket mode ({@code balance: socket}) for one God: the instances of an app share listening
 * sockets the daemon opens ({@link SharedSockets}), and no byte of theirs goes through the daemon.
 * <ul>
 *   <li>Any language: the app's {@code port} is opened before its first run and passed to every run
 *       at fd 3 by systemd's socket-activation rules (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES), which
 *       gunicorn, uvicorn, Go and Rust servers, Python's socketserver... take as is.
 *   <li>Node: an unmodified app calls listen(3000). Each run gets Node's own IPC pipe and the
 *       preload jpm-listen.js, which turns that listen() into a request over the pipe; the daemon
 *       opens the address once, for every app that listens there, and deals its connections to
 *       the runs that listen, in turn ({@link io.jpm.launcher.ConnectionDealer}), as Node's cluster
 *       module does for pm2's workers of every app. The preload reports when the app listens: that
 *       is when a run is ready.
 * </ul>
 * Runs on God's event loop, but for {@link #prepare} (a worker thread, at spawn).
 */
final class SocketShare {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /** The preload's request for a socket, the daemon's answer, and its report once the app listens. */
    static final String LISTEN = "NODE_JPM_LISTEN";

    static final String SHARED = "NODE_JPM_SHARED";
    static final String LISTENING = "NODE_JPM_LISTENING";
    /** A connection dealt to a listen(), and the app's server closed (no more connections for it). */
    static final String CONNECTION = "NODE_JPM_CONN";

    static final String UNLISTEN = "NODE_JPM_UNLISTEN";

    /** One listen() of one run: who the dealer hands connections to. */
    record Listening(AppChannels.Channel channel, Object id) {}

    private final Vertx vertx;
    private final SharedSockets sockets;
    /** Every run God knows (current and reloads' old ones): whether an app still has one that serves. */
    private final Supplier<Collection<Instance>> runs;
    /** The socket each answered listen() is for, until the app says it listens (then it is dealt connections). */
    private final Map<Listening, Integer> answered = new HashMap<>();

    private final AdoptedSockets adoption;
    private final KeptSockets kept;

    SocketShare(Vertx vertx, SharedSockets sockets, Supplier<Collection<Instance>> runs) {
        this.vertx = vertx;
        this.sockets = sockets;
        this.runs = runs;
        this.kept = new KeptSockets(sockets.dealer());
        this.adoption = new AdoptedSockets(vertx, sockets, kept);
    }

    /** What the runs a previous daemon spawned get back of socket mode. */
    AdoptedSockets adoption() {
        return adoption;
    }

    static boolean shares(Instance instance) {
        return instance.config().balancer().sharesSocket();
    }

    /** Whether a run of the app needs Node's IPC pipe (a Node app in socket mode). */
    static boolean needsPipe(AppConfig config) {
        return config.balancer().sharesSocket() && config.isNode();
    }

    /**
     * What a run of a socket-mode app adds to its launch (blocking: at spawn, on a worker): the
     * socket at fd 3 for an app that is not Node (opened now if it is not yet: a port in use fails
     * the spawn with the reason), the variables of the preload for a Node app.
     */
    LaunchSpec prepare(Instance instance, LaunchSpec spec, Map<String, String> env) throws IOException {
        BalancerOptions b = instance.config().balancer();
        if (b.port() != null) {
            env.put("PORT", Integer.toString(b.port()));
        }
        if (instance.config().isNode()) {
            env.put(JpmEnv.SHARE_LISTEN.variable, "1");
            return spec.withEnv(env);
        }
        SharedSockets.Open open = sockets.open(instance.name(), b.host(), b.port(), ListeningSockets.DEFAULT_BACKLOG);
        return spec.withEnv(env).passing(List.of(new LaunchSpec.Passed(open.fd(), fdName(instance.name()))));
    }

    /**
     * A message of a Node run's IPC pipe: a listen() asking for its socket is answered with it (or
     * with why not, which the app's listen() reports as its 'error'); the report that the app
     * listens completes {@code listening}.
     */
    void onMessage(Instance instance, AppChannels.Channel channel, JsonObject message, Promise<Void> listening) {
        String cmd = message.getValue("cmd") instanceof String s ? s : "";
        Listening who = new Listening(channel, message.getValue("id"));
        if (LISTENING.equals(cmd)) {
            Integer fd = answered.remove(who);
            if (fd != null && instance.channel() == channel && instance.state() != ProcessState.STOPPING) {
                kept.join(fd, who, KeptSockets.keeps(message));
            }
            listening.tryComplete();
        } else if (LISTEN.equals(cmd)) {
            answerListen(instance, channel, message);
        } else if (KeptSockets.COPY.equals(cmd)) {
            kept.sendCopy(who);
        } else if (UNLISTEN.equals(cmd)) {
            sockets.dealer().leaveAll(who::equals);
        } else if (AdoptedSockets.RELISTENING.equals(cmd)) {
            adoption.dealAgain(instance, channel, message, who);
        }
    }

    /** A run stops or ended: no connection is dealt to it any more (before its kill signal). */
    void leave(Instance instance) {
        AppChannels.Channel channel = instance.channel();
        if (channel != null) {
            sockets.dealer().leaveAll(owner -> owner instanceof Listening l && l.channel() == channel);
            if (instance.config().isNode()) {
                KeptSockets.left(channel);
            }
            answered.keySet().removeIf(l -> l.channel() == channel);
            sockets.pipes().release(channel);
        }
    }

    private void answerListen(Instance instance, AppChannels.Channel channel, JsonObject request) {
        Object id = request.getValue("id");
        Integer port = request.getValue("port") instanceof Number n ? n.intValue() : null;
        BalancerOptions b = instance.config().balancer();
        // the app's host, unless the config names one: then that is where the socket listens
        String host = b.host() != null ? b.host() : request.getString("host");
        int backlog = request.getValue("backlog") instanceof Number n && n.intValue() > 0
                ? n.intValue()
                : ListeningSockets.DEFAULT_BACKLOG;
        if (port == null || port < 0 || port > 65535) {
            channel.sendJson(new JsonObject()
                    .put("cmd", SHARED)
                    .put("id", id)
                    .put("code", "EINVAL")
                    .put("error", "jpm: no port in the listen request")
                    .encode());
            return;
        }
        // a run that ended meanwhile has its channel closed: the answer goes nowhere
        vertx.executeBlocking(() -> sockets.open(instance.name(), host, port, backlog), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        String why = ar.cause().getMessage();
                        LOG.warning(() ->
                                "pm_id " + instance.pmId + " (" + instance.name() + "): listen(" + port + "): " + why);
                        channel.sendJson(new JsonObject()
                                .put("cmd", SHARED)
                                .put("id", id)
                                .put("code", code(why))
                                .put("error", why)
                                .encode());
                        return;
                    }
                    // the app gets no socket: it listens on a stand-in and is dealt connections in turn once it says it
                    // listens
                    SharedSockets.Open open = ar.result();
                    if (channel.sendJson(new JsonObject()
                            .put("cmd", SHARED)
                            .put("id", id)
                            .put("host", open.host())
                            .put("port", open.port())
                            .put("deal", true)
                            .encode())) {
                        answered.put(new Listening(channel, id), open.fd());
                    }
                });
    }

    /** No run of the app ever listened and it has no port: a worker, which pm2 too takes as ready after listen_timeout. */
    private boolean isWorker(Instance instance) {
        return instance.config().balancer().port() == null
                && sockets.of(instance.name()).open().isEmpty();
    }

    /** Node's error code for what {@link ListeningSockets} said, so the app's handlers recognise it. */
    private static String code(String why) {
        if (why.contains("in use")) {
            return "EADDRINUSE";
        }
        if (why.contains("permission denied")) {
            return "EACCES";
        }
        return why.contains("not an address") || why.contains("not a known") ? "EADDRNOTAVAIL" : "EINVAL";
    }

    /**
     * When a run of a socket-mode app is ready to take connections: a Node run once it listens on
     * the shared socket (failing after listen_timeout when the app has a port or its other runs
     * listen; an app that never listened is a worker, ready after listen_timeout as in pm2), any other once it is healthy if it has a
     * health probe, else at once (its socket queues connections until it accepts).
     */
    Future<Void> ready(Instance instance, int pid, Future<Void> listening) {
        long timeout = instance.config().balancer().listenTimeoutMs();
        if (instance.config().isNode()) {
            Promise<Void> ready = Promise.promise();
            // a worker (no run of the app ever listened) is ready after pm2's 3 s unless listen_timeout
            // was given: jpm's longer default is for servers that are slow to listen, not for workers
            long workerAfter =
                    AppOption.LISTEN_TIMEOUT.givenIn(instance.config().source().getMap())
                            ? timeout
                            : Math.min(timeout, Program.PM2_LISTEN_TIMEOUT_MS);
            long workerTimer = vertx.setTimer(workerAfter, t -> {
                if (isWorker(instance)) {
                    ready.tryComplete();
                }
            });
            long timer = vertx.setTimer(timeout, t -> {
                if (isWorker(instance)) {
                    ready.tryComplete();
                } else {
                    ready.tryFail("pid " + pid + " did not listen on its shared socket within listen_timeout " + timeout
                            + " ms (its other runs do)");
                }
            });
            listening.onComplete(ar -> {
                vertx.cancelTimer(workerTimer);
                vertx.cancelTimer(timer);
                ready.tryComplete();
            });
            return ready.future();
        }
        if (instance.config().watchdog().health() == null) {
            return Future.succeededFuture();
        }
        Promise<Void> healthy = Promise.promise();
        long timer = vertx.setPeriodic(50, t -> {
            if (instance.pid() == null
                    || instance.pid() != pid
                    || instance.satanReports().healthyFor(instance.pid())) {
                healthy.tryComplete();
            }
        });
        healthy.future().onComplete(ar -> vertx.cancelTimer(timer));
        return deadline(
                healthy.future(), timeout, "pid " + pid + " was not healthy within listen_timeout " + timeout + " ms");
    }

    private Future<Void> deadline(Future<Void> event, long timeoutMs, String failure) {
        Promise<Void> ready = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, t -> ready.tryFail(failure));
        event.onComplete(ar -> {
            vertx.cancelTimer(timer);
            ready.tryComplete();
        });
        return ready.future();
    }

    /**
     * After a run's event: an app with no run left that may serve lets go of its sockets, which
     * close when no other app is on them.
     */
    void afterEvent(ProcessEvent event) {
        if (!ProcessState.STOPPED.word().equals(event.to())
                && !ProcessState.ERRORED.word().equals(event.to())
                && !ProcessEvent.DELETED.equals(event.to())) {
            return;
        }
        String app = event.app();
        if (!sockets.apps().contains(app)) {
            return;
        }
        // on the next turn: a deleted run leaves the table after its event
        vertx.runOnContext(v -> {
            boolean serving = runs.get().stream()
                    .anyMatch(i -> i.name().equals(app) && i.state().isActive());
            if (!serving) {
                sockets.release(app);
            }
        });
    }

    /** The app's open sockets and who shares them, for describe. */
    SharedSockets.AppSockets socketsOf(String app) {
        return sockets.of(app);
    }

    /** systemd's LISTEN_FDNAMES allows no ':' and only printable ASCII. */
    private static String fdName(String app) {
        String name = app.replaceAll("[^!-~]|:", "_");
        return name.length() > 255 ? name.substring(0, 255) : name;
    }
}
