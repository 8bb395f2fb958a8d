package io.jpm.it;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.TargetRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code jpm jlist} prints, asked by the CLI's own client from the test's JVM: the waits of
 * the ITs ask for the process list again and again, and a CLI run for each look is a JVM started
 * (about 0.2 s of a core), which on CI's two cores was most of what the suite spent. The same
 * connector and request as the command (jpm.sock, the owner's token, the reply's data as it comes);
 * where no daemon answers, the command itself runs, which starts one or waits for the keeper's.
 */
final class DaemonList {
    private DaemonList() {}

    /** jlist's array, or null when no daemon answered (the caller runs the command then). */
    static JsonArray ask(Path home) {
        try (BridgeClient client = new DaemonConnector(new JpmHome(home)).connectIfRunning()) {
            if (client == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.requestInto(Addresses.QUERY_LIST, Map.of(), Session.REQUEST_TIMEOUT_MS, out);
            return new JsonArray(out.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            // a daemon going away or refusing: the command meets it too and says what the test needs
            return null;
        }
    }

    /**
     * {@code jpm delete all}'s request, sent from here (JpmExtension's cleanup after each test: a CLI
     * JVM a test otherwise); true once the daemon answered, a refusal too (nothing to delete), false when
     * no daemon answered or the connection failed (the caller runs the command then).
     */
    static boolean deleteAll(Path home, Path cwd) {
        try (BridgeClient client = new DaemonConnector(new JpmHome(home)).connectIfRunning()) {
            if (client == null) {
                return false;
            }
            TargetRequest all = new TargetRequest(List.of("all"), cwd.toString(), Map.of());
            client.request(Addresses.CMD_DELETE, ActionRequest.of(all).toMap(), Session.REQUEST_TIMEOUT_MS);
            return true;
        } catch (CliException refused) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * What {@code jpm jlist --all} is made of: {@code processes} (its stdout) and {@code hosts}
     * (those {@code unreachable} are its stderr's lines); null when no daemon answered.
     */
    static JsonObject askAll(Path home) {
        try (BridgeClient client = new DaemonConnector(new JpmHome(home)).connectIfRunning()) {
            if (client == null) {
                return null;
            }
            Json.Value reply = client.request(Addresses.QUERY_CLUSTER_LIST, Map.of(), Session.REQUEST_TIMEOUT_MS);
            return new JsonObject(Json.text(reply.raw));
        } catch (Exception e) {
            return null;
        }
    }

    /** Whether a host of {@link #askAll}'s answer did not answer its daemon. */
    static boolean anyUnreachable(JsonObject all) {
        return !unreachable(all).isEmpty();
    }

    /** A line per host of {@link #askAll}'s answer that did not answer, as the command prints it: {@code web-3: unreachable (why)}. */
    static List<String> unreachable(JsonObject all) {
        return all.getJsonArray("hosts", new JsonArray()).stream()
                .map(h -> (JsonObject) h)
                .filter(h -> "unreachable".equals(h.getString("status")))
                .map(h -> h.getString("node") + ": unreachable (" + h.getString("error") + ")")
                .toList();
    }
}
