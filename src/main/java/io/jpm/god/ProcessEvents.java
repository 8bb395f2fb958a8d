package io.jpm.god;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEvent;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where an instance's lifecycle events go: published on {@link Addresses#EVENTS_PROCESS}, and its
 * pid file kept.
 */
final class ProcessEvents {
    private final Vertx vertx;
    private final PidFiles pidFiles;
    /** Who else hears every event, after it is published (socket mode's release of unused sockets). */
    private final List<Consumer<ProcessEvent>> observers = new CopyOnWriteArrayList<>();

    ProcessEvents(Vertx vertx, PidFiles pidFiles) {
        this.vertx = vertx;
        this.pidFiles = pidFiles;
    }

    /** The events of an instance whose pid file is {@code pidFile}. */
    Consumer<ProcessEvent> of(String pidFile) {
        return event -> {
            vertx.eventBus().publish(Addresses.EVENTS_PROCESS, Plain.json(event.toMap()), LocalBus.only());
            pidFiles.onEvent(event, pidFile);
            observers.forEach(o -> o.accept(event));
        };
    }

    void observe(Consumer<ProcessEvent> observer) {
        observers.add(observer);
    }
}
