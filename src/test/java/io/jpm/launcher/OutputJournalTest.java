package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.StreamJournal.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output journal on a real pipe and a real memory file: what a daemon read and did not write is
 * there for the next one (which gets the journal as the keeper hands it over: a duplicate of the
 * descriptor, sharing its position), a write it left half done is cut back, and what the log files
 * have is not given again.
 */
class OutputJournalTest {
    @TempDir
    Path dir;

    private final List<Integer> open = new ArrayList<>();
    private final List<String> held = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private final DescriptorKeeper keeper = new DescriptorKeeper() {
        @Override
        public void hold(String key, int fd) {
            held.add(key);
        }

        @Override
        public void release(String key) {
            released.add(key);
        }
    };
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(PipePump.BUFFER_BYTES);

    @AfterEach
    void closeAll() {
        open.forEach(LibC::close);
    }

    private int[] pipe() {
        int[] fds = new int[2];
        assertEquals(0, LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        open.add(fds[0]);
        open.add(fds[1]);
        return fds;
    }

    private void write(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, LibC.write(fd, bytes, bytes.length));
    }

    private String read(OutputJournal journal, int pipe) {
        long[] rc = new long[1];
        ByteBuffer got = journal.read(pipe, buffer, Native.getDirectBufferPointer(buffer), PipePump.BUFFER_BYTES, rc);
        assertNotNull(got, "rc " + rc[0]);
        byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The journal as the next daemon gets it: the keeper's duplicate of the descriptor. */
    private OutputJournal handedOver(OutputJournal journal) throws IOException {
        int copy = LibC.fcntl(journal.fd(), LibC.F_DUPFD_CLOEXEC, 0);
        open.add(copy);
        return OutputJournal.inherited(copy, "jout:1:2", keeper);
    }

    private static String text(List<byte[]> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void whatWasReadAndNotWrittenIsThereForTheNextDaemon() throws IOException {
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        assertEquals(List.of("jout:1:2"), held);
        write(pipe[1], "one\ntwo\n");
        assertEquals("one\ntwo\n", read(journal, pipe[0]));
        journal.taken(4);
        journal.written(0); // "one\n" is in the log
        write(pipe[1], "three\n");
        assertEquals("three\n", read(journal, pipe[0]));
        // killed here: "two\nthree\n" was read, and only in the daemon's memory

        OutputJournal next = handedOver(journal);
        assertTrue(next.hasUnwritten());
        assertEquals("two\nthree\n", text(next.unwritten()));
        journal.close();
    }

    @Test
    void anUnfinishedLineHeldIsGivenAgain() throws IOException {
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        write(pipe[1], "whole\npart");
        read(journal, pipe[0]);
        journal.taken(10);
        journal.written(4); // "part" held, waiting for the rest of its line
        assertEquals("part", text(handedOver(journal).unwritten()));
        journal.close();
    }

    @Test
    void whatTheLogHasIsNotGivenAgain() throws IOException {
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        write(pipe[1], "a\nb\n");
        read(journal, pipe[0]);
        journal.taken(4);
        journal.writing(List.of(new Target(dir.resolve("out.log").toString(), 0)));
        journal.written(0);
        OutputJournal next = handedOver(journal);
        assertFalse(next.hasUnwritten());
        assertEquals(List.of(), next.unwritten());
        // the next daemon carries on where the journal's position is: new bytes after the old
        write(pipe[1], "c\n");
        assertEquals("c\n", read(next, pipe[0]));
        journal.close();
    }

    @Test
    void aWriteLeftHalfDoneIsCutBackAndGivenAgain() throws IOException {
        Path out = Files.writeString(dir.resolve("out.log"), "earlier\n");
        Path combined = Files.writeString(dir.resolve("all.log"), "x\n");
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        write(pipe[1], "l1\nl2\n");
        read(journal, pipe[0]);
        journal.taken(6);
        journal.writing(List.of(new Target(out.toString(), 8), new Target(combined.toString(), 2)));
        Files.writeString(out, "l1\nl2\n", StandardOpenOption.APPEND);
        Files.writeString(combined, "l1\n", StandardOpenOption.APPEND);
        // killed before written(): the out file has it all, the combined one half

        OutputJournal next = handedOver(journal);
        assertEquals("earlier\n", Files.readString(out));
        assertEquals("x\n", Files.readString(combined));
        assertEquals("l1\nl2\n", text(next.unwritten()));
        journal.close();
    }

    @Test
    void itGoesWhenTheStreamHasEndedAndAllIsWritten() {
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        write(pipe[1], "last\n");
        read(journal, pipe[0]);
        journal.ended();
        assertEquals(List.of(), released, "not before the aggregator has written it");
        journal.taken(5);
        journal.written(0);
        assertEquals(List.of("jout:1:2"), released);
    }

    @Test
    void aDescriptorThatIsNoJournalIsRefused() {
        int[] pipe = pipe();
        IOException e = assertThrows(IOException.class, () -> OutputJournal.inherited(pipe[0], "jout:1:2", keeper));
        assertTrue(e.getMessage().contains("is no output journal"), e.getMessage());
    }

    @Test
    void bytesSpliceThroughInOrderPastWhatIsPunchedOut() throws IOException {
        int[] pipe = pipe();
        OutputJournal journal = OutputJournal.create("jout:1:2", keeper);
        byte[] block = new byte[32 * 1024];
        long total = 0;
        for (int i = 0; i < 40; i++) { // 1.25 MiB: past several punches of what is written
            Arrays.fill(block, (byte) ('a' + i % 26));
            assertEquals(block.length, LibC.write(pipe[1], block, block.length));
            String got = read(journal, pipe[0]);
            assertEquals(block.length, got.length());
            assertEquals((char) ('a' + i % 26), got.charAt(block.length - 1));
            total += got.length();
            journal.taken(got.length());
            journal.written(i == 39 ? 100 : 0);
        }
        List<byte[]> rest = handedOver(journal).unwritten();
        assertEquals(1, rest.size());
        byte[] expected = new byte[100];
        Arrays.fill(expected, (byte) ('a' + 39 % 26));
        assertArrayEquals(expected, rest.get(0));
        assertEquals(40L * block.length, total);
        journal.close();
    }
}
