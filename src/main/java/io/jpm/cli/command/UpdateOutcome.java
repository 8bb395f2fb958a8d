package io.jpm.cli.command;

import io.jpm.cli.transport.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code jpm update} did to the processes, told from the list before and after: a pm_id that
 * runs the same pid was adopted, one that runs another (or none where one ran) was restarted.
 */
record UpdateOutcome(int adopted, int restarted) {

    /** pm_id to pid of each running process in a list reply (pid 0: not running; a reload's old run left out). */
    static Map<Integer, Long> pids(Json.Value list) {
        Map<Integer, Long> pids = new TreeMap<>();
        for (Json.Value process : list) {
            long pid = process.path("pid").asLong();
            if (pid > 0 && process.path("pm_id").asInt(-1) >= 0) {
                pids.put(process.path("pm_id").asInt(), pid);
            }
        }
        return pids;
    }

    static UpdateOutcome of(Map<Integer, Long> before, Map<Integer, Long> after) {
        int adopted = 0;
        for (Map.Entry<Integer, Long> was : before.entrySet()) {
            if (was.getValue().equals(after.get(was.getKey()))) {
                adopted++;
            }
        }
        return new UpdateOutcome(adopted, before.size() - adopted);
    }

    String line() {
        return "[jpm] adopted " + adopted + ", restarted " + restarted;
    }
}
