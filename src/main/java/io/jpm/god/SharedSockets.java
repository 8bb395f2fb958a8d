package io.jpm.god;

import io.jpm.launcher.ListeningSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The listening sockets of socket mode, by app: each opened once, on the first run that needs it
 * (a run passed it at fd 3, or a Node run's first listen() on that address), and kept while the app
 * has a run that may serve from it, so its accept queue outlives any one instance: a reload or a
 * crash refuses no connection, the other instances take what waits. Shared by every God of the
 * daemon like the custody (a fresh God keeps serving the same sockets). Thread-safe: opened off the
 * event loop, released on it.
 */
final class SharedSockets {
  private static final Logger LOG = Logger.getLogger("jpm.god");

  /** One open socket: the address the app asked for and its descriptor in the daemon. */
  record Open(String host, int port, int fd) {
    String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final Map<String, Map<String, Open>> byApp = new HashMap<>();
  /** Deals the connections of Node apps' sockets to their instances in turn. */
  private final io.jpm.launcher.ConnectionDealer dealer = new io.jpm.launcher.ConnectionDealer();

  io.jpm.launcher.ConnectionDealer dealer() {
    return dealer;
  }

  /**
   * The app's socket on {@code host}:{@code port}, opened now when it has none (blocking).
   * {@code host} null means every address, as Node's listen() without a host: {@code ::} with
   * IPv4 too, or {@code 0.0.0.0} on a system without IPv6.
   *
   * @throws IOException naming the address and why it cannot be had
   */
  synchronized Open open(String app, String host, int port, int backlog) throws IOException {
    Map<String, Open> sockets = byApp.computeIfAbsent(app, a -> new HashMap<>());
    String wanted = canonical(host == null ? "::" : host);
    Open open = sockets.get(key(wanted, port));
    if (open == null && host == null) {
      open = sockets.get(key("0.0.0.0", port));
    }
    if (open != null) {
      return open;
    }
    int fd;
    try {
      fd = ListeningSockets.open(wanted, port, backlog);
    } catch (IOException e) {
      if (host != null || !e.getMessage().startsWith("cannot make a socket")) {
        throw e;
      }
      wanted = "0.0.0.0"; // no IPv6 here: Node falls back the same way
      fd = ListeningSockets.open(wanted, port, backlog);
    }
    int bound = port == 0 ? ListeningSockets.boundPort(fd) : port;
    open = new Open(wanted, bound, fd);
    sockets.put(key(wanted, port), open);
    Open opened = open;
    LOG.info(() -> "app '" + app + "': shared socket " + opened.address() + " open (socket mode)");
    return open;
  }

  /** The app's sockets now open. */
  synchronized List<Open> of(String app) {
    Map<String, Open> sockets = byApp.get(app);
    return sockets == null ? List.of() : new ArrayList<>(sockets.values());
  }

  /** Closes the app's sockets: no run of it is left to serve them (stopped, errored, deleted). */
  synchronized void release(String app) {
    Map<String, Open> sockets = byApp.remove(app);
    if (sockets != null) {
      sockets.values().forEach(open -> {
        dealer.forget(open.fd());
        ListeningSockets.close(open.fd());
        LOG.info(() -> "app '" + app + "': shared socket " + open.address() + " closed (no run of it left)");
      });
    }
  }

  /** Every app with a socket open. */
  synchronized List<String> apps() {
    return new ArrayList<>(byApp.keySet());
  }

  private static String key(String host, int port) {
    return host + "|" + port;
  }

  /** One spelling per address, so that "::" and "0:0:0:0:0:0:0:0" find the same socket. */
  private static String canonical(String host) throws IOException {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isAnyLocalAddress() && address instanceof java.net.Inet6Address ? "::"
          : address.getHostAddress().replaceAll("%.*$", "");
    } catch (java.net.UnknownHostException e) {
      throw new IOException("host '" + host + "' is not a known name or address", e);
    }
  }
}
