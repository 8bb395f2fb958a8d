package io.jpm.alerts;

import io.jpm.config.AlertSettings;
import io.jpm.config.AlertSettings.When;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Alerts and the exceptions view. The rules of jpm.json's {@code alerts} section ({@link RuleBook}) are
 * judged on the daemon's events as they come: process events (restarts, errored), health verdicts,
 * Satan's samples (memory, cpu) and the apps' exceptions, which are also grouped for the view
 * ({@link ExceptionGroups}): stacks found in their error output (the LogAggregator's
 * {@code jpm.internal.exceptions.stack}) and @pm2/io's {@code process:exception}. An alert is listed
 * ({@link AlertLog}), published on {@code jpm.events.alert} and posted to its webhooks ({@link Webhooks}).
 * It wakes for nothing of its own but one timer while a restart rule fires: when the restarts leave the
 * rule's window, to say it is resolved.
 *
 * <p>Config: {@code {"host":..., "alerts":{...}}}; a new {@code alerts} section on
 * {@code jpm.internal.settings} applies at once (the rules' state starts over; the lists stay).
 */
public final class AlertsVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.alerts");
    private static final String SECTION = "alerts";
    /** God's names of the instances are asked again at most this often, for a sample's unknown pm_id. */
    private static final long NAMES_EVERY_MS = 5_000;

    private String host;
    private JsonObject section;
    private RuleBook book;
    private final AppWatch apps = new AppWatch();
    private final AlertLog log = new AlertLog();
    private final ExceptionGroups exceptions = new ExceptionGroups();
    private Webhooks webhooks;
    private long restartTimer = -1;
    private long restartCheckAt;
    private long namesAskedAt = Long.MIN_VALUE / 2;

    @Override
    public Future<?> start() {
        host = config().getString("host", "localhost");
        webhooks = new Webhooks(vertx, host);
        apply(config().getJsonObject(SECTION, new JsonObject()));
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
        bus.<JsonObject>localConsumer(Addresses.EVENTS_APP_MESSAGE, m -> onAppMessage(m.body()));
        bus.<JsonObject>localConsumer(Addresses.INTERNAL_EXCEPTIONS_STACK, m -> onException(m.body()));
        handle(Addresses.QUERY_ALERTS, body -> Future.succeededFuture(alerts(body)));
        handle(
                Addresses.QUERY_EXCEPTIONS,
                body -> Future.succeededFuture(exceptions
                        .answer(body.getString("app"), body.getInteger("limit", ExceptionGroups.MAX_GROUPS))
                        .put("host", host)));
        askNames(System.currentTimeMillis());
        return Future.succeededFuture();
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
                book = new RuleBook(AlertSettings.none(), 0);
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

    /** @pm2/io's report of an error: {"message":{"type":"process:exception","data":{"message","stack",..}}}. */
    private void onAppMessage(JsonObject event) {
        if (!(event.getValue("message") instanceof JsonObject packet)
                || !"process:exception".equals(packet.getValue("type"))
                || !(packet.getValue("data") instanceof JsonObject data)) {
            return;
        }
        String stack = data.getValue("stack") instanceof String s ? s : "";
        String said = data.getValue("message") instanceof String m ? m : "";
        String first = stack.lines().findFirst().orElse("");
        // a stack's first line is "Name: message", as a stack in the error output begins
        String message = !first.isEmpty() && first.contains(said)
                ? first
                : (data.getValue("name") instanceof String n ? n + ": " : "") + (said.isEmpty() ? "error" : said);
        String place = stack.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("at "))
                .findFirst()
                .orElse("");
        onException(new JsonObject()
                .put("app", event.getString("app"))
                .put("pm_id", event.getInteger("pm_id", -1))
                .put("message", message)
                .put("place", place)
                .put("stack", stack)
                .put("source", "pm2io")
                .put("time", event.getLong("time", System.currentTimeMillis())));
    }

    private void onException(JsonObject e) {
        String app = e.getString("app");
        String message = e.getString("message", "");
        String place = e.getString("place", "");
        long time = e.getLong("time", System.currentTimeMillis());
        exceptions.add(
                app, e.getInteger("pm_id", -1), message, place, e.getString("stack", ""), e.getString("source"), time);
        String text = app + " threw " + ExceptionGroups.cut(message, 300) + (place.isEmpty() ? "" : " " + place);
        emit(book.exception(app, text, time));
    }

    /** Lists, publishes and posts each alert; a restart rule that fires gets its timer. */
    private void emit(List<Alert> alerts) {
        for (Alert alert : alerts) {
            JsonObject entry = log.add(alert, host);
            vertx.eventBus().publish(Addresses.EVENTS_ALERT, alert.toJson(host), LocalBus.only());
            LOG.info(() -> "alert " + alert.rule() + " " + alert.status() + ": " + alert.text());
            book.settings().rules().stream()
                    .filter(r -> r.name().equals(alert.rule()))
                    .findFirst()
                    .ifPresent(rule -> rule.to()
                            .forEach(hook ->
                                    webhooks.send(hook, alert, (name, status) -> entry.getJsonObject("deliveries")
                                            .put(name, status))));
        }
        armRestartCheck();
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

    private JsonObject alerts(JsonObject body) {
        JsonArray rules = new JsonArray();
        book.settings()
                .rules()
                .forEach(r -> rules.add(new JsonObject()
                        .put("name", r.name())
                        .put("when", r.when().word())
                        .put("apps", new JsonArray(List.copyOf(r.apps())))
                        .put("to", new JsonArray(r.to()))
                        .put("suppressed", book.suppressed().getOrDefault(r.name(), 0L))));
        JsonArray hooks = new JsonArray();
        book.settings()
                .webhooks()
                .values()
                .forEach(h -> hooks.add(new JsonObject()
                        .put("name", h.name())
                        .put("format", h.format().name().toLowerCase(java.util.Locale.ROOT))
                        .put("url", h.shown())));
        return new JsonObject()
                .put("host", host)
                .put("rules", rules)
                .put("webhooks", hooks)
                .put("alerts", log.newest(body.getInteger("limit", AlertLog.MAX_ALERTS)))
                .put("dropped_deliveries", webhooks.dropped());
    }

    @Override
    public Future<?> stop() {
        webhooks.close();
        return Future.succeededFuture();
    }
}
