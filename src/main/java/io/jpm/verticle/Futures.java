package io.jpm.verticle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Future helpers Vert.x does not have. */
public final class Futures {
    private Futures() {}

    /**
     * Runs {@code action} on each item, at most {@code parallel} at a time (0 or less: all at once),
     * the next one started as soon as one completes. All at once, the result is {@code Future.join}'s
     * (failed when one failed); with a limit it succeeds once every action has completed, whatever
     * each outcome (pm2's {@code --parallel} goes on past a failed restart). Call it on one event
     * loop: the actions' completions are expected on it.
     */
    public static <T> Future<Void> eachAtMost(List<T> items, int parallel, Function<T, Future<?>> action) {
        if (parallel <= 0 || parallel >= items.size()) {
            return Future.join(items.stream().map(action).toList()).mapEmpty();
        }
        return new Window<>(items.iterator(), parallel, action).start();
    }

    /** The actions in flight: each completion makes room for the next item. */
    private static final class Window<T> {
        private final Iterator<T> next;
        private final int parallel;
        private final Function<T, Future<?>> action;
        private final Promise<Void> done = Promise.promise();
        private int running;

        Window(Iterator<T> next, int parallel, Function<T, Future<?>> action) {
            this.next = next;
            this.parallel = parallel;
            this.action = action;
        }

        Future<Void> start() {
            fill();
            return done.future();
        }

        private void fill() {
            while (running < parallel && next.hasNext()) {
                running++;
                action.apply(next.next()).onComplete(ar -> {
                    running--;
                    if (!next.hasNext() && running == 0) {
                        done.tryComplete();
                    } else {
                        fill();
                    }
                });
            }
        }
    }
}
