package io.jpm.persist;

import io.jpm.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The restores persistence sends God ({@link Addresses#INTERNAL_GOD_RESTORE}), each with a word God
 * tells back on {@link Addresses#INTERNAL_GOD_RESTORE_BEGUN} once its apps are in the table: the
 * daemon's start waits for that, not for each app to be online. Runs on persistence's context.
 */
final class RestoreRequests {
    private static final Logger LOG = Logger.getLogger("jpm.persist");

    /** God's reply waits for every app to be online or to give up: wait_ready apps take their listen_timeout. */
    private static final long RESTORE_TIMEOUT_MS = 120_000;

    private final Vertx vertx;
    private final Runnable allEnded;
    /** The restores sent and not begun yet, by their word. */
    private final Map<String, Promise<Void>> begun = new HashMap<>();

    private int sent;
    /**
     * The restores under way: a count, not a flag, as a file's restore wraps a send and a resurrect may
     * come while the start's restore runs: the first end must not tell that none is left.
     */
    private int running;

    /** {@code allEnded} runs when the last restore under way ends (persistence's auto-dump waited). */
    RestoreRequests(Vertx vertx, Runnable allEnded) {
        this.vertx = vertx;
        this.allEnded = allEnded;
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_GOD_RESTORE_BEGUN, m -> {
            Promise<Void> restore = begun.remove(m.body().getString("restore"));
            if (restore != null) {
                restore.tryComplete();
            }
        });
    }

    /** Restores the apps of {@code from}, read on a worker; a {@code handover} gives their pm_ids back. */
    Adoption.Restoring of(DumpFile from, boolean handover) {
        running++;
        Promise<Void> begunToo = Promise.promise();
        Future<JsonObject> done = vertx.executeBlocking(from::read, false)
                .compose(read -> {
                    LOG.info(() -> "resurrecting " + read.apps().size() + " app(s) from " + read.from());
                    Adoption.Restoring restore =
                            send(new JsonObject().put("apps", read.apps()).put("handover", handover), read.from());
                    restore.begun().onComplete(ar -> begunToo.tryComplete());
                    return restore.done();
                })
                .onComplete(ar -> {
                    ended();
                    begunToo.tryComplete();
                });
        return new Adoption.Restoring(begunToo.future(), done);
    }

    /** Sends God this restore request, read from {@code from}. */
    Adoption.Restoring send(JsonObject request, Path from) {
        running++;
        String word = "restore-" + ++sent;
        Promise<Void> restore = Promise.promise();
        begun.put(word, restore);
        Future<JsonObject> done = vertx.eventBus()
                .<JsonObject>request(
                        Addresses.INTERNAL_GOD_RESTORE,
                        request.put("begun", word),
                        new DeliveryOptions().setSendTimeout(RESTORE_TIMEOUT_MS))
                .map(reply -> reply.body().getJsonObject("data").put("from", from.toString()))
                .onComplete(ar -> {
                    ended();
                    begun.remove(word);
                    restore.tryComplete();
                });
        return new Adoption.Restoring(restore.future(), done);
    }

    /** Whether a restore is under way: a half-restored table must not replace the dump. */
    boolean running() {
        return running > 0;
    }

    private void ended() {
        if (--running == 0) {
            allEnded.run();
        }
    }
}
