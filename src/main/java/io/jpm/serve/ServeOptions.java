package io.jpm.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the static file server serves, read the way pm2's lib/API/Serve.js reads it: each setting
 * from its {@code PM2_SERVE_*} variable, else from the arguments {@code [path] [port] [host]},
 * else pm2's default. Unlike pm2, a bad value is refused (pm2 turns a bad port into 8080 and
 * compares passwords with undefined), and the host is 127.0.0.1 unless told (pm2: 0.0.0.0): the daemon checks an app's env with {@link #read} before it
 * starts anything, so a mistake is one line naming the variable, not a crash loop.
 *
 * @param path the folder served, absolute
 * @param homepage what {@code /} serves and the spa fallback, a path starting with {@code /}
 * @param spa pm2's --spa: an unknown path answers {@code /<its last segment>}, else the homepage
 * @param listing pm2's --ftp: a folder without index.html answers a listing of its files
 * @param auth the basic-auth credentials, null when the server is open
 * @param followSymlinks jpm's addition: true serves what a symlink in the folder points to even
 *     outside it; by default such a link answers 404 as if it were not there
 * @param corsOrigin jpm's addition: the {@code Access-Control-Allow-Origin} sent with what is
 *     served ({@code *} or an origin), null for none (pm2 always sends {@code *}: any web page the
 *     operator opens could then read what the server serves on loopback)
 */
public record ServeOptions(
        Path path,
        int port,
        String host,
        boolean spa,
        String homepage,
        boolean listing,
        Credentials auth,
        boolean followSymlinks,
        String corsOrigin) {
    public static final int DEFAULT_PORT = 8080;
    /** Loopback, like every jpm door (pm2 listens on every interface): PM2_SERVE_HOST or --host opens it. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    public static final String DEFAULT_HOMEPAGE = "/index.html";

    public static final String PATH = "PM2_SERVE_PATH";
    public static final String PORT = "PM2_SERVE_PORT";
    public static final String HOST = "PM2_SERVE_HOST";
    public static final String SPA = "PM2_SERVE_SPA";
    public static final String HOMEPAGE = "PM2_SERVE_HOMEPAGE";
    public static final String FTP = "PM2_SERVE_FTP";
    public static final String BASIC_AUTH = "PM2_SERVE_BASIC_AUTH";
    public static final String USERNAME = "PM2_SERVE_BASIC_AUTH_USERNAME";
    public static final String PASSWORD = "PM2_SERVE_BASIC_AUTH_PASSWORD";
    /** jpm's, not pm2's: "true" follows symlinks out of the folder. */
    public static final String FOLLOW_SYMLINKS = "PM2_SERVE_FOLLOW_SYMLINKS";
    /** jpm's, not pm2's: the origin allowed to read what is served ({@code *} for any). */
    public static final String CORS = "PM2_SERVE_CORS";

    /** A user name and password that basic auth accepts. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ****]";
        }
    }

    /**
     * The options of an environment and command line.
     *
     * @param cwd what a relative path is relative to (the app's folder)
     * @throws IllegalArgumentException with one line naming the variable and the value refused
     */
    public static ServeOptions read(Map<String, String> env, List<String> args, Path cwd) {
        String pathText = pick(env, PATH, args, 0, ".");
        Path path = cwd.resolve(pathText).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(source(env, PATH, "path") + " '" + pathText + "' is not a folder"
                    + (Files.exists(path) ? "" : " (no such file or folder)"));
        }
        String portText = pick(env, PORT, args, 1, Integer.toString(DEFAULT_PORT));
        int port = port(portText, source(env, PORT, "port"));
        String host = pick(env, HOST, args, 2, DEFAULT_HOST);
        String homepage = env.getOrDefault(HOMEPAGE, "");
        if (homepage.isEmpty()) {
            homepage = DEFAULT_HOMEPAGE;
        } else if (!homepage.startsWith("/")) {
            // pm2 joins it to the folder as it is: "app.html" and "/app.html" name the same file
            homepage = "/" + homepage;
        }
        Credentials auth = null;
        if ("true".equals(env.get(BASIC_AUTH))) {
            String username = env.getOrDefault(USERNAME, "");
            String password = env.getOrDefault(PASSWORD, "");
            if (username.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException(
                        BASIC_AUTH + " is true but " + (username.isEmpty() ? USERNAME : PASSWORD) + " is empty");
            }
            if (username.contains(":")) {
                throw new IllegalArgumentException(
                        USERNAME + " cannot contain ':' (basic auth splits user and password there)");
            }
            auth = new Credentials(username, password);
        }
        String cors = env.getOrDefault(CORS, "");
        if (!cors.isEmpty() && !cors.equals("*") && !cors.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
            throw new IllegalArgumentException(
                    CORS + " must be * or an origin like https://example.com (scheme, host, port), got '" + cors + "'");
        }
        return new ServeOptions(
                path,
                port,
                host,
                "true".equals(env.get(SPA)),
                homepage,
                "true".equals(env.get(FTP)),
                auth,
                "true".equals(env.get(FOLLOW_SYMLINKS)),
                cors.isEmpty() ? null : cors);
    }

    /**
     * A TCP port from text: a whole number from 1 to 65535.
     *
     * @param what how the message names where the text came from
     */
    public static int port(String text, String what) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException(what + " must be a port number from 1 to 65535, got '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** pm2's order: the variable when set and not empty, else the argument, else the default. */
    private static String pick(
            Map<String, String> env, String variable, List<String> args, int index, String fallback) {
        String value = env.get(variable);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        return index < args.size() && !args.get(index).isEmpty() ? args.get(index) : fallback;
    }

    private static String source(Map<String, String> env, String variable, String argument) {
        String value = env.get(variable);
        return value != null && !value.isEmpty() ? variable : argument;
    }
}
