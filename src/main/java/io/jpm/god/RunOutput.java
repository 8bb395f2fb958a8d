package io.jpm.god;

import io.jpm.protocol.LogChunk;
import io.jpm.protocol.StreamJournal;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;

/**
 * Carries one run's output to the LogAggregator (through a {@link StreamShipper} per stream,
 * which holds the back-pressure); its exit goes back to God through the {@link SpawnedChildren}. Runs on
 * launcher threads, so it touches no instance state, only its own fixed fields.
 */
final class RunOutput implements SpawnedChildren.Output {
    private final StreamShipper out;
    private final StreamShipper err;

    RunOutput(Vertx vertx, Instance instance, long run) {
        String options =
                instance.config().logs().writerOptions(instance.combinedLog()).encode();
        this.out = new StreamShipper(
                vertx, new LogChunk(instance.name(), instance.pmId, LogChunk.STDOUT, instance.outLog, options, run));
        this.err = new StreamShipper(
                vertx, new LogChunk(instance.name(), instance.pmId, LogChunk.STDERR, instance.errLog, options, run));
    }

    /** jpm is stopping the run on request (God's loop, before the signal): see {@link StreamShipper#stopAsked()}. */
    void stopAsked() {
        out.stopAsked();
        err.stopAsked();
    }

    @Override
    public void journal(boolean isErr, StreamJournal journal) {
        (isErr ? err : out).journal(journal);
    }

    @Override
    public void onOutput(boolean isErr, ByteBuffer bytes) {
        (isErr ? err : out).ship(bytes);
    }

    @Override
    public boolean offerOutput(boolean isErr, ByteBuffer bytes, Runnable resume) {
        return (isErr ? err : out).offer(bytes, resume);
    }

    @Override
    public void onOutputEnd(boolean isErr) {
        (isErr ? err : out).end();
    }
}
