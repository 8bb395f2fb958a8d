package io.jpm.god;

import io.jpm.protocol.LogChunk;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;

/**
 * Carries one run's output to the LogAggregator (through an {@link OutputShipper} per stream,
 * which holds the back-pressure); its exit goes back to God through the {@link Custody}. Runs on
 * launcher threads, so it touches no instance state, only its own fixed fields.
 */
final class OutputRelay implements Custody.Output {
  private final OutputShipper out;
  private final OutputShipper err;

  OutputRelay(Vertx vertx, Instance instance, long run) {
    String options = instance.config().logs().writerOptions(instance.combinedLog()).encode();
    this.out = new OutputShipper(vertx, new LogChunk(instance.name(), instance.pmId, LogChunk.STDOUT, instance.outLog, options, run));
    this.err = new OutputShipper(vertx, new LogChunk(instance.name(), instance.pmId, LogChunk.STDERR, instance.errLog, options, run));
  }

  @Override
  public void onOutput(boolean isErr, ByteBuffer bytes) {
    (isErr ? err : out).ship(bytes);
  }

  @Override
  public void onOutputEnd(boolean isErr) {
    (isErr ? err : out).end();
  }
}
