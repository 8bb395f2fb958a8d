package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.cli.transport.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm prettylist} against node's own util.inspect: the same JSON given to both, byte for byte
 * the same text back (node is on the test machine: it runs the JavaScript ecosystem files).
 */
class InspectTest {
    @TempDir
    Path dir;

    /** What node's util.inspect(value, false, null, false) prints for this JSON. */
    private String node(String json) throws IOException, InterruptedException {
        Path input = Files.writeString(dir.resolve("in.json"), json);
        Path output = dir.resolve("out.txt");
        Process node = new ProcessBuilder(
                        "node",
                        "-e",
                        "const fs = require('fs'); fs.writeFileSync(process.argv[2], require('util').inspect("
                                + "JSON.parse(fs.readFileSync(process.argv[1], 'utf8')), false, null, false));",
                        input.toString(),
                        output.toString())
                .inheritIO()
                .start();
        if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new AssertionError("node did not inspect " + json);
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private void sameAsNode(String json) throws IOException, InterruptedException {
        assertEquals(node(json), Inspect.of(Json.parse(json.getBytes(StandardCharsets.UTF_8)).raw), json);
    }

    @Test
    void aProcessListReadsAsPm2Prettylists() throws Exception {
        sameAsNode(
                "[{\"pid\":4242,\"name\":\"api\",\"pm2_env\":{\"status\":\"online\",\"restart_time\":0,\"name\":\"api\","
                        + "\"pm_out_log_path\":\"/home/me/.jpm/logs/api-out.log\",\"args\":[\"--port\",\"3000\"],\"node_args\":[],"
                        + "\"env\":{\"PATH\":\"/usr/local/bin:/usr/bin:/bin\",\"NODE_ENV\":\"production\",\"PORT\":\"3000\"},"
                        + "\"watch\":[\"server\",\"client\"],\"ignore_watch\":[\"node_modules\",\"client/img\"],\"axm_monitor\":{},"
                        + "\"exit_code\":null,\"vizion\":true,\"exec_mode\":\"cluster_mode\",\"NODE_APP_INSTANCE\":0,"
                        + "\"stop_exit_codes\":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]},"
                        + "\"monit\":{\"memory\":45678592,\"cpu\":0.5}},{\"pid\":0,\"name\":\"worker\",\"pm2_env\":{\"status\":\"stopped\"}}]");
    }

    @Test
    void stringsKeysAndNumbersAsNodeWritesThem() throws Exception {
        sameAsNode(
                "{\"s\":\"it's\",\"d\":\"it's \\\"q\\\"\",\"b\":\"it's \\\"q\\\" `t`\",\"ctl\":\"a\\u0001\\t\\\\\",\"u\":\"é\","
                        + "\"1a\":1,\"a-b\":2,\"_ok\":3,\"$x\":4,\"é\":5,\"f\":1.5,\"small\":0.0001,\"tiny\":1e-7,\"big\":1e21,\"neg\":-3,"
                        + "\"t\":true,\"n\":null,\"e\":{},\"ea\":[]}");
    }

    @Test
    void longAndMultiLineStringsAndDeepNesting() throws Exception {
        sameAsNode("{\"long\":\"" + "x".repeat(120)
                + "\",\"lines\":\"first line of a long text\\nsecond line of it\\nthird"
                + " and last line of this text, long enough\",\"deep\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}},"
                + "\"words\":[\"aaaa\",\"bbbbbbbbbb\",\"c\",\"dddddd\",\"e\",\"f\",\"g\",\"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\"],"
                + "\"short\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"],\"many\":"
                + IntStream.range(0, 150).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")) + "}");
    }
}
