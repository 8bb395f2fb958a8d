package io.jpm.god;

import io.jpm.launcher.ConnectionDealer;
import io.jpm.launcher.ListeningSockets;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The listening sockets of socket mode: one per address and port, whichever apps ask for it, as
 * pm2's cluster primary keeps one per address for all its workers, of every app. Each is opened on
 * the first run that needs it (a run passed it at fd 3, or a Node run's first listen() on that
 * address) and kept while an app on it has a run that may serve from it, so its accept queue
 * outlives any one instance or app: a reload, a crash, or one of two apps deleted refuses no
 * connection, the runs left take what waits. A port-0 socket (the kernel's pick) is the asking
 * app's alone. Thread-safe: opened off the event loop, released on it.
 *
 * <p>Each socket is held by the daemon's keeper too (key {@code listen:<address>|<port>}), so that a
 * daemon its keeper starts again after a crash takes the same socket, the one its adopted instances
 * still accept from, instead of binding a port they hold: the next reload or scale starts its runs
 * on it, and no connection waiting in its queue is refused (docs/ARCHITECTURE.md, "The keeper").
 */
final class SharedSockets {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** One open socket: the address the app asked for and its descriptor in the daemon. */
    record Open(String host, int port, int fd) {
        String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * How long after the crash restore a socket the keeper handed over waits for a run to take it: an
     * adopted Node run says what it listens on only once asked over its pipe, after its adoption.
     */
    static final long UNCLAIMED_GRACE_MS = 10_000;
    /** And after the daemon's start when no crash restore comes (one that does adopts its runs first). */
    static final long UNCLAIMED_AT_THE_LATEST_MS = 60_000;

    /** A socket and the apps on it, in the order they came. */
    private record Shared(Open open, Set<String> apps, String keeperKey) {}

    /** By address ({@link #key}). */
    private final Map<String, Shared> sockets = new HashMap<>();
    /** Deals the connections of Node apps' sockets to their instances in turn. */
    private final ConnectionDealer dealer = new ConnectionDealer();

    private final DescriptorKeeper keeper;
    private final HeldPipes pipes;
    /** The sockets a previous daemon opened, handed over by the keeper, by keeper key: not claimed yet. */
    private final Map<String, Integer> inherited;

    SharedSockets() {
        this(DescriptorKeeper.NONE, Map.of());
    }

    /**
     * @param inherited the listening sockets the keeper handed over ({@code listen:} keys to descriptors
     *     here), each taken by the first run that asks for its address
     */
    SharedSockets(DescriptorKeeper keeper, Map<String, Integer> inherited) {
        this.keeper = keeper;
        this.inherited = new HashMap<>(inherited);
        this.pipes = new HeldPipes(keeper);
    }

    ConnectionDealer dealer() {
        return dealer;
    }

    /**
     * The socket on {@code host}:{@code port} for {@code app}: the one already open there (another
     * app's too), else opened now (blocking). {@code host} null means every address, as Node's
     * listen() without a host: {@code ::} with IPv4 too, or {@code 0.0.0.0} on a system without
     * IPv6. A socket on every address ({@code ::} or {@code 0.0.0.0}) serves whoever asks for every
     * address on its port.
     *
     * @throws IOException naming the address and why it cannot be had (another app's socket on an
     *     address that overlaps, such as 127.0.0.1 and 0.0.0.0, is named too)
     */
    synchronized Open open(String app, String host, int port, int backlog) throws IOException {
        BlockingCall.check("a lookup of " + host + " and a bind of its port");
        String wanted = canonical(host == null ? "::" : host);
        Shared shared = sockets.get(key(app, wanted, port));
        if (shared == null && isEveryAddress(wanted)) {
            // listen(3000), on '::' or on '0.0.0.0' all ask for every address: one socket serves them
            // (pm2's cluster binds 0.0.0.0 for the first two and shares it with the third)
            shared = sockets.get(key(app, wanted.equals("::") ? "0.0.0.0" : "::", port));
        }
        if (shared == null) {
            shared = bind(app, host, wanted, port, backlog);
        }
        if (shared.apps().add(app) && shared.apps().size() > 1) {
            Shared joined = shared;
            LOG.info(() -> "app '" + app + "': shared socket " + joined.open().address() + " shared with "
                    + others(joined, app));
        }
        return shared.open();
    }

    private Shared bind(String app, String host, String wanted, int port, int backlog) throws IOException {
        Shared handedOver = fromKeeper(app, wanted, port);
        if (handedOver != null) {
            return handedOver;
        }
        int fd;
        try {
            fd = ListeningSockets.open(wanted, port, backlog);
        } catch (IOException e) {
            if (host == null && e.getMessage().startsWith("cannot make a socket")) {
                wanted = "0.0.0.0"; // no IPv6 here: Node falls back the same way
                fd = openNamingOverlap(wanted, port, backlog);
            } else {
                throw overlapOrAsIs(e, wanted, port);
            }
        }
        int bound = port == 0 ? ListeningSockets.boundPort(fd) : port;
        String keeperKey = keeperKey(app, wanted, port);
        Shared shared = new Shared(new Open(wanted, bound, fd), new LinkedHashSet<>(), keeperKey);
        sockets.put(key(app, wanted, port), shared);
        keeper.hold(keeperKey, fd);
        LOG.info(() -> "app '" + app + "': shared socket " + shared.open().address() + " open (socket mode)");
        return shared;
    }

    /**
     * The socket on this address that the keeper handed over, if there is one (any of the two every-address
     * spellings for every address): the previous daemon's, which its instances may still accept from.
     */
    private Shared fromKeeper(String app, String wanted, int port) {
        List<String> hosts =
                isEveryAddress(wanted) ? List.of(wanted, wanted.equals("::") ? "0.0.0.0" : "::") : List.of(wanted);
        for (String host : hosts) {
            String keeperKey = keeperKey(app, host, port);
            Integer fd = inherited.remove(keeperKey);
            if (fd == null) {
                continue;
            }
            try {
                ListeningSockets.inherited(fd);
            } catch (IOException e) {
                LOG.warning(
                        () -> "app '" + app + "': the keeper's " + keeperKey + ": " + e.getMessage() + "; not used");
                keeper.release(keeperKey);
                continue;
            }
            int bound = port == 0 ? ListeningSockets.boundPort(fd) : port;
            Shared shared = new Shared(new Open(host, bound, fd), new LinkedHashSet<>(), keeperKey);
            sockets.put(key(app, host, port), shared);
            LOG.info(() -> "app '" + app + "': shared socket " + shared.open().address()
                    + " taken from the keeper (socket mode; the previous daemon opened it)");
            return shared;
        }
        return null;
    }

    /**
     * Closes the sockets the keeper handed over that no run asked for once the previous daemon's runs
     * are adopted or started again ({@link #UNCLAIMED_GRACE_MS} after): no app of this daemon is on
     * them, and they would hold their port.
     */
    synchronized void closeUnclaimed() {
        inherited.forEach((keeperKey, fd) -> {
            ListeningSockets.close(fd);
            keeper.release(keeperKey);
            LOG.info(() -> "the keeper's " + keeperKey + ": no app of this daemon on it, closed");
        });
        inherited.clear();
    }

    private int openNamingOverlap(String host, int port, int backlog) throws IOException {
        try {
            return ListeningSockets.open(host, port, backlog);
        } catch (IOException e) {
            throw overlapOrAsIs(e, host, port);
        }
    }

    /**
     * A port in use because an app already has it on an address that overlaps (every address and
     * one of them): the kernel refuses the bind as it does under pm2; the reason names that socket.
     */
    private IOException overlapOrAsIs(IOException e, String host, int port) {
        if (port == 0 || !e.getMessage().contains("already in use")) {
            return e;
        }
        return sockets.values().stream()
                .filter(s -> s.open().port() == port && overlap(s.open().host(), host))
                .findFirst()
                .map(s -> new IOException(
                        e.getMessage()
                                        .replace(
                                                "by another process",
                                                "by the shared socket "
                                                        + s.open().address() + " of " + names(s.apps()))
                                + " (apps share one address, not one port on two addresses)",
                        e))
                .orElse(e);
    }

    private static boolean isEveryAddress(String host) {
        return host.equals("::") || host.equals("0.0.0.0");
    }

    /**
     * Whether two addresses (canonical) cannot both be bound on one port: the same, or one takes
     * every address of the other's family.
     */
    private static boolean overlap(String a, String b) {
        return a.equals(b)
                || a.equals("::")
                || b.equals("::")
                || (a.equals("0.0.0.0") && !b.contains(":"))
                || (b.equals("0.0.0.0") && !a.contains(":"));
    }

    /** What describe shows of an app's sockets: those it is on now, and the other apps on them. */
    record AppSockets(List<Open> open, List<String> sharedWith) {}

    synchronized AppSockets of(String app) {
        List<Shared> on =
                sockets.values().stream().filter(s -> s.apps().contains(app)).toList();
        Set<String> others = new LinkedHashSet<>();
        on.forEach(s -> others.addAll(s.apps()));
        others.remove(app);
        return new AppSockets(on.stream().map(Shared::open).toList(), List.copyOf(others));
    }

    /**
     * The app is off its sockets: no run of it is left to serve them (stopped, errored, deleted).
     * A socket no other app is on is closed.
     */
    synchronized void release(String app) {
        sockets.values().removeIf(shared -> {
            if (!shared.apps().remove(app)) {
                return false;
            }
            if (!shared.apps().isEmpty()) {
                LOG.info(() -> "app '" + app + "': off shared socket "
                        + shared.open().address() + ", which stays open for " + names(shared.apps()));
                return false;
            }
            dealer.forget(shared.open().fd());
            ListeningSockets.close(shared.open().fd());
            keeper.release(shared.keeperKey());
            LOG.info(() -> "app '" + app + "': shared socket " + shared.open().address()
                    + " closed (no run of any app on it left)");
            return true;
        });
    }

    /** The Node runs' IPC pipes the keeper holds, shared by every God like the sockets. */
    HeldPipes pipes() {
        return pipes;
    }

    /** Every app on a socket. */
    synchronized List<String> apps() {
        Set<String> apps = new LinkedHashSet<>();
        sockets.values().forEach(s -> apps.addAll(s.apps()));
        return new ArrayList<>(apps);
    }

    /** An address's key; a port-0 socket's has its app's name, so no other app gets that port by chance. */
    private static String key(String app, String host, int port) {
        return port == 0 ? host + "|0|" + app : host + "|" + port;
    }

    /** What the keeper holds a socket under: {@code listen:<address>|<port>}, a port-0 socket's with its app's name. */
    static String keeperKey(String app, String host, int port) {
        return "listen:"
                + (port == 0 ? host + "|0|" + URLEncoder.encode(app, StandardCharsets.UTF_8) : host + "|" + port);
    }

    private static String others(Shared shared, String app) {
        return names(shared.apps().stream().filter(a -> !a.equals(app)).toList());
    }

    private static String names(Collection<String> apps) {
        return (apps.size() == 1 ? "app " : "apps ")
                + apps.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
    }

    /** One spelling per address, so that "::" and "0:0:0:0:0:0:0:0" find the same socket. */
    private static String canonical(String host) throws IOException {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isAnyLocalAddress() && address instanceof Inet6Address
                    ? "::"
                    : address.getHostAddress().replaceAll("%.*$", "");
        } catch (UnknownHostException e) {
            throw new IOException("host '" + host + "' is not a known name or address", e);
        }
    }
}
