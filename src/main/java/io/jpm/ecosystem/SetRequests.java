package io.jpm.ecosystem;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.verticle.Reply;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code jpm.cmd.set}'s requests, read into {@link ConfEdits.Edit}s and written by {@link ConfEdits};
 * handled on the config watcher's worker, so the file I/O blocks no event loop.
 */
final class SetRequests {
    private static final Logger LOG = Logger.getLogger("jpm.config");

    /** Null without a settings file. */
    private final ConfEdits confEdits;

    SetRequests(ConfEdits confEdits) {
        this.confEdits = confEdits;
    }

    /**
     * {@code jpm set/unset/multiset}: jpm.json and module_conf.json edited by {@link ConfEdits}, only
     * when every key and value is good; the settings watch then applies jpm.json like any edit.
     */
    void handle(Message<JsonObject> m) {
        try {
            if (confEdits == null) {
                throw new JpmException(JpmError.UNAVAILABLE, "this daemon runs without a settings file");
            }
            List<ConfEdits.Edit> edits = edits(m.body());
            JsonObject done = confEdits.apply(edits);
            edits.forEach(e -> LOG.info(() ->
                    (e.value() == null ? "unset " : "set ") + e.key() + (e.value() == null ? "" : " = " + e.value())));
            m.reply(Reply.ok(done));
        } catch (JpmException e) {
            Reply.fail(m, e);
        } catch (IOException e) {
            Reply.fail(m, new JpmException(JpmError.INTERNAL, "cannot write the settings: " + e.getMessage()));
        }
    }

    /** {@code {"key":..,"value":..}}, or {@code {"pairs":[{"key":..,"value":..},..]}} for multiset. */
    private static List<ConfEdits.Edit> edits(JsonObject body) {
        JsonArray pairs = body.getJsonArray("pairs", new JsonArray().add(body));
        List<ConfEdits.Edit> edits = new ArrayList<>();
        for (Object pair : pairs) {
            JsonObject p = pair instanceof JsonObject o ? o : new JsonObject();
            Object value = p.getValue("value");
            edits.add(new ConfEdits.Edit(p.getString("key", ""), value == null ? null : String.valueOf(value)));
        }
        if (edits.isEmpty()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "no key to set");
        }
        return edits;
    }
}
