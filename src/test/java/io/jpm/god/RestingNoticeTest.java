package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance God registers without starting it publishes no process event, so God tells Satan of
 * it on {@link Addresses#INTERNAL_SATAN_RESTING}: its rules (a cron job's cron) hold as for one
 * that runs. A started instance needs no notice: its events tell Satan.
 */
class RestingNoticeTest extends GodFixture {
    private final List<JsonObject> notices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        god.vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SATAN_RESTING, m -> notices.add(m.body()));
    }

    @Test
    void anAppWithAutostartOffIsAnnouncedStoppedAndAStartedOneIsNot() {
        launcher.forApp("job", Script.runs());
        launcher.forApp("web", Script.runs());
        god.start(god.app("web"));
        god.awaitStatus("web", "online");
        god.start(god.app("job").put("autostart", false).put("cron_restart", "0 3 * * *"));

        Eventually.until("the notice of job", () -> !notices.isEmpty());
        assertEquals(List.of(new JsonObject().put("pm_id", 1).put("app", "job").put("status", "stopped")), notices);
        assertEquals(0, launcher.spawnsOf("job").size(), "registered, not started");
    }
}
