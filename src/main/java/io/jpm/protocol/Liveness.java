package io.jpm.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The verticle liveness contract: a verticle answers {@code jpm.internal.<name>.ping} with
 * {@link Reply#ok} from its own thread, so Satan learns when that thread stops serving messages.
 * With {@code -Djpm.testHooks=true} a test can make the verticle stop answering for real: a message
 * {"ms":N} to {@code jpm.internal.<name>.test.hang} stalls that verticle's thread N ms (the daemon
 * sends it when a test writes the file {@code JPM_HOME/test-hang-<name>}).
 */
public final class Liveness {
  private Liveness() {}

  public static final String TEST_HOOKS_PROPERTY = "jpm.testHooks";

  /** Registers the ping (and the test hook when enabled); call from the verticle's start. */
  public static void answer(Vertx vertx, String pingAddress) {
    vertx.eventBus().<JsonObject>consumer(pingAddress, m -> m.reply(Reply.ok(new JsonObject())));
    testHooks(vertx, pingAddress);
  }

  /** Only the test hook, for a verticle that answers its ping itself; nothing without the property. */
  public static void testHooks(Vertx vertx, String pingAddress) {
    if (Boolean.getBoolean(TEST_HOOKS_PROPERTY)) {
      String prefix = pingAddress.substring(0, pingAddress.lastIndexOf('.'));
      vertx.eventBus().<JsonObject>consumer(prefix + Addresses.INTERNAL_TEST_HANG_SUFFIX, m -> {
        m.reply(Reply.ok(new JsonObject()));
        stall(m.body().getLong("ms", 10_000L));
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
