package io.jpm.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The verticle liveness contract: a verticle answers {@code jpm.internal.<name>.ping} with
 * {@link Reply#ok} from its own thread, so Satan learns when that thread stops serving messages.
 * With {@code -Djpm.testHooks=true} a test can make the verticle stop answering for real: a file
 * {@code JPM_HOME/test-hang-<name>} holding a number of milliseconds stalls that verticle's thread
 * that long (the file is looked for every 200 ms, only in that mode), as does a message to
 * {@code jpm.internal.<name>.test.hang}.
 */
public final class Liveness {
  private Liveness() {}

  public static final String TEST_HOOKS_PROPERTY = "jpm.testHooks";

  /** Registers the ping (and the test hook when enabled); call from the verticle's start. */
  public static void answer(Vertx vertx, String pingAddress) {
    vertx.eventBus().<JsonObject>consumer(pingAddress, m -> m.reply(Reply.ok(new JsonObject())));
    if (Boolean.getBoolean(TEST_HOOKS_PROPERTY)) {
      String prefix = pingAddress.substring(0, pingAddress.lastIndexOf('.'));
      vertx.eventBus().<JsonObject>consumer(prefix + Addresses.INTERNAL_TEST_HANG_SUFFIX, m -> {
        m.reply(Reply.ok(new JsonObject()));
        stall(m.body().getLong("ms", 10_000L));
      });
      Path trigger = JpmHome.fromEnvironment().root().resolve("test-hang-" + prefix.substring(prefix.lastIndexOf('.') + 1));
      vertx.setPeriodic(200, t -> {
        try {
          if (Files.exists(trigger)) {
            long ms = Long.parseLong(Files.readString(trigger).trim());
            Files.delete(trigger);
            stall(ms);
          }
        } catch (IOException | NumberFormatException e) {
          // a half-written trigger is read again on the next tick
        }
      });
    }
  }

  /** A real stall of the calling thread: the fault the test hook injects. */
  private static void stall(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
