package io.jpm.serve;

import io.jpm.protocol.ProcessEnd;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * jpm's static file server, pm2's {@code pm2 serve}: the main class of the app that
 * {@code jpm serve} and an ecosystem app with {@code script: "serve"} start, in its own small JVM
 * (the daemon runs it with its own java and class path). Reads {@link ServeOptions} from its
 * environment and arguments; a bad one is one line on stderr and exit 1.
 *
 * <p>Requests go through: access log, basic auth, the caching header (and CORS when asked for:
 * pm2 sends {@code Access-Control-Allow-Origin: *} always, jpm only with {@code PM2_SERVE_CORS}),
 * the homepage for {@code /}, the symlink check ({@link InsideFolder}: a link out of the folder
 * answers 404 unless {@code PM2_SERVE_FOLLOW_SYMLINKS}), vertx-web's StaticHandler (content types,
 * ranges, Last-Modified and 304s, gzip when asked, no dotfiles, {@code ..} removed after decoding),
 * the listing of a folder (--ftp), the spa fallback, then 404 with the folder's 404.html or pm2's
 * "404 Not Found".
 */
public final class StaticServer {
    /** Which spa fallback a request has been rerouted to already. */
    private static final String SPA_STEP = "jpm.serve.spa";

    private final ServeOptions options;
    private final PrintStream out;
    /** Null when links may lead out of the folder. */
    private final InsideFolder inside;

    StaticServer(ServeOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        try {
            this.inside = options.followSymlinks() ? null : new InsideFolder(options.path());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + options.path() + ": " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        ServeOptions options;
        try {
            options = ServeOptions.read(
                    System.getenv(), List.of(args), Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println("jpm serve: " + e.getMessage());
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
            return;
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // one event loop and few helper threads: a static folder needs no more, and each costs memory
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        StaticServer server;
        try {
            server = new StaticServer(options, out);
        } catch (IllegalArgumentException e) {
            System.err.println("jpm serve: " + e.getMessage());
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
            return;
        }
        server.listen(vertx).onComplete(started -> {
            if (started.failed()) {
                System.err.println("jpm serve: cannot listen on " + options.host() + ":" + options.port() + ": "
                        + started.cause().getMessage());
                ProcessEnd.exit(ProcessEnd.Code.FAILURE);
            }
            // a socket call: off the event loop
            vertx.executeBlocking(() -> ReadyNotice.send(System.getenv("NOTIFY_SOCKET")))
                    .onSuccess(problem -> {
                        if (problem != null) {
                            System.err.println("jpm serve: " + problem);
                        }
                    });
        });
    }

    /** Starts listening; says so on stdout in pm2's words. */
    Future<HttpServer> listen(Vertx vertx) {
        return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router(vertx))
                .listen(options.port(), options.host())
                .onSuccess(server -> out.println(
                        "Exposing " + options.path() + " directory on " + options.host() + ":" + server.actualPort()));
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(new AccessLog(out));
        if (options.auth() != null) {
            BasicAuth auth = new BasicAuth(options.auth());
            String user = options.auth().username();
            router.route().handler(context -> {
                if (auth.accepts(context.request().getHeader("Authorization"))) {
                    context.put(AccessLog.USER, user);
                    context.next();
                } else {
                    context.response()
                            .setStatusCode(401)
                            .putHeader("Content-Type", "text/html")
                            .putHeader("WWW-Authenticate", BasicAuth.CHALLENGE)
                            .end("401 Unauthorized");
                }
            });
        }
        router.route().handler(this::commonHeaders);
        if (!options.homepage().equals(ServeOptions.DEFAULT_HOMEPAGE)) {
            router.route("/")
                    .method(HttpMethod.GET)
                    .method(HttpMethod.HEAD)
                    .handler(context -> context.reroute(context.request().method(), options.homepage()));
        }
        if (inside != null) {
            router.route().handler(context -> {
                if (inside.allows(inside.fileOf(context))) {
                    context.next();
                } else {
                    notFound(context);
                }
            });
        }
        String root = options.path().toString();
        router.route()
                .handler(StaticHandler.create(FileSystemAccess.ROOT, root)
                        .setDefaultContentEncoding("UTF-8")
                        // no .env or .git from a folder deployed whole (pm2 serves them)
                        .setIncludeHidden(false)
                        // served folders get redeployed: see a changed file within a second, not after 30 s
                        .setFilesReadOnly(false)
                        .setCacheEntryTimeout(1000));
        if (options.listing()) {
            router.route()
                    .handler(StaticHandler.create(FileSystemAccess.ROOT, root)
                            .setDirectoryListing(true)
                            .setIncludeHidden(false)
                            .setCachingEnabled(false));
        }
        if (options.spa()) {
            router.route().handler(this::spaFallback);
        }
        router.route().handler(this::notFound);
        router.errorHandler(500, context -> context.response()
                .setStatusCode(500)
                .putHeader("Content-Type", "text/plain")
                .end("500 Internal Server Error"));
        return router;
    }

    /**
     * Caching that revalidates (a served folder may change at any deploy, so a browser asks again
     * and gets a 304 while it has not), and pm2's CORS headers only when asked for.
     */
    private void commonHeaders(RoutingContext context) {
        context.response().putHeader("Cache-Control", "no-cache");
        String origin = options.corsOrigin();
        if (origin != null) {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() < 400) {
                    context.response()
                            .putHeader("Access-Control-Allow-Origin", origin)
                            .putHeader("Access-Control-Allow-Methods", "GET");
                    if (!origin.equals("*")) {
                        context.response().putHeader("Vary", "Origin");
                    }
                }
            });
        }
        context.next();
    }

    /**
     * pm2's --spa: a path that names no file is tried as {@code /<its last segment>} at the top of
     * the folder (an asset a page asked for relative to a deep link), then as the homepage.
     */
    private void spaFallback(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            context.next();
            return;
        }
        String step = context.get(SPA_STEP);
        String path = context.normalizedPath();
        if (step == null) {
            String last = lastSegment(path);
            context.put(SPA_STEP, "top");
            if (!last.isEmpty() && !("/" + last).equals(path)) {
                context.reroute(method, "/" + last);
                return;
            }
        }
        if (!"home".equals(step) && !path.equals(options.homepage())) {
            context.put(SPA_STEP, "home");
            context.reroute(method, options.homepage());
            return;
        }
        context.next();
    }

    static String lastSegment(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** pm2's 404: the folder's own 404.html when it has one, else "404 Not Found", as text/html. */
    private void notFound(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            context.response()
                    .setStatusCode(405)
                    .putHeader("Allow", "GET, HEAD")
                    .putHeader("Content-Type", "text/plain")
                    .end("405 Method Not Allowed");
            return;
        }
        Path page = options.path().resolve("404.html");
        boolean own = inside == null || inside.allows(inside.inFolder("404.html"));
        Future<Buffer> read = own
                ? context.vertx().fileSystem().readFile(page.toString())
                : Future.failedFuture("404.html leads out of the folder");
        read.recover(missing -> Future.succeededFuture(Buffer.buffer("404 Not Found")))
                .onSuccess(body -> context.response()
                        .setStatusCode(404)
                        .putHeader("Content-Type", "text/html")
                        .end(body));
    }
}
