package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final String DATA =
            "[{\"pid\":4242,\"name\":\"caf\\u00e9 \\\"api\\\"\\n\",\"monit\":{\"memory\":12345678901,"
                    + "\"cpu\":1.5,\"tiny\":-2.5E-7},\"ok\":true,\"gone\":false,\"exit_code\":null,\"args\":[\"a\",[],{}]},{}]";

    private static String copied(String frame, String replyAddress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean copied = Json.copyReplyData(frame.getBytes(StandardCharsets.UTF_8), replyAddress, out);
        String text = out.toString(StandardCharsets.UTF_8);
        if (!copied) {
            assertEquals("", text, "nothing is written when the frame is not copied");
            return null;
        }
        return text;
    }

    @Test
    void ourReplysDataIsCopiedAsTheSameJson() throws IOException {
        String frame = "{\"type\":\"message\",\"address\":\"jpm.reply.1\",\"headers\":{\"x\":[1,{\"y\":2}]},"
                + "\"body\":{\"ok\":true,\"data\":" + DATA + "},\"send\":true}";
        assertEquals(DATA, copied(frame, "jpm.reply.1"), "the daemon's bytes, as they came");
    }

    @Test
    void aDataThatIsNotAnArrayIsCopiedWhole() throws IOException {
        for (String data : new String[] {"\"a \\\"quoted\\\" text\"", "42", "-2.5E-7", "null", "{\"a\":[1,2]}"}) {
            String frame = "{\"type\":\"message\",\"address\":\"jpm.reply.1\",\"body\":{\"ok\":true,\"data\":" + data
                    + ",\"more\":1}}";
            assertEquals(data, copied(frame, "jpm.reply.1"));
        }
    }

    @Test
    void anyOtherFrameIsLeftToTheUsualReading() throws IOException {
        String body = "\"body\":{\"ok\":true,\"data\":[1]}";
        assertEquals(
                null,
                copied("{\"type\":\"message\",\"address\":\"jpm.reply.2\"," + body + "}", "jpm.reply.1"),
                "another reply");
        assertEquals(
                null,
                copied(
                        "{\"type\":\"err\",\"address\":\"jpm.reply.1\",\"failureCode\":3,\"message\":\"no\"}",
                        "jpm.reply.1"),
                "a failure");
        assertEquals(
                null,
                copied("{" + body + ",\"type\":\"message\",\"address\":\"jpm.reply.1\"}", "jpm.reply.1"),
                "body first");
        assertEquals(
                null,
                copied("{\"type\":\"message\",\"address\":\"jpm.reply.1\",\"body\":{\"ok\":true}}", "jpm.reply.1"),
                "no data");
        assertFalse(
                Json.copyReplyData("[]".getBytes(StandardCharsets.UTF_8), "jpm.reply.1", new ByteArrayOutputStream()));
    }
}
