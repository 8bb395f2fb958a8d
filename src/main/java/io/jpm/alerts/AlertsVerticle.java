package io.jpm.alerts;

import io.jpm.config.AlertSettings;
import io.jpm.config.AlertSettings.When;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.Reasons;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Alerts and the exceptions view. The rules of jpm.json's {@code alerts} section ({@link RuleBook}) are
 * judged on the daemon's events as they come: process events (restarts, errored), health verdicts,
 * Satan's samples (memory, cpu) and the apps' exceptions, which are also grouped for the view
 * ({@link ExceptionGroups}): stacks found in their error output (the LogAggregator's
 * {@code jpm.internal.exceptions.stack}) and @pm2/io's {@code process:exception}. An alert is listed
 * ({@link AlertLog}), published on {@code jpm.events.alert} and posted to its webhooks ({@link Webhooks});
 * at a start, what the daemon before this one left on its way to a webhook is posted again.
 * It wakes for nothing of its own but one timer while a restart rule fires (when the restarts leave the
 * rule's window, to say it is resolved) and one after a change, to write what changed
 * ({@link AlertFiles}: the alert log, the rules' state and the exception groups, kept over a
 * restart), at most every {@link #SAVE_EVERY_MS}, and at a stop.
 *
 * <p>Config: {@code {"home":..., "host":..., "alerts":{...}}}; a new {@code alerts} section on
 * {@code jpm.internal.settings} applies at once (the rules' state starts over; the lists stay).
 */
public final class AlertsVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.alerts");
    private static final String SECTION = "alerts";
    /** God's names of the instances are asked again at most this often, for a sample's unknown pm_id. */
    private static final long NAMES_EVERY_MS = 5_000;

    /** Files are written at most this often: a flapping app or a throwing loop costs one write per period. */
    static final long SAVE_EVERY_MS = 2_000;

    private String host;
    private JsonObject section;
    private RuleBook book;
    private final AppWatch apps = new AppWatch();
    private AlertLog log = new AlertLog();
    private ExceptionGroups exceptions = new ExceptionGroups();
    private Webhooks webhooks;
    private SecretLookup secrets;
    private AlertFiles files;
    private long restartTimer = -1;
    private long restartCheckAt;
    private long namesAskedAt = Long.MIN_VALUE / 2;
    /** The alert log (or a delivery, or the rules' state with it) changed since the last write. */
    private boolean alertsChanged;
    /** The exception groups changed since the last write. */
    private boolean exceptionsChanged;
    /** The next write's timer; -1 when none is due. */
    private long saveTimer = -1;
    /** The last write failed: told once, until one succeeds. */
    private boolean saveFailed;

    @Override
    public Future<?> start() {
        host = config().getString("host", "localhost");
        webhooks = new Webhooks(vertx, host);
        secrets = new SecretLookup(vertx);
        files = new AlertFiles(new JpmHome(Path.of(config().getString("home"))));
        return vertx.executeBlocking(files::load, false)
                .recover(e -> Future.succeededFuture(new AlertFiles.Loaded(
                        new AlertLog(),
                        new ExceptionGroups(),
                        CarriedRules.none(),
                        List.of("cannot read alerts.json and exceptions.json: " + Reasons.of(e)))))
                .map(loaded -> {
                    loaded.problems().forEach(p -> LOG.warning("alerts: " + p));
                    log = loaded.log();
                    exceptions = loaded.exceptions();
                    apply(config().getJsonObject(SECTION, new JsonObject()));
                    book.takeOver(loaded.rules());
                    resend();
                    listen();
                    armRestartCheck();
                    askNames(System.currentTimeMillis());
                    return null;
                });
    }

    private void listen() {
        var bus = vertx.eventBus();
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            if (m.body() != null) {
                apply(m.body().getJsonObject(SECTION, new JsonObject()));
            }
        });
        bus.<JsonObject>localConsumer(
                Addresses.EVENTS_PROCESS, m -> emit(apps.process(ProcessEvent.from(Plain.map(m.body())), book)));
        bus.<JsonObject>localConsumer(
                Addresses.EVENTS_HEALTH, m -> emit(apps.health(HealthEvent.from(Plain.map(m.body())), book)));
        bus.<JsonObject>localConsumer(Addresses.EVENTS_METRICS, m -> onSample(m.body()));
        bus.<JsonObject>localConsumer(Addresses.EVENTS_APP_MESSAGE, m -> {
            JsonObject reported = ReportedException.of(m.body());
            if (reported != null) {
                onException(reported);
            }
        });
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_EXCEPTIONS_STACK, m -> onException(m.body()));
        handle(
                Addresses.QUERY_ALERTS,
                body -> Future.succeededFuture(AlertsAnswer.of(
                        host, book, log, webhooks.dropped(), body.getInteger("limit", AlertLog.MAX_ALERTS))));
        handle(
                Addresses.QUERY_EXCEPTIONS,
                body -> Future.succeededFuture(exceptions
                        .answer(body.getString("app"), body.getInteger("limit", ExceptionGroups.MAX_GROUPS))
                        .put("host", host)));
        handleLocal(Addresses.INTERNAL_ALERTS_WRITE, body -> save().map(v -> new JsonObject()));
    }

    /** A section that did not change (another section's edit) keeps the rules' state. */
    private void apply(JsonObject next) {
        if (next.equals(section)) {
            return;
        }
        try {
            AlertSettings settings = AlertSettings.parse("jpm.json", next);
            section = next.copy();
            book = new RuleBook(settings, book == null ? log.lastId() : book.nextId());
            webhooks.use(settings.webhooks());
            LOG.info(() -> "alerts: " + settings.rules().size() + " rule(s), "
                    + settings.webhooks().size() + " webhook(s)");
        } catch (JpmException e) {
            // the config watcher refused it before it came here; a section read at the start is checked the same
            LOG.warning(() -> e.getMessage() + "; keeping the previous alert rules");
            if (book == null) {
                book = new RuleBook(AlertSettings.none(), log.lastId());
            }
        }
    }

    private void onSample(JsonObject body) {
        if (!book.watches(When.MEMORY) && !book.watches(When.CPU)) {
            return;
        }
        MetricsSample sample = MetricsSample.from(Plain.map(body));
        Set<Integer> unknown = new HashSet<>();
        emit(apps.sample(sample, book, unknown));
        if (!unknown.isEmpty()) {
            askNames(sample.time());
        }
    }

    /** The instances' names from God, for apps that ran before this verticle heard their events. */
    private void askNames(long now) {
        if (now - namesAskedAt < NAMES_EVERY_MS) {
            return;
        }
        namesAskedAt = now;
        vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_FIGURES, new JsonObject())
                .onSuccess(reply -> reply.body()
                        .getJsonObject("data", new JsonObject())
                        .getJsonArray("instances", new JsonArray())
                        .forEach(i -> {
                            JsonObject instance = (JsonObject) i;
                            apps.name(instance.getInteger("pm_id"), instance.getString("name"));
                        }));
    }

    /** An exception is grouped and alerted with the app's secrets left out of it ({@link EnvSecrets}). */
    private void onException(JsonObject e) {
        long time = e.getLong("time", System.currentTimeMillis());
        String app = e.getString("app");
        secrets.of(app, time).onSuccess(s -> onException(e, s, app, time));
    }

    private void onException(JsonObject e, EnvSecrets secrets, String app, long time) {
        String message = secrets.mask(app, e.getString("message", ""));
        String place = secrets.mask(app, e.getString("place", ""));
        String stack = secrets.mask(app, e.getString("stack", ""));
        exceptions.add(app, e.getInteger("pm_id", -1), message, place, stack, e.getString("source"), time);
        exceptionsChanged = true;
        saveSoon();
        String text = app + " threw " + ExceptionGroups.cut(message, 300) + (place.isEmpty() ? "" : " " + place);
        emit(book.exception(app, text, time));
    }

    /** Lists, publishes and posts each alert; a restart rule that fires gets its timer. */
    private void emit(List<Alert> alerts) {
        if (!alerts.isEmpty()) {
            alertsChanged = true;
            saveSoon();
        }
        for (Alert alert : alerts) {
            JsonObject entry = log.add(alert, host);
            vertx.eventBus().publish(Addresses.EVENTS_ALERT, alert.toJson(host), LocalBus.only());
            LOG.info(() -> "alert " + alert.rule() + " " + alert.status() + ": " + alert.text());
            book.settings().rules().stream()
                    .filter(r -> r.name().equals(alert.rule()))
                    .findFirst()
                    .ifPresent(rule -> rule.to().forEach(hook -> webhooks.send(hook, alert, outcomeIn(entry))));
        }
        armRestartCheck();
    }

    /**
     * Sends again, in their order, the deliveries the daemon before this one ended with (queued or on
     * their way, listed "waiting"); one to a webhook no longer configured is settled instead.
     */
    private void resend() {
        AlertLog.Unfinished unfinished =
                log.unfinished(book.settings().webhooks().keySet());
        unfinished.unsent().forEach(u -> webhooks.send(u.webhook(), u.alert(), outcomeIn(u.entry())));
        if (unfinished.settled()) {
            alertsChanged = true;
            saveSoon();
        }
    }

    /** Where a delivery's outcome goes: its alert's entry, written soon. */
    private BiConsumer<String, String> outcomeIn(JsonObject entry) {
        return (webhook, status) -> {
            entry.getJsonObject("deliveries").put(webhook, status);
            alertsChanged = true;
            saveSoon();
        };
    }

    /** One timer, at the time the soonest firing restart rule may clear; none while none fires. */
    private void armRestartCheck() {
        long now = System.currentTimeMillis();
        long at = book.nextRestartCheck(now);
        if (at < 0 || restartTimer >= 0 && restartCheckAt <= at) {
            return;
        }
        if (restartTimer >= 0) {
            vertx.cancelTimer(restartTimer);
        }
        restartCheckAt = at;
        restartTimer = vertx.setTimer(Math.max(1, at - now + 1), t -> {
            restartTimer = -1;
            emit(book.judgeRestarts(System.currentTimeMillis()));
        });
    }

    /** A write within {@link #SAVE_EVERY_MS}, unless one is due already. */
    private void saveSoon() {
        if (saveTimer < 0) {
            saveTimer = vertx.setTimer(SAVE_EVERY_MS, t -> {
                saveTimer = -1;
                save();
            });
        }
    }

    /**
     * Writes what changed on a worker, in the order asked; the snapshot is taken here, on the loop, so
     * the worker reads nothing this verticle changes. A failed write is told once (until one succeeds).
     */
    private Future<Void> save() {
        if (saveTimer >= 0) {
            vertx.cancelTimer(saveTimer);
            saveTimer = -1;
        }
        JsonArray alerts = alertsChanged ? log.newest(AlertLog.MAX_ALERTS) : null;
        CarriedRules rules = alertsChanged ? book.carry(System.currentTimeMillis()) : null;
        JsonObject groups = exceptionsChanged ? exceptions.save() : null;
        alertsChanged = false;
        exceptionsChanged = false;
        if (alerts == null && groups == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(
                        () -> {
                            if (alerts != null) {
                                files.writeAlerts(alerts, rules);
                            }
                            if (groups != null) {
                                files.writeExceptions(groups);
                            }
                            return null;
                        },
                        true)
                .onComplete(ar -> {
                    if (ar.failed() && !saveFailed) {
                        LOG.warning(
                                "alerts: cannot write " + Reasons.of(ar.cause()) + " (they stay in memory; told once)");
                    }
                    saveFailed = ar.failed();
                })
                .mapEmpty();
    }

    @Override
    public Future<?> stop() {
        // a request the close cuts fails after this write: listed "waiting", it is sent again by the next daemon
        webhooks.close();
        return save();
    }
}
