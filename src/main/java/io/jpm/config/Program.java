package io.jpm.config;

import io.jpm.process.Signal;
import io.jpm.protocol.AppOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The program an app runs, as far as jpm's defaults depend on it: the stop signal, whether the app
 * can take a listening socket at fd 3, and how long a new instance may take to get ready. Every
 * default here is one an explicit option overrides (docs/CONFIG.md, "Defaults by program").
 *
 * @param name the program's file name: the script's ({@code gunicorn}, {@code server.py}), the
 *     module of {@code python3 -m <module>}, or the first word of a command line run by {@code bash -c}
 * @param node whether it runs under node
 * @param jvm whether it runs on a JVM ({@code java} runs it: a .jar, a .java, a class)
 * @param fd3 whether its arguments tell it to serve the socket at fd 3 ({@code --fd 3}, {@code fd://3})
 */
public record Program(String name, boolean node, boolean jvm, boolean fd3) {
    /** pm2's listen_timeout: how long pm2 waits before it goes on anyway. */
    public static final long PM2_LISTEN_TIMEOUT_MS = AppOption.LISTEN_TIMEOUT.longDefault();
    /**
     * An instance jpm balances must be ready before its old one stops (else the reload is abandoned):
     * Node servers took 1.1-2.5 s to accept on this project's 2-core test machine under load, three times
     * what they take idle.
     */
    static final long BALANCED_LISTEN_TIMEOUT_MS = 10_000;
    /** A JVM server (Javalin: 1.1-1.3 s idle, 2.6-4.0 s under load here; bigger frameworks take several times that). */
    static final long JVM_LISTEN_TIMEOUT_MS = 30_000;

    /**
     * Servers that read systemd's LISTEN_FDS themselves and so take the socket at fd 3 with no
     * argument (gunicorn: its arbiter's listen_fds()).
     */
    private static final Set<String> TAKE_LISTEN_FDS = Set.of("gunicorn");
    /**
     * Servers whose SIGINT is a quick shutdown that drops the requests in flight, and SIGTERM the
     * graceful one (gunicorn's signal table: INT and QUIT quick, TERM graceful).
     */
    private static final Set<String> GRACEFUL_ON_SIGTERM = Set.of("gunicorn");

    /**
     * @param script the resolved script (a path, or a command's name)
     * @param interpreter the interpreter command, empty when the script is executed directly
     * @param args the app's arguments
     */
    public static Program of(String script, List<String> interpreter, List<String> args) {
        String scriptName = fileName(script);
        String interpreterName = interpreter.isEmpty() ? "" : fileName(interpreter.get(0));
        List<String> words = args;
        String name = scriptName;
        if (interpreter.isEmpty()
                && isShell(scriptName)
                && args.size() >= 2
                && args.get(0).equals("-c")) {
            // pm2's command line with spaces, run by bash -c: the program is its first word
            words = List.of(args.get(1).trim().split("\\s+"));
            name = fileName(words.get(0));
        } else if (interpreter.isEmpty()
                && scriptName.matches("python[0-9.]*")
                && args.size() >= 2
                && args.get(0).equals("-m")) {
            name = args.get(1);
        }
        boolean node = interpreterName.equals("node") || interpreterName.equals("nodejs");
        boolean jvm = interpreterName.equals("java") || (interpreter.isEmpty() && name.equals("java"));
        return new Program(name, node, jvm, namesFd3(words));
    }

    /** The signal a stop sends first when the app sets no kill_signal: pm2's SIGINT, SIGTERM where SIGINT drops requests. */
    public Signal killSignal() {
        return GRACEFUL_ON_SIGTERM.contains(name) ? Signal.SIGTERM : Signal.parse(AppOption.KILL_SIGNAL.textDefault());
    }

    /** Whether the app can serve a socket the daemon opens and passes at fd 3, with nothing more said. */
    public boolean takesSocket() {
        return fd3 || TAKE_LISTEN_FDS.contains(name);
    }

    /** listen_timeout when the app sets none: pm2's for an app outside the balancer, more for one jpm balances. */
    public long listenTimeoutMs(boolean balanced) {
        if (jvm && name.equals(ServeApp.MAIN_CLASS)) {
            // jpm's own server always says when it listens: waiting longer only keeps a slow start
            // (a JVM on a busy machine) from being called online before it serves
            return JVM_LISTEN_TIMEOUT_MS;
        }
        if (!balanced) {
            return PM2_LISTEN_TIMEOUT_MS;
        }
        return jvm ? JVM_LISTEN_TIMEOUT_MS : BALANCED_LISTEN_TIMEOUT_MS;
    }

    /** {@code --fd 3}, {@code --fd=3} (uvicorn), {@code fd://3} (gunicorn's and hypercorn's --bind). */
    private static boolean namesFd3(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--fd=3")
                    || arg.equals("fd://3")
                    || arg.endsWith("=fd://3")
                    || (arg.equals("--fd")
                            && i + 1 < args.size()
                            && args.get(i + 1).equals("3"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isShell(String name) {
        return name.equals("bash") || name.equals("sh");
    }

    private static String fileName(String path) {
        Path name = Path.of(path).getFileName();
        return name == null ? path : name.toString();
    }
}
