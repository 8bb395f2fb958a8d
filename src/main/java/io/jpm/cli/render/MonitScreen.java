package io.jpm.cli.render;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import io.jpm.cli.CliException;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.CodeMetrics;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewBalancer;
import io.jpm.protocol.ProcessViewJpm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code jpm monit} screen (Lanterna, so it works in any terminal, tmux and over ssh): the
 * process list with live cpu and memory on the left, the selected process's details and its live
 * log lines on the right (MonitLayout: what fits). Keys: up/down (or k/j) select, PgUp/PgDn scroll
 * the details, r restarts, s stops, q (or Esc, Ctrl-C)
 * quits. Events come on a second bridge connection, read by a background thread.
 */
public final class MonitScreen {
    /** How often the screen checks for keys and redraws when something changed. */
    private static final long TICK_MS = 100;
    /** How many of an app's own metrics the details show. */
    private static final int APP_METRICS_LINES = 6;
    /** How many of a Node app's code metrics (heap, event loop, HTTP, @pm2/io's) the details show. */
    private static final int CODE_METRICS_LINES = 12;
    /**
     * How often the list is read again while nothing else asks for it: a Node app's code metrics
     * come with the list (pm2 monit reads its list again every second).
     */
    private static final long LIST_MS = 2000;
    /** Redraw at least this often, for uptimes. */
    private static final long REDRAW_MS = 1000;

    private final Session session;
    private final MonitModel model = new MonitModel();
    /** Room for the widest memory figure Render.bytes gives ("1023.9mb"). */
    private static final int MEM_WIDTH = 8;

    private String status = "up/down select   PgUp/PgDn scroll   r restart   s stop   q quit";
    /** How many detail lines PgDn scrolled past (MonitLayout clamps it); a new selection starts at the top. */
    private int detailScroll;
    /** How far PgUp and PgDn move: the detail lines last shown, less the two that say more. */
    private int detailPage = 1;
    /** The process 's' asked to stop, until the next key says yes or no. */
    private ProcessView confirmStop;

    private MonitScreen(Session session) {
        this.session = session;
    }

    public static int run(Session session) throws IOException {
        return new MonitScreen(session).loop();
    }

    private int loop() throws IOException {
        model.setProcesses(list());
        BridgeClient events = new DaemonConnector(session.home).connectOrStart();
        Thread listener = new Thread(
                () -> {
                    try {
                        events.listen(
                                List.of(
                                        Addresses.EVENTS_PROCESS,
                                        Addresses.EVENTS_METRICS,
                                        Addresses.EVENTS_HEALTH,
                                        Addresses.EVENTS_LOG,
                                        Addresses.EVENTS_APP_METRICS),
                                model::onEvent);
                    } catch (IOException | RuntimeException e) {
                        // the connection closes when monit quits
                    }
                },
                "jpm-monit-events");
        listener.setDaemon(true);
        listener.start();

        Screen screen = new DefaultTerminalFactory().setForceTextTerminal(true).createScreen();
        screen.startScreen();
        screen.setCursorPosition(null);
        try {
            long lastDraw = 0;
            long lastList = System.currentTimeMillis();
            while (true) {
                KeyStroke key = screen.pollInput();
                while (key != null) {
                    if (!handle(key)) {
                        return 0;
                    }
                    key = screen.pollInput();
                }
                long now = System.currentTimeMillis();
                if (model.takeStale() || now - lastList >= LIST_MS) {
                    model.setProcesses(list());
                    lastList = now;
                }
                boolean resized = screen.doResizeIfNecessary() != null;
                if (model.takeDirty() || resized || now - lastDraw >= REDRAW_MS) {
                    draw(screen, now);
                    screen.refresh(resized ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
                    lastDraw = now;
                }
                pause();
            }
        } finally {
            screen.stopScreen();
            events.close();
        }
    }

    private Json.Value list() throws IOException {
        return session.request(Addresses.QUERY_LIST, Map.of("env", false));
    }

    /** @return false to quit */
    private boolean handle(KeyStroke key) throws IOException {
        KeyType type = key.getKeyType();
        Character c = type == KeyType.Character ? key.getCharacter() : null;
        if (type == KeyType.Escape
                || type == KeyType.EOF
                || (c != null && (c == 'q' || (c == 'c' && key.isCtrlDown())))) {
            return false;
        }
        if (type == KeyType.ArrowUp || (c != null && c == 'k')) {
            model.move(-1);
            detailScroll = 0;
        } else if (type == KeyType.ArrowDown || (c != null && c == 'j')) {
            model.move(1);
            detailScroll = 0;
        } else if (type == KeyType.PageDown || type == KeyType.PageUp) {
            detailScroll = Math.max(0, detailScroll + (type == KeyType.PageDown ? detailPage : -detailPage));
            model.touch();
        } else if (confirmStop != null) {
            // the answer to "stop <name>? y/n": only y stops it
            ProcessView p = confirmStop;
            confirmStop = null;
            if (c != null && c == 'y') {
                act('s', p);
            } else {
                status = "stop of " + Render.text(p.name()) + " cancelled";
            }
        } else if (c != null && c == 's' && model.selectedProcess() != null) {
            confirmStop = model.selectedProcess();
            status = "stop " + Render.text(confirmStop.name()) + " (id " + Render.text(confirmStop.listedId())
                    + ")? y to confirm, any other key cancels";
        } else if (c != null && c == 'r') {
            act('r', model.selectedProcess());
        }
        return true;
    }

    /** Restarts ('r') or stops ('s') a process, and says how it went in the status line. */
    private void act(char c, ProcessView p) throws IOException {
        if (p == null) {
            return;
        }
        String verb = c == 'r' ? "restart" : "stop";
        try {
            String id = Render.text(p.listedId());
            session.request(c == 'r' ? Addresses.CMD_RESTART : Addresses.CMD_STOP, Session.targets(List.of(id)));
            status = verb + " " + Render.text(p.name()) + " (id " + id + "): done";
        } catch (CliException e) {
            status = verb + " failed: " + e.getMessage();
        }
        model.setProcesses(list());
    }

    private void draw(Screen screen, long now) {
        screen.clear();
        TerminalSize size = screen.getTerminalSize();
        int width = size.getColumns();
        int height = size.getRows();
        TextGraphics g = screen.newTextGraphics();
        String tooSmall = MonitLayout.tooSmall(width, height);
        if (tooSmall != null) {
            for (int y = 0; y < height && y * width < tooSmall.length(); y++) { // wrapped, as a narrow one cuts it
                put(g, 0, y, tooSmall.substring(y * width), width);
            }
            return;
        }
        int left = MonitLayout.listWidth(width);

        g.enableModifiers(SGR.BOLD);
        put(g, 0, 0, " jpm monit ", width);
        g.disableModifiers(SGR.BOLD);
        // the name takes what the other columns leave, so memory is never cut at 80 columns
        int nameWidth = Math.max(6, Math.min(24, left - 1 - (4 + 10 + 7 + MEM_WIDTH)));
        put(g, 1, 1, pad("id", 4) + pad("name", nameWidth) + pad("status", 10) + pad("cpu", 7) + "mem", left - 1);
        List<ProcessView> processes = model.processes();
        int row = 2;
        for (int i = MonitLayout.firstListed(model.selectedIndex(), height);
                i < processes.size() && row < height - 1;
                i++, row++) {
            ProcessView p = processes.get(i);
            double[] u = model.usage(p);
            String state = Render.text(p.pm2Env().run().status());
            String text = pad(Render.text(p.listedId()), 4)
                    + pad(Render.text(p.name()), nameWidth)
                    + pad(state, 10)
                    + pad(Render.oneDecimal(u[0]) + "%", 7)
                    + Render.bytes((long) u[1]);
            g.setForegroundColor(
                    ProcessState.ONLINE.is(state)
                            ? TextColor.ANSI.GREEN
                            : ProcessState.ERRORED.is(state) ? TextColor.ANSI.RED : TextColor.ANSI.YELLOW);
            if (i == model.selectedIndex()) {
                g.enableModifiers(SGR.REVERSE);
            }
            put(g, 1, row, text, left - 1);
            g.disableModifiers(SGR.REVERSE);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        if (processes.isEmpty()) {
            put(g, 1, 2, "no process: start one with jpm start", left - 1);
        }
        for (int y = 1; y < height - 1; y++) {
            g.setCharacter(left, y, '│');
        }
        drawDetails(g, model.selectedProcess(), left + 2, width - left - 2, height, now);
        g.enableModifiers(SGR.REVERSE);
        put(g, 0, height - 1, " " + status, width);
        g.disableModifiers(SGR.REVERSE);
    }

    private void drawDetails(TextGraphics g, ProcessView p, int x, int width, int height, long now) {
        if (p == null) {
            return;
        }
        MonitLayout.Right right = MonitLayout.right(details(p, now), model.logs(p.pmId()), height, detailScroll);
        detailScroll = right.scroll();
        detailPage = Math.max(1, right.details().size() - 2);
        int y = 1;
        for (String line : right.details()) {
            put(g, x, y++, line, width);
        }
        if (right.gap()) {
            y++;
        }
        g.enableModifiers(SGR.BOLD);
        put(g, x, y++, "logs", width);
        g.disableModifiers(SGR.BOLD);
        for (String line : right.logs()) {
            put(g, x, y++, line, width);
        }
    }

    /** The selected process's details, every line of them: what fits is MonitLayout's call. */
    private List<String> details(ProcessView p, long now) {
        ProcessViewJpm jpm = p.jpm();
        double[] u = model.usage(p);
        List<String> lines = new ArrayList<>(List.of(
                "name      " + Render.text(p.name()) + " (id " + Render.text(p.listedId()) + ")",
                "status    " + Render.text(p.pm2Env().run().status())
                        + (jpm.health() == null ? "" : ", " + jpm.health()),
                "pid       " + p.pid(),
                "uptime    "
                        + (p.online() ? Render.duration(now - p.pm2Env().run().pmUptime()) : "0"),
                "restarts  " + p.pm2Env().run().restartTime(),
                "cpu       " + Render.oneDecimal(u[0]) + "%",
                "memory    " + Render.bytes((long) u[1]),
                "script    " + Render.text(p.pm2Env().program().execPath()),
                "last      " + Render.text(jpm.lastReason())));
        if (jpm.balancer() != null) { // pm2 monit's req/min, from the balancer
            long perMinute = jpm.balancer() instanceof ProcessViewBalancer.Proxy proxy ? proxy.perMinute() : 0;
            boolean http = jpm.balancer() instanceof ProcessViewBalancer.Proxy proxy && "http".equals(proxy.balance());
            lines.add((http ? "req/min   " : "conn/min  ") + perMinute);
        }
        // a Node app's code metrics, pm2 monit's "Custom metrics"
        List<CodeMetrics.Line> code = p.pm2Env().codeMetrics().lines();
        for (CodeMetrics.Line line : code.subList(0, Math.min(code.size(), CODE_METRICS_LINES))) {
            lines.add(pad(line.name(), 24) + line.value());
        }
        // the app's own metrics (metrics_url), as pm2 monit shows @pm2/io's: the first few
        List<Object> samples = jpm.appMetricSamples();
        for (Object sample : samples.subList(0, Math.min(samples.size(), APP_METRICS_LINES))) {
            lines.add("metric    " + AppMetricsView.name(new Json.Value(sample)) + " "
                    + AppMetricsView.value(new Json.Value(sample)));
        }
        return lines;
    }

    private static void put(TextGraphics g, int x, int y, String text, int width) {
        String clean = TerminalText.harmless(text.replace('\t', ' '));
        g.putString(x, y, clean.length() > width ? clean.substring(0, Math.max(0, width)) : clean);
    }

    private static String pad(String text, int width) {
        String cut = text.length() >= width ? text.substring(0, width - 1) : text;
        return cut + " ".repeat(width - cut.length());
    }

    private static void pause() {
        try {
            Thread.sleep(TICK_MS); // the screen's frame pace, not a wait for a state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
