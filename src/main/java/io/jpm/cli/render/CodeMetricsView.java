package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.CodeMetrics;
import io.jpm.protocol.ProcessView;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Node app reports from inside (jlist's axm_actions and axm_monitor) under {@code describe},
 * in pm2's two boxes: "Actions available" with how to trigger one, and "Code metrics value", a
 * metric a line with its unit ({@code Heap Size │ 6.98 MiB}). Nothing for an app that reports none.
 * The names and values are the app's: terminal controls in them are made visible.
 */
public final class CodeMetricsView {
    private CodeMetricsView() {}

    public static String boxes(Json.Value process) {
        ProcessView p = ProcessView.from(process.asMap());
        CodeMetrics reported = p.pm2Env().codeMetrics();
        StringBuilder out = new StringBuilder();
        List<String> actions = reported.actionNames();
        if (!actions.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (String action : actions) {
                rows.add(List.of(cell(action)));
            }
            out.append(" Actions available\n")
                    .append(BoxTable.box(null, rows))
                    .append(" Trigger via: jpm trigger ")
                    .append(Render.text(p.name()))
                    .append(" <action_name>\n\n");
        }
        List<CodeMetrics.Line> lines = reported.lines();
        if (!lines.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (CodeMetrics.Line line : lines) {
                rows.add(List.of(cell(line.name()), cell(line.value())));
            }
            out.append(" Code metrics value\n").append(BoxTable.box(null, rows));
        }
        return out.toString();
    }

    /** What the app sent, with any terminal control made visible: it is the app's text, not jpm's. */
    private static String cell(String text) {
        return TerminalText.harmless(text);
    }
}
