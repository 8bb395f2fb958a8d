package io.jpm.logs;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A reusable growable byte buffer: formatted lines are gathered here, then written at once. */
final class Bytes {
    private byte[] data;
    private int length;

    Bytes(int capacity) {
        data = new byte[capacity];
    }

    void append(byte b) {
        ensure(1);
        data[length++] = b;
    }

    void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    void append(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, data, length, count);
        length += count;
    }

    int length() {
        return length;
    }

    byte[] array() {
        return data;
    }

    ByteBuffer view() {
        return ByteBuffer.wrap(data, 0, length);
    }

    /** Empties it, giving back memory a very long line made it take. */
    void clear(int keep) {
        length = 0;
        if (data.length > keep) {
            data = new byte[keep];
        }
    }

    private void ensure(int more) {
        if (length + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
        }
    }
}
