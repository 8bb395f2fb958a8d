package io.jpm.cli.command;

import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * pm2's {@code --attach} on start, restart, reload and stop: once the verb is done, the acted apps'
 * new log lines stream until Ctrl-C, as {@code jpm logs} would show them.
 */
final class AttachLogs {
    private AttachLogs() {}

    /** Streams the new lines of the apps named in {@code acted} (the verb's reply). */
    static int follow(Json.Value acted, Session session) throws IOException {
        return follow(List.of(acted), session);
    }

    /** The same for several replies (start of several targets). */
    static int follow(List<Json.Value> replies, Session session) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Json.Value acted : replies) {
            for (Json.Value p : acted) {
                names.add(p.path("name").asText());
            }
        }
        if (names.isEmpty()) {
            return 0;
        }
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add(Pattern.quote(n)));
        String target = names.size() == 1 ? names.iterator().next() : "/^(" + String.join("|", quoted) + ")$/";
        session.out.println("[jpm] streaming the logs of " + String.join(", ", names) + " (Ctrl-C to stop)");
        return new LogsCommand().run(List.of(target, "--lines", "0"), session);
    }
}
