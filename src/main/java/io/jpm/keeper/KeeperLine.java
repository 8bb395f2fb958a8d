package io.jpm.keeper;

import io.jpm.protocol.JpmEnv;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The daemon's two lines to its keeper (jpm-keeper.pl): the keeper writes on the daemon's stdin
 * (first an inventory: its pid, the descriptors it hands over, the exits it reaped while no daemon
 * ran; then each exit of an app that fell to it), the daemon writes on the descriptor named by
 * JPM_KEEPER_FD (ready, bye, hold, release, upgrade). Lines of words, docs/ARCHITECTURE.md "The keeper".
 */
public final class KeeperLine {
    private static final Logger LOG = Logger.getLogger("jpm.keeper");

    /**
     * How an app that fell to the keeper ended: an exit code, or the signal that killed it (0: none);
     * {@code at}: when the keeper reaped it (ms since the epoch, 0 from a keeper that does not say).
     */
    public record Exit(int pid, long startTicks, int code, int signal, long at) {}

    /**
     * What the keeper said first: itself, the descriptors it hands over (key to number here), the exits it kept;
     * {@code startsNext}: a daemon of this keeper was ready before, so it starts another should this one end,
     * also at its start (a keeper's first daemon that fails its start ends the keeper, and nothing adopts).
     */
    public record Inventory(
            long keeperPid, boolean subreaper, boolean startsNext, Map<String, Integer> held, List<Exit> exits) {}

    /** How {@link #readSome} ended: lines read (the line goes on), or the line ended. */
    public enum Read {
        MORE,
        ENDED
    }

    /**
     * The keeper's side, read unbuffered: what one read(2) returns goes into {@link #read} and
     * nowhere else, so the first pump can read the same descriptor once the inventory is in (a
     * buffered stream would keep what it read ahead, an exit among it, where the pump never looks).
     */
    private final InputStream in;

    /** What was read and not yet taken as a line: bytes {@link #start} to {@link #end}. */
    private byte[] read = new byte[4096];

    private int start;
    private int end;

    private final OutputStream out;

    KeeperLine(InputStream fromKeeper, OutputStream toKeeper) {
        this.in = fromKeeper;
        this.out = toKeeper;
    }

    /** The line to the keeper that started this daemon, when one did (JPM_KEEPER_FD is set). */
    public static Optional<KeeperLine> fromEnvironment() throws IOException {
        String fd = JpmEnv.KEEPER_FD.value();
        String keeper = JpmEnv.KEEPER_PID.value();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        // only the keeper that is this process's parent: the variables may have come down from an
        // environment they do not belong to (a daemon started from a shell an app opened)
        if (fd == null || !fd.matches("\\d+") || keeper == null || !keeper.equals(Long.toString(parent))) {
            return Optional.empty();
        }
        // the pipe's write end, opened again through /proc: Java has no stream over a bare descriptor
        OutputStream toKeeper = Files.newOutputStream(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE);
        return Optional.of(new KeeperLine(new FileInputStream(FileDescriptor.in), toKeeper));
    }

    /** Reads the keeper's inventory, up to its end-of-inventory line. */
    public Inventory readInventory() throws IOException {
        long keeperPid = 0;
        boolean subreaper = false;
        boolean startsNext = false;
        Map<String, Integer> held = new LinkedHashMap<>();
        List<Exit> exits = new ArrayList<>();
        for (String line = nextLine(); line != null; line = nextLine()) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "keeper" -> {
                    keeperPid = Long.parseLong(words[1]);
                    subreaper = words.length > 2 && words[2].equals("subreaper");
                    startsNext = words.length > 3 && words[3].equals("starts-next");
                }
                case "held" -> held.put(words[1], Integer.parseInt(words[2]));
                case "exit" -> exits.add(exit(words));
                case "end-of-inventory" -> {
                    return new Inventory(keeperPid, subreaper, startsNext, held, exits);
                }
                default -> LOG.warning("the keeper said what this daemon does not know: " + line);
            }
        }
        throw new IOException("the keeper's line ended before its inventory did");
    }

    /**
     * Hands each exit the keeper reports from now on to {@code exits}, until the line ends: blocking,
     * for a daemon whose first pump could not take the line over (see {@link #readSome}).
     */
    public void readExits(Consumer<Exit> exits) {
        handRead(exits);
        while (readSome(exits) == Read.MORE) {
            // each call reads once
        }
    }

    /**
     * Reads once from the keeper (the first pump calls it when the descriptor is readable, so the
     * read does not wait) and hands each exit of the whole lines read to {@code exits}.
     */
    public Read readSome(Consumer<Exit> exits) {
        try {
            if (fill() > 0) {
                handRead(exits);
                return Read.MORE;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("the line from the keeper broke: " + e);
            return Read.ENDED;
        }
        LOG.warning("the keeper is gone: the apps no longer outlive this daemon");
        return Read.ENDED;
    }

    /**
     * Hands {@code exits} the whole lines already read and not yet taken: those read with the inventory's
     * last lines, before the pump watches the line.
     */
    public void handRead(Consumer<Exit> exits) {
        for (String line = wholeLine(); line != null; line = wholeLine()) {
            String[] words = line.split(" ");
            if (words[0].equals("exit")) {
                exits.accept(exit(words));
            } else {
                LOG.warning("the keeper said what this daemon does not know: " + line);
            }
        }
    }

    /** The next whole line, reading (blocking) as much as it takes; null at the line's end. */
    private String nextLine() throws IOException {
        for (String line = wholeLine(); ; line = wholeLine()) {
            if (line != null) {
                return line;
            }
            if (fill() < 0) {
                return null;
            }
        }
    }

    /** One read(2) after what is left of the last: its count, -1 at the line's end. */
    private int fill() throws IOException {
        System.arraycopy(read, start, read, 0, end - start);
        end -= start;
        start = 0;
        if (end == read.length) {
            read = Arrays.copyOf(read, read.length * 2); // a line longer than the buffer
        }
        int n = in.read(read, end, read.length - end);
        end += Math.max(n, 0);
        return n;
    }

    /** The first whole line of what was read, taken out of it; null when no line is whole yet. */
    private String wholeLine() {
        for (int i = start; i < end; i++) {
            if (read[i] == '\n') {
                String line = new String(read, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                return line;
            }
        }
        return null;
    }

    static Exit exit(String[] words) {
        return new Exit(
                Integer.parseInt(words[1]),
                Long.parseLong(words[2]),
                Integer.parseInt(words[3]),
                Integer.parseInt(words[4]),
                words.length > 5 ? Long.parseLong(words[5]) : 0);
    }

    /** The daemon answers: from now on the keeper starts it again if it dies. */
    public void ready() {
        say("ready");
    }

    /** The daemon is stopping on purpose (jpm kill, SIGTERM): the keeper ends with it. */
    public void bye() {
        say("bye");
    }

    /**
     * The daemon leaves for an update ({@code jpm update}): once it has exited, the keeper runs
     * {@code script} (the new jpm's keeper) in its own process, which starts {@code command}. Each
     * word percent-encoded, since a path may hold a space. {@code renew}: the same build's daemon after
     * a burst, which the keeper's log says (a keeper that does not know the word takes the daemon's end
     * for a crash and starts the same command: the apps are adopted either way).
     */
    public void upgrade(String script, List<String> command, boolean renew) {
        StringBuilder line = new StringBuilder(renew ? "renew " : "upgrade ").append(encoded(script));
        command.forEach(word -> line.append(' ').append(encoded(word)));
        say(line.toString());
    }

    /** {@code word} with every byte outside a few safe ASCII characters as %XX. */
    static String encoded(String word) {
        StringBuilder out = new StringBuilder();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/._-=:,+@".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Asks the keeper to keep a duplicate of this daemon's descriptor {@code fd} under {@code key}. */
    public void hold(String key, int fd) {
        say("hold " + key + " " + fd);
    }

    /** The keeper may close what it holds under {@code key}. */
    public void release(String key) {
        say("release " + key);
    }

    private synchronized void say(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            LOG.warning("cannot tell the keeper '" + line + "': " + e.getMessage());
        }
    }
}
