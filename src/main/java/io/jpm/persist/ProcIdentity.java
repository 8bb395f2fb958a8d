package io.jpm.persist;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who a pid is now, from /proc: its start time, its group, its environment. Blocking. */
final class ProcIdentity {
    private ProcIdentity() {}

    /** Field 22 of /proc/pid/stat (clock ticks after boot), 0 when the pid does not exist. */
    static long startTicks(int pid) {
        String[] f = statFields(pid);
        return f == null ? 0 : Long.parseLong(f[19]);
    }

    static boolean leadsItsGroup(int pid) {
        String[] f = statFields(pid);
        return f != null && Integer.parseInt(f[2]) == pid && !f[0].equals("Z");
    }

    /** Any live process in the group (the leader may be gone while a grandchild still runs). */
    static boolean groupAlive(int pgid) {
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                String[] f = statFields(Integer.parseInt(dir.getFileName().toString()));
                if (f != null && Integer.parseInt(f[2]) == pgid && !f[0].equals("Z")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true;
        }
        return false;
    }

    static boolean environmentHas(int pid, String entry) {
        BlockingCall.check("a read of /proc/" + pid + "/environ");
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "environ"));
            for (String var : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (var.equals(entry)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The fields after the command name: f[0] is field 3 (state), field N is f[N - 3]. */
    private static String[] statFields(int pid) {
        BlockingCall.check("a read of /proc/" + pid + "/stat");
        try {
            String line = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
