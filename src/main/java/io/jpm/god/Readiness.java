package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.AppChannels;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * pm2's {@code wait_ready} and {@code shutdown_with_message} for one God. Before a run is spawned
 * its channels are opened ({@link AppChannels}: NOTIFY_SOCKET for any app, the IPC preload for
 * Node) and node's preloads chosen ({@link #nodeArgs}); after, a run that waits for readiness
 * stays launching until it says it is ready or listen_timeout passes, and is online then, as in
 * pm2 (God.js: the same timeout, online either way). Whoever waits for the start (the CLI's start,
 * a reload) waits until then.
 */
final class Readiness {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final Vertx vertx;
    private final Context context;
    private final AppChannels channels;
    /** pm2's PM2_KILL_USE_MESSAGE in the daemon's environment: every app is stopped as with shutdown_with_message. */
    private final boolean killUseMessage;

    Readiness(Vertx vertx, Context context, AppChannels channels) {
        this(vertx, context, channels, false);
    }

    Readiness(Vertx vertx, Context context, AppChannels channels, boolean killUseMessage) {
        this.vertx = vertx;
        this.context = context;
        this.channels = channels;
        this.killUseMessage = killUseMessage;
    }

    /**
     * Whether runs of the app need channels at all: every Node app has one, as pm2 forks each with an
     * IPC channel (process.send, process:msg, sendDataToProcessId), but one run as another user, which
     * cannot read the preload in JPM_HOME, only for wait_ready or shutdown_with_message as before.
     */
    boolean needed(AppConfig config) {
        return config.ecosystem().waitReady()
                || byMessage(config)
                || (config.isNode() && config.ecosystem().runAs() == null);
    }

    private boolean byMessage(AppConfig config) {
        return killUseMessage || config.ecosystem().shutdownWithMessage();
    }

    /**
     * Opens a run's channels (blocking: a worker thread); what the run says completes {@code said}
     * on God's event loop.
     */
    AppChannels.Channel open(AppConfig config, Promise<String> said) throws IOException {
        return open(config, false, said, (channel, json) -> {}, (channel, json) -> false);
    }

    /**
     * The same, with Node's own IPC pipe when {@code pipe} (socket mode): its other messages go to
     * {@code messages} with the channel they came through, on God's event loop, but those that
     * {@code onItsThread} takes first on the channel's own thread.
     */
    AppChannels.Channel open(
            AppConfig config,
            boolean pipe,
            Promise<String> said,
            BiConsumer<AppChannels.Channel, String> messages,
            BiPredicate<AppChannels.Channel, String> onItsThread)
            throws IOException {
        // the listener is made before the channel it listens to exists; an app can only speak once it
        // is spawned, after open() returned, so a message always finds the channel here
        Promise<AppChannels.Channel> opened = Promise.promise();
        AppChannels.Channel channel = channels.open(config.isNode(), pipe, new AppChannels.Listener() {
            @Override
            public void ready(String how) {
                context.runOnContext(v -> said.tryComplete(how));
            }

            @Override
            public void message(String json) {
                // the app speaks once spawned, after open() returned: the channel is known by then
                AppChannels.Channel from = opened.future().result();
                if (from == null || !onItsThread.test(from, json)) {
                    context.runOnContext(v -> opened.future().onSuccess(channel -> messages.accept(channel, json)));
                }
            }
        });
        opened.complete(channel);
        return channel;
    }

    /**
     * The channel of an adopted run (blocking: a worker): its Node IPC pipe, handed over by the keeper;
     * its messages go to {@code messages} on God's event loop. It said ready under the previous daemon.
     */
    AppChannels.Channel adoptPipe(
            int daemonEnd,
            BiConsumer<AppChannels.Channel, String> messages,
            BiPredicate<AppChannels.Channel, String> onItsThread)
            throws IOException {
        return adopt(listener -> channels.adoptPipe(daemonEnd, listener), messages, onItsThread);
    }

    /**
     * The channel of an adopted run whose jpm-ipc.js preload connects again under {@code token}
     * (blocking: a worker), as {@link #adoptPipe}.
     */
    AppChannels.Channel adoptToken(
            String token,
            BiConsumer<AppChannels.Channel, String> messages,
            BiPredicate<AppChannels.Channel, String> onItsThread)
            throws IOException {
        return adopt(listener -> channels.adoptToken(token, listener), messages, onItsThread);
    }

    /** What an adopted channel opens with: a listener that hands its messages on, and no readiness. */
    private interface Adopting {
        AppChannels.Channel open(AppChannels.Listener listener) throws IOException;
    }

    private AppChannels.Channel adopt(
            Adopting adopting,
            BiConsumer<AppChannels.Channel, String> messages,
            BiPredicate<AppChannels.Channel, String> onItsThread)
            throws IOException {
        Promise<AppChannels.Channel> opened = Promise.promise();
        AppChannels.Channel channel = adopting.open(new AppChannels.Listener() {
            @Override
            public void ready(String how) {}

            @Override
            public void message(String json) {
                AppChannels.Channel from = opened.future().result();
                if (from == null || !onItsThread.test(from, json)) {
                    context.runOnContext(v -> opened.future().onSuccess(c -> messages.accept(c, json)));
                }
            }
        });
        opened.complete(channel);
        return channel;
    }

    /**
     * Holds a launching run until it is ready or its listen_timeout has passed, then runs
     * {@code online} with the reason, unless the run has ended or been stopped meanwhile.
     */
    void await(Instance instance, int pid, Promise<String> said, Consumer<String> online) {
        long timeout = instance.config().balancer().listenTimeoutMs();
        long timer = vertx.setTimer(timeout, t -> said.tryComplete(null));
        said.future().onSuccess(how -> {
            vertx.cancelTimer(timer);
            if (instance.state() != ProcessState.LAUNCHING || instance.pid() == null || instance.pid() != pid) {
                return;
            }
            if (how == null) {
                LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + ") pid " + pid
                        + " said nothing within listen_timeout " + timeout + " ms: online anyway, as pm2 does");
                online.accept("spawned pid " + pid + "; no ready signal within listen_timeout " + timeout + " ms");
            } else {
                online.accept("spawned pid " + pid + "; ready (" + how + ")");
            }
        });
    }

    /**
     * What node is given before the script (blocking): every Node app's preload, then its channel's
     * ({@code channel} null when it has none), with pmx the code metrics' preload and with trace
     * OpenTelemetry's; nothing for another app. An app run as another user
     * gets no preload of its own: JPM_HOME (0700) is not that user's to read, and node does not start
     * when a preload is missing.
     */
    List<String> nodeArgs(AppConfig config, AppChannels.Channel channel) throws IOException {
        if (!config.isNode()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(config.ecosystem().runAs() == null ? channels.nodeArgs() : List.of());
        if (channel != null) {
            args.addAll(channel.nodeArgs());
            if (config.ecosystem().pmx()) {
                args.addAll(channels.metricsArgs()); // its reports go over the channel
            }
        }
        if (config.ecosystem().trace() && config.ecosystem().runAs() == null) {
            // last: jpm's own preloads have connected untraced; the script's requires are hooked all the same
            args.addAll(channels.traceArgs());
        }
        if (sourceMaps(config)) {
            args.add("--enable-source-maps");
        }
        return args;
    }

    /**
     * pm2's source map support (its container loads source-map-support): on with
     * {@code source_map_support}, or when the script has a {@code .map} beside it; off with
     * {@code disable_source_map_support}. node does it itself with --enable-source-maps (blocking: looks
     * for the .map).
     */
    static boolean sourceMaps(AppConfig config) {
        BlockingCall.check("a look for " + config.script() + ".map");
        JsonObject source = config.source();
        if (isTrue(source.getValue("disable_source_map_support"))) {
            return false;
        }
        return isTrue(source.getValue("source_map_support")) || Files.isRegularFile(Path.of(config.script() + ".map"));
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    /** Asks a stopping run to shut down by message; false when it cannot hear one (then signal it). */
    boolean shutdownByMessage(Instance instance) {
        return byMessage(instance.config())
                && instance.channel() != null
                && instance.channel().send("shutdown");
    }

    /** Closes the channels of an ended run. */
    static void close(Instance instance) {
        if (instance.channel() != null) {
            instance.channel().close();
            instance.run().dropChannel();
        }
    }
}
