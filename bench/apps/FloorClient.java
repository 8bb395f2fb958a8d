import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/floor.sh's client: the least a first command of jpm's design does. When the ready file
 * (args[0]) is missing it starts the daemon command given after it (args[1..], through setsid -f so
 * that no child of this JVM outlives it), looks for the file every 5 ms, then sends one ping frame
 * over the bridge (4-byte length, JSON, no library) and prints the reply. With the file there it
 * only pings: the floor of a command against a running daemon.
 */
public final class FloorClient {
    public static void main(String[] args) throws Exception {
        Path ready = Path.of(args[0]);
        if (!Files.exists(ready)) {
            List<String> command = new ArrayList<>(List.of("setsid", "-f"));
            command.addAll(List.of(args).subList(1, args.length));
            new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(ready)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the floor daemon did not start within 30 s");
                }
                Thread.sleep(5);
            }
        }
        int port = Integer.parseInt(Files.readString(ready).trim());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] frame = "{\"type\":\"send\",\"address\":\"jpm.query.ping\",\"replyAddress\":\"r1\",\"body\":{}}"
                    .getBytes(StandardCharsets.UTF_8);
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            System.out.println(new String(reply, StandardCharsets.UTF_8));
        }
    }
}
