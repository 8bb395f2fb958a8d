package io.jpm.verticle;

import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Passes an {@link OutputChunk} to a local consumer as it is: the same object, its array not
 * copied (the default {@code Buffer} codec copied every 1 MiB chunk, most of a flood's garbage).
 * The chunk never crosses the bridge; the wire form exists only because a codec must have one, and
 * it copies the bytes: a chunk decoded from it owns its array and returns nothing to any pool.
 */
public final class OutputChunkCodec implements MessageCodec<OutputChunk, OutputChunk> {
    public static final String NAME = "jpm.output-chunk";

    @Override
    public void encodeToWire(Buffer buffer, OutputChunk chunk) {
        LogChunk s = chunk.header();
        Buffer header = new JsonObject()
                .put("app", s.app())
                .put("pm_id", s.pmId())
                .put("stream", s.stream())
                .put("path", s.path())
                .put("options", s.options())
                .put("run", s.run())
                .put("eof", chunk.eof())
                .put("during_stop", chunk.duringStop())
                .toBuffer();
        buffer.appendInt(header.length())
                .appendBuffer(header)
                .appendInt(chunk.length())
                .appendBytes(chunk.bytes(), 0, chunk.length());
    }

    @Override
    public OutputChunk decodeFromWire(int pos, Buffer buffer) {
        int headerLength = buffer.getInt(pos);
        JsonObject h = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + headerLength));
        int at = pos + 4 + headerLength;
        int length = buffer.getInt(at);
        byte[] bytes = buffer.getBytes(at + 4, at + 4 + length);
        LogChunk header = new LogChunk(
                h.getString("app"),
                h.getInteger("pm_id"),
                h.getString("stream"),
                h.getString("path"),
                h.getString("options"),
                h.getLong("run"));
        return new OutputChunk(
                header, bytes, length, h.getBoolean("eof"), null, () -> {}, null, h.getBoolean("during_stop", false));
    }

    @Override
    public OutputChunk transform(OutputChunk chunk) {
        return chunk;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
