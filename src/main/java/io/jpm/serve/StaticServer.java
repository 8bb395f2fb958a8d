package io.jpm.serve;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * pm2's static file server ({@code pm2 serve}, lib/API/Serve.js), run by jpm as an app of its own:
 * {@code java -cp jpm.jar io.jpm.serve.StaticServer}. Configured as pm2's by the environment:
 * PM2_SERVE_PATH (default the cwd), PM2_SERVE_PORT (8080), PM2_SERVE_HOST (jpm: 127.0.0.1),
 * PM2_SERVE_SPA ("true": an unknown path answers the homepage), PM2_SERVE_HOMEPAGE
 * (/index.html), PM2_SERVE_FTP ("true": folders are listed), PM2_SERVE_BASIC_AUTH ("true") with
 * PM2_SERVE_BASIC_AUTH_USERNAME and _PASSWORD. Files go through vertx-web's StaticHandler (content
 * types, ranges, caching headers, no path outside the folder); a miss answers the folder's
 * 404.html or "404 Not Found", as pm2's does. One line per request on stdout, the app's log.
 */
public final class StaticServer {
  private StaticServer() {}

  /** The server's settings, read from the environment as pm2's Serve.js reads them. */
  record Settings(Path root, int port, String host, boolean spa, boolean listing, String homepage, String user, String password) {
    static Settings from(Map<String, String> env) {
      Path root = Path.of(env.getOrDefault("PM2_SERVE_PATH", ".")).toAbsolutePath().normalize();
      String portText = env.getOrDefault("PM2_SERVE_PORT", "8080");
      int port;
      try {
        port = Integer.parseInt(portText.strip());
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("PM2_SERVE_PORT must be a port number (1-65535), got '" + portText + "'");
      }
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("PM2_SERVE_PATH is not a folder: " + root);
      }
      String homepage = env.getOrDefault("PM2_SERVE_HOMEPAGE", "/index.html");
      boolean auth = "true".equals(env.get("PM2_SERVE_BASIC_AUTH"));
      String user = auth ? env.get("PM2_SERVE_BASIC_AUTH_USERNAME") : null;
      String password = auth ? env.get("PM2_SERVE_BASIC_AUTH_PASSWORD") : null;
      if (auth && (user == null || user.isEmpty() || password == null || password.isEmpty())) {
        throw new IllegalArgumentException("PM2_SERVE_BASIC_AUTH needs PM2_SERVE_BASIC_AUTH_USERNAME and _PASSWORD");
      }
      return new Settings(root, port, env.getOrDefault("PM2_SERVE_HOST", "127.0.0.1"), "true".equals(env.get("PM2_SERVE_SPA")),
          "true".equals(env.get("PM2_SERVE_FTP")), homepage.startsWith("/") ? homepage : "/" + homepage, user, password);
    }
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.from(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("jpm serve: " + e.getMessage());
      System.exit(1);
      return;
    }
    // one event loop is plenty for a static site and keeps the JVM small
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
    vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
        .requestHandler(router(vertx, settings))
        .listen(settings.port(), settings.host())
        .onSuccess(s -> System.out.println("Exposing " + settings.root() + " directory on " + settings.host() + ":" + s.actualPort()))
        .onFailure(e -> {
          System.err.println("jpm serve: cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
          System.exit(1);
        });
  }

  static Router router(Vertx vertx, Settings settings) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.addEndHandler(v -> System.out.println(ctx.request().method() + " " + ctx.request().uri() + " " + ctx.response().getStatusCode()));
      ctx.next();
    });
    if (settings.user() != null) {
      router.route().handler(ctx -> basicAuth(ctx, settings));
    }
    router.route().handler(StaticHandler.create(FileSystemAccess.ROOT, settings.root().toString())
        .setIndexPage(settings.homepage())
        .setDirectoryListing(settings.listing())
        .setIncludeHidden(false)
        // no day-long "immutable" caching: a redeployed site must show at once (pm2 sends no cache headers)
        .setCachingEnabled(false));
    router.route().handler(ctx -> miss(ctx, settings));
    return router;
  }

  /** pm2's rule: credentials that differ in any byte answer 401 with a challenge (compared in constant time here). */
  private static void basicAuth(RoutingContext ctx, Settings settings) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    byte[] expected = (settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8);
    byte[] given = new byte[0];
    if (header != null && header.startsWith("Basic ")) {
      try {
        given = Base64.getDecoder().decode(header.substring(6).strip());
      } catch (IllegalArgumentException e) {
        given = new byte[0];
      }
    }
    if (MessageDigest.isEqual(expected, given)) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "text/html")
        .putHeader("WWW-Authenticate", "Basic realm=\"Authentication service\"").end("401 Unauthorized");
  }

  /** No such file: the homepage for a single-page app, else the folder's 404.html or pm2's text. */
  private static void miss(RoutingContext ctx, Settings settings) {
    Path home = settings.root().resolve(settings.homepage().substring(1)).normalize();
    boolean get = ctx.request().method().name().equals("GET") || ctx.request().method().name().equals("HEAD");
    if (settings.spa() && get && home.startsWith(settings.root()) && Files.isRegularFile(home)) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html").sendFile(home.toString());
      return;
    }
    Path custom = settings.root().resolve("404.html");
    ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/html");
    if (Files.isRegularFile(custom)) {
      ctx.response().sendFile(custom.toString());
    } else {
      ctx.response().end("404 Not Found");
    }
  }
}
