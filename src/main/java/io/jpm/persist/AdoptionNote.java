package io.jpm.persist;

import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What an adoption did that the user would not expect: the record was damaged and an older one
 * was restored (which file, which record, which apps), no record could be read, or leftover groups
 * no record names were stopped (nothing restarts them). Each line goes to daemon.log and into
 * JPM_HOME/recovery.txt, which the first command after the adoption prints and removes
 * ({@link JpmHome#recoveryNote()}). An adoption that went as planned leaves no note.
 */
final class AdoptionNote {
    private static final Logger LOG = Logger.getLogger("jpm.persist");

    private AdoptionNote() {}

    /**
     * The lines for a recovery that read {@code read} ({@code read} null: no record could be read,
     * {@code readFailure} says why; both null: there was none) and stopped {@code stopped}.
     */
    static List<String> lines(DumpFile.Read read, String readFailure, List<AdoptionLeftovers.Group> stopped) {
        List<String> lines = new ArrayList<>();
        if (read != null && read.damage() != null) {
            lines.add("after the previous daemon's crash, a damaged record (" + read.damage()
                    + "): restored the older one in " + read.from() + " instead, " + apps(read));
        } else if (readFailure != null) {
            lines.add("after the previous daemon's crash, no record could be read (" + readFailure
                    + "): no app restored");
        }
        List<AdoptionLeftovers.Group> unnamed =
                stopped.stream().filter(g -> !g.inRecord()).toList();
        if (!unnamed.isEmpty()) {
            lines.add(unnamed.size() + " leftover process group(s) of the previous daemon that "
                    + (read == null
                            ? "no record names"
                            : "the record used (" + read.from().getFileName() + ") does not name")
                    + " were stopped and not restarted: "
                    + unnamed.stream()
                            .map(g -> g.app() + " (pid " + g.pgid() + ")")
                            .collect(Collectors.joining(", "))
                    + "; start them again (jpm start, or jpm resurrect from your dump)");
        }
        return lines;
    }

    /** Logs each line and leaves them for the first command; nothing when there are none. */
    static void tell(JpmHome home, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        lines.forEach(LOG::warning);
        try {
            PrivateFiles.replace(home.recoveryNote(), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            LOG.warning(() -> "cannot leave the recovery note for the next command in " + home.recoveryNote() + ": "
                    + e.getMessage());
        }
    }

    private static String apps(DumpFile.Read read) {
        List<String> names = read.apps().stream()
                .map(a -> ((JsonObject) a).getString("name"))
                .toList();
        return names.size() + " app(s)" + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }
}
