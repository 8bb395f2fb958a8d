package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's notes on its own supervision ({@code jpm.query.supervision}: apps it restarted after
 * a crash because it could not adopt them, a keeper that gave up), one {@code [jpm]} line each, as
 * pm2 prints its notes under the table.
 */
public final class SupervisionLines {
    private SupervisionLines() {}

    public static List<String> of(Json.Value reply) {
        List<String> lines = new ArrayList<>();
        for (Json.Value note : reply.path("notes")) {
            String text = note.asText("").strip();
            if (!text.isEmpty()) {
                lines.add("[jpm] " + text.replace('\n', ' '));
            }
        }
        return lines;
    }
}
