package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeClientTest {
    /**
     * jpm ls asks for the table, the watched files and the supervision notes in one round trip: a
     * bridge that answers only once it holds all three requests (a client that waited for each reply
     * before the next request would never get one), in the reverse order, one of them a failure.
     */
    @Test
    void requestsSentTogetherAreAnsweredInOneRoundTripWhateverTheOrderOfTheReplies() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread bridge = new Thread(() -> answerAllThreeBackwards(server));
            bridge.start();
            try (BridgeClient client = BridgeClient.connect("127.0.0.1", server.getLocalPort(), "t", 5000, 5000)) {
                List<BridgeClient.Reply> replies = client.requestAll(List.of(
                        new BridgeClient.Request("jpm.query.list", Map.of(), 5000),
                        new BridgeClient.Request("jpm.query.config", Map.of(), 5000),
                        new BridgeClient.Request("jpm.query.supervision", Map.of(), 5000)));
                assertEquals("jpm.query.list", replies.get(0).get().asText());
                CliException failure =
                        assertThrows(CliException.class, () -> replies.get(1).get());
                assertEquals(JpmError.UNKNOWN_TARGET, failure.error);
                assertEquals("no such file", failure.getMessage());
                assertNull(replies.get(2).failure());
                assertEquals("jpm.query.supervision", replies.get(2).data().asText());
            }
            bridge.join(5000);
        }
    }

    private static void answerAllThreeBackwards(ServerSocket server) {
        try (Socket socket = server.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            List<Json.Value> requests = new ArrayList<>();
            boolean pinged = false;
            while (requests.size() < 3) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                Json.Value frame = Json.parse(bytes);
                if ("ping".equals(frame.path("type").asText())) {
                    // the token first, before a door past its cap could evict a silent connection
                    pinged = requests.isEmpty()
                            && "t".equals(frame.path("headers").path("token").asText());
                    byte[] pong = Json.write(Map.of("type", "pong"));
                    out.writeInt(pong.length);
                    out.write(pong);
                    continue;
                }
                requests.add(frame);
            }
            if (!pinged) {
                throw new IllegalStateException("no ping with the token before the requests");
            }
            for (int i = 2; i >= 0; i--) {
                Json.Value request = requests.get(i);
                Map<String, Object> reply = Json.object();
                reply.put("address", request.path("replyAddress").asText());
                if (request.path("address").asText().equals("jpm.query.config")) {
                    reply.put("type", "err");
                    reply.put("failureCode", JpmError.UNKNOWN_TARGET.code());
                    reply.put("message", "no such file");
                } else {
                    reply.put("type", "message");
                    reply.put(
                            "body",
                            Map.of("ok", true, "data", request.path("address").asText()));
                }
                byte[] bytes = Json.write(reply);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
