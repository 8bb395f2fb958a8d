package io.jpm.logs;

import io.jpm.config.LogOptions;
import io.jpm.config.LogRotationPolicy;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.protocol.StreamJournal;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * LogAggregator: owns every app log file. Receives raw output chunks from God's launcher relay,
 * writes them line by line to the files God named (pm2's names), rotates them, truncates them on
 * {@code jpm flush}, reopens them on {@code jpm reloadLogs}, and publishes live lines on
 * {@code jpm.events.log} while someone listens.
 *
 * <p>Deployed as a worker verticle: its file writes block a worker thread, never an event loop,
 * and messages are handled one at a time, in order. Each chunk is released once written
 * ({@link OutputChunk#release()}); the relay waits for those releases when its budget is spent,
 * which is the back-pressure (see God's StreamShipper).
 *
 * <p>Config: {@code {"home":..,"host":..,"logs":{"max_size":"10M","retain":10,"compress":false,
 * "rotate_interval":0}}}; a new "logs" section published on {@code jpm.internal.settings} applies
 * to every open file.
 */
public final class LogAggregatorVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.logs");
    /** How often live lines are sent out as one batch. */
    private static final long LIVE_TICK_MS = 100;
    /**
     * How long the start of a line may wait for its end before it is written as it is: long enough
     * for the rest of a line split across two reads, short enough that a prompt or a line never
     * ended shows at once (pm2 writes every chunk as it comes).
     */
    static final long HELD_LINE_MS = 500;

    /** Open files by path: streams that share a path share the file. */
    private final Map<String, LogFile> files = new HashMap<>();
    /** How many streams write to each open file. */
    private final Map<LogFile, Integer> users = new HashMap<>();
    /** Writers by stream (its header: pm_id, run, stream, path...): a stream's bytes only ever go to its own line buffer. */
    private final Map<LogChunk, StreamWriter> writers = new HashMap<>();
    /** Per-app rotation settings of each file (from the chunk's options), over the daemon-wide ones. */
    private final Map<LogFile, JsonObject> overrides = new HashMap<>();

    private LogRotationPolicy base = LogRotationPolicy.defaults();

    private LiveLines live;
    private final RecentOutput recent = new RecentOutput();
    /** The stacks in the apps' error output, for the exceptions view. */
    private StackFinder stacks;
    /** The one-shot timers of the next live batch and of the next look at held lines; -1 when none runs. */
    private long liveTimer = -1;

    private long heldTimer = -1;
    /** JPM_HOME: log files inside it are opened without following a link (docs/SECURITY.md); null in unit tests. */
    private Path home;

    private boolean insideHome(String file) {
        return home != null && Path.of(file).toAbsolutePath().normalize().startsWith(home);
    }

    @Override
    public Future<?> start() {
        live = new LiveLines(config().getString("host", "localhost"));
        stacks = new StackFinder(vertx);
        home = config().containsKey("home")
                ? Path.of(config().getString("home")).toAbsolutePath().normalize()
                : null;
        applySettings(config().getJsonObject("logs"));
        var bus = vertx.eventBus();
        bus.<OutputChunk>localConsumer(Addresses.INTERNAL_LOG_CHUNK, this::onChunk);
        bus.<JsonObject>localConsumer(Addresses.CMD_FLUSH, this::onFlush);
        bus.<JsonObject>localConsumer(
                Addresses.QUERY_LOGS, new LogHistory(vertx, live, this::publishLive, this::recentLines)::answer);
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_LOGS_RECENT, this::onRecent);
        bus.<JsonObject>localConsumer(
                Addresses.CMD_RELOAD_LOGS, m -> m.reply(Reply.ok(new JsonObject().put("reopened", reopen()))));
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_LOGS_LISTENERS, m -> {
            int count = live.listeners(
                    m.body().getString("source", "bridge"), m.body().getInteger("count", 0));
            LOG.info(() -> "live log lines: " + count + " listener(s)" + (count == 0 ? ", none built" : ""));
        });
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            if (m.body() != null && m.body().containsKey("logs")) {
                applySettings(m.body().getJsonObject("logs"));
            }
        });
        return Future.succeededFuture();
    }

    private void applySettings(JsonObject section) {
        try {
            base = LogRotationPolicy.fromSettings(section);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "settings: logs." + e.getMessage() + "; keeping the previous log settings");
            return;
        }
        overrides.forEach((file, o) -> file.policy(policyFor(o)));
    }

    private LogRotationPolicy policyFor(JsonObject o) {
        return base.with(
                o.getLong(AppOption.MAX_SIZE.key),
                o.getInteger(AppOption.RETAIN.key),
                o.getBoolean(AppOption.COMPRESS.key),
                o.getLong(AppOption.ROTATE_INTERVAL.key));
    }

    /**
     * Writes one chunk, then releases it: from then on nothing here reads its array (a partial line
     * and live lines were copied out), so the sender may reuse it; the release also lets the sender
     * send its next chunk at once. Released on failure too: the bytes are not read any more either way.
     */
    private void onChunk(Message<OutputChunk> m) {
        OutputChunk chunk = m.body();
        LogChunk stream = chunk.header();
        long now = System.currentTimeMillis();
        try {
            StreamWriter writer = writers.computeIfAbsent(stream, this::open);
            // a chunk given up by its sender meanwhile is not its journal's any more
            StreamJournal journal = chunk.settled() ? null : chunk.journal();
            writer.journal = journal;
            if (journal != null) {
                journal.taken(chunk.length());
                journal.writing(writer.sizes());
            }
            try {
                if (chunk.length() > 0) {
                    recent.add(stream.app(), stream.pmId(), stream.stream(), chunk.bytes(), chunk.length());
                    writer.write(chunk.bytes(), chunk.length(), live, now);
                }
                stacks.chunk(stream, chunk.bytes(), chunk.length(), chunk.eof(), chunk.duringStop());
            } finally {
                try {
                    if (chunk.eof()) { // a failed write (a full disk) must not keep the stream's files open
                        writers.remove(stream);
                        end(writer, now);
                    }
                } finally {
                    if (journal != null) { // written, or given up (a full disk): done with either way
                        journal.written(writer.heldBytes());
                    }
                }
            }
            if (live.full()) {
                publishLive();
            }
            armTimers(writer);
            chunk.release();
            m.reply(null);
        } catch (IOException | RuntimeException e) {
            chunk.release();
            armTimers(null); // the lines taken before the failure still go out
            LOG.warning(
                    () -> "cannot write " + stream.app() + " " + stream.stream() + " to " + stream.path() + ": " + e);
            m.fail(JpmError.INTERNAL.code(), "cannot write " + stream.path() + ": " + e.getMessage());
        }
    }

    private StreamWriter open(LogChunk chunk) {
        JsonObject options = new JsonObject(chunk.options());
        List<LogFile> targets = new ArrayList<>(2);
        for (String path : LogOptions.files(chunk, options)) {
            LogFile file = files.computeIfAbsent(path, p -> new LogFile(Path.of(p), base, insideHome(p)));
            overrides.put(file, options);
            file.policy(policyFor(options));
            users.merge(file, 1, Integer::sum);
            targets.add(file);
        }
        LineFormat format = LineFormat.of(
                options.getString("date"),
                options.getBoolean("json", false),
                chunk.stream(),
                chunk.pmId(),
                chunk.app());
        return new StreamWriter(chunk.app(), chunk.pmId(), chunk.stream(), targets, format);
    }

    private void end(StreamWriter writer, long now) throws IOException {
        try {
            writer.end(live, now);
        } finally {
            close(writer);
        }
    }

    /** The stream has ended: files nobody writes any more are closed. */
    private void close(StreamWriter writer) throws IOException {
        for (LogFile file : writer.targets()) {
            if (users.merge(file, -1, Integer::sum) <= 0) {
                users.remove(file);
                overrides.remove(file);
                files.remove(file.path().toString());
                file.close();
            }
        }
    }

    /**
     * Lines came (or a line was left unfinished): the live batch goes out at the next tick, and held
     * lines are looked at again. One-shot timers armed only then, so an idle daemon does not wake up
     * ten times a second for nothing.
     */
    private void armTimers(StreamWriter writer) {
        if (liveTimer < 0 && live.pending()) {
            liveTimer = vertx.setTimer(LIVE_TICK_MS, t -> {
                liveTimer = -1;
                publishLive();
            });
        }
        if (heldTimer < 0 && writer != null && writer.holdsLineSince(Long.MAX_VALUE)) {
            heldTimer = vertx.setTimer(HELD_LINE_MS / 2, t -> {
                heldTimer = -1;
                writeHeldLines();
            });
        }
    }

    /** The unfinished lines nothing has followed for {@link #HELD_LINE_MS}, written as they are. */
    private void writeHeldLines() {
        long now = System.currentTimeMillis();
        StreamWriter stillHeld = null;
        for (StreamWriter writer : writers.values()) {
            if (!writer.holdsLineSince(now - HELD_LINE_MS)) {
                if (writer.holdsLineSince(Long.MAX_VALUE)) {
                    stillHeld = writer; // too young yet: looked at again at the next tick
                }
                continue;
            }
            StreamJournal journal = writer.journal;
            if (journal != null) {
                journal.writing(writer.sizes());
            }
            try {
                writer.writeHeld(now - HELD_LINE_MS, live, now);
            } catch (IOException e) {
                LOG.warning(() -> "cannot write " + writer.app + " " + writer.stream + ": " + e.getMessage());
            } finally {
                if (journal != null) {
                    journal.written(writer.heldBytes());
                }
            }
        }
        armTimers(stillHeld);
    }

    private void publishLive() {
        JsonObject batch = live.take();
        if (batch != null) {
            vertx.eventBus().publish(Addresses.EVENTS_LOG, batch, LocalBus.only());
        }
    }

    /** Some instances' last lines in the order read; what is pending goes out first, so {@code seq} marks the cut. */
    private void onRecent(Message<JsonObject> m) {
        List<Integer> pmIds = new ArrayList<>();
        m.body().getJsonArray("pm_ids", new JsonArray()).forEach(id -> pmIds.add(((Number) id).intValue()));
        publishLive();
        JsonObject answer = recentLines(pmIds, m.body().getInteger("lines", 50));
        m.reply(Reply.ok(answer.put("seq", live.seq())));
    }

    /** {"lines":[..],"kept"}: the last {@code n} lines of these instances in the order read (another host's ask too). */
    private JsonObject recentLines(List<Integer> pmIds, int n) {
        JsonArray lines = new JsonArray();
        recent.lines(pmIds, Math.max(0, Math.min(n, LiveLines.MAX_BATCH)))
                .forEach(line -> lines.add(new JsonObject(line.toMap())));
        return new JsonObject().put("lines", lines).put("kept", recent.has(pmIds));
    }

    /** {@code jpm flush [targets]}: truncates the log files of the targets (their paths from God's {@code jpm.internal.god.logFiles}). */
    private void onFlush(Message<JsonObject> m) {
        JsonObject body = m.body() == null ? new JsonObject() : m.body();
        JsonArray targets = body.getJsonArray("targets", new JsonArray());
        JsonObject query = new JsonObject()
                .put("targets", targets.isEmpty() ? new JsonArray().add("all") : targets)
                .put("cwd", body.getString("cwd"));
        vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_LOG_FILES, query)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Reply.fail(m, ar.cause());
                        return;
                    }
                    Set<String> paths = new LinkedHashSet<>();
                    ar.result()
                            .body()
                            .getJsonObject("data")
                            .getJsonArray("paths", new JsonArray())
                            .forEach(p -> paths.add((String) p));
                    JsonArray flushed = new JsonArray();
                    try {
                        for (String path : paths) {
                            LogFile open = files.get(path);
                            (open != null ? open : new LogFile(Path.of(path), base, insideHome(path))).truncate();
                            flushed.add(path);
                        }
                        forgetRecent(paths);
                        m.reply(Reply.ok(flushed));
                    } catch (IOException e) {
                        Reply.fail(m, new JpmException(JpmError.INTERNAL, "cannot flush " + e.getMessage()));
                    }
                });
    }

    /** What was flushed is not shown again from memory either: the instances writing to those files. */
    private void forgetRecent(Set<String> paths) {
        writers.forEach((stream, writer) -> {
            if (writer.targets().stream().anyMatch(f -> paths.contains(f.path().toString()))) {
                recent.forget(stream.pmId());
            }
        });
    }

    /** {@code jpm reloadLogs}: closes every file; each reopens (or is created again) on its next line. */
    private int reopen() {
        int n = 0;
        for (LogFile file : files.values()) {
            try {
                file.close();
                n++;
            } catch (IOException e) {
                LOG.warning(() -> "cannot close " + file.path() + ": " + e.getMessage());
            }
        }
        LOG.info("reloadLogs: " + n + " log files reopened");
        return n;
    }

    @Override
    public Future<?> stop() {
        long now = System.currentTimeMillis();
        for (StreamWriter writer : writers.values()) {
            try {
                writer.end(live, now);
            } catch (IOException e) {
                LOG.warning(() -> "cannot end a log stream: " + e.getMessage());
            }
        }
        writers.clear();
        for (LogFile file : files.values()) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warning(() -> "cannot close a log file: " + e.getMessage());
            }
        }
        files.clear();
        return Future.succeededFuture();
    }
}
