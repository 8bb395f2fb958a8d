package io.jpm.logs;

/**
 * The unfinished line of one stream, handed from a superseded LogAggregator to its successor.
 *
 * @param bytes the bytes of the line not yet written (never changed once made)
 * @param heldSince when they began to wait
 * @param begun the start of the line is already in the file: what follows goes on the same line
 */
record HeldLine(byte[] bytes, long heldSince, boolean begun) {}
