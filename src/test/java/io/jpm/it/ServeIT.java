package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's serve: a static file server as an app, with --spa, basic auth, pm2's 404 and its ecosystem form. */
@ExtendWith(JpmExtension.class)
class ServeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path site(Jpm jpm, String name) throws Exception {
    Path site = Files.createDirectories(jpm.scratch.resolve(name).resolve("assets"));
    Files.writeString(site.getParent().resolve("index.html"), "<h1>home</h1>");
    Files.writeString(site.resolve("app.css"), "body{}");
    return site.getParent();
  }

  private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    // a raw path: no client normalises ../ away before the server sees it
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> awaitServing(int port, String path, String... headers) {
    return Jpm.await("serving on " + port, () -> {
      try {
        return get(port, path, headers);
      } catch (Exception e) {
        return null;
      }
    });
  }

  @Test
  void servesFilesWithPm2s404AndNeverAFileOutsideTheFolder(Jpm jpm) throws Exception {
    Path site = site(jpm, "plain");
    int port = freePort();
    Jpm.Result served = jpm.ok("serve", site.toString(), String.valueOf(port));
    assertTrue(served.out().contains("Serving " + site + " on port " + port), served.toString());
    JsonObject p = jpm.awaitStatus("static-page-server-" + port, "online").get(0);

    HttpResponse<String> css = awaitServing(port, "/assets/app.css");
    assertEquals(200, css.statusCode());
    assertEquals("body{}", css.body());
    assertTrue(css.headers().firstValue("content-type").orElse("").startsWith("text/css"), css.headers().toString());
    assertEquals("<h1>home</h1>", get(port, "/").body(), "the homepage for /");
    HttpResponse<String> missing = get(port, "/nothing/here");
    assertEquals(404, missing.statusCode());
    assertEquals("404 Not Found", missing.body());
    Files.writeString(site.resolve("404.html"), "custom miss");
    assertEquals("custom miss", get(port, "/gone").body(), "the folder's 404.html, as pm2's");

    Files.writeString(site.getParent().resolve("secret.txt"), "outside");
    for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"}) {
      HttpResponse<String> escape = get(port, path);
      assertFalse(escape.body().contains("outside"), path + " reached a file outside the folder");
      assertTrue(escape.statusCode() >= 400, path + ": " + escape.statusCode());
    }
    String log = jpm.awaitLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"), "GET /assets/app.css 200");
    assertTrue(log.contains("Exposing " + site + " directory on 127.0.0.1:" + port), log);
  }

  @Test
  void spaAnswersTheHomepageAndBasicAuthGuardsEverything(Jpm jpm) throws Exception {
    Path site = site(jpm, "spa");
    int port = freePort();
    jpm.ok("serve", site.toString(), "--port", String.valueOf(port), "--spa", "--name", "front",
        "--basic-auth-username", "ann", "--basic-auth-password", "s3cret");
    jpm.awaitStatus("front", "online");
    HttpResponse<String> refused = awaitServing(port, "/");
    assertEquals(401, refused.statusCode());
    assertEquals("Basic realm=\"Authentication service\"", refused.headers().firstValue("www-authenticate").orElse(""));
    String wrong = "Basic " + Base64.getEncoder().encodeToString("ann:nope".getBytes(StandardCharsets.UTF_8));
    assertEquals(401, get(port, "/", "Authorization", wrong).statusCode());
    String right = "Basic " + Base64.getEncoder().encodeToString("ann:s3cret".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> route = get(port, "/users/42", "Authorization", right);
    assertEquals(200, route.statusCode());
    assertEquals("<h1>home</h1>", route.body(), "a single-page app's route answers the homepage");
    assertEquals("body{}", get(port, "/assets/app.css", "Authorization", right).body());
  }

  @Test
  void anEcosystemAppWithScriptServeIsPm2sServer(Jpm jpm) throws Exception {
    Path site = site(jpm, "eco");
    int port = freePort();
    Path file = jpm.scratch.resolve("static.json");
    Files.writeString(file, new JsonObject().put("apps", new JsonArray().add(new JsonObject().put("name", "docs").put("script", "serve")
        .put("env", new JsonObject().put("PM2_SERVE_PATH", site.toString()).put("PM2_SERVE_PORT", port)))).encode());
    jpm.ok("start", file.toString());
    jpm.awaitStatus("docs", "online");
    assertEquals("<h1>home</h1>", awaitServing(port, "/").body());
    jpm.ok("stop", "docs");
    assertEquals("stopped", Jpm.status(jpm.named("docs").get(0)));
  }

  @Test
  void badInputStartsNothing(Jpm jpm) throws Exception {
    Path site = site(jpm, "bad");
    Jpm.Result noFolder = jpm.cli("serve", site.resolve("missing").toString(), "8081");
    assertEquals(1, noFolder.exit(), noFolder.toString());
    assertTrue(noFolder.err().contains("no such folder"), noFolder.toString());
    Jpm.Result badPort = jpm.cli("serve", site.toString(), "eighty");
    assertEquals(1, badPort.exit(), badPort.toString());
    assertTrue(badPort.err().contains("the port must be a number from 1 to 65535"), badPort.toString());
    Jpm.Result halfAuth = jpm.cli("serve", site.toString(), "8082", "--basic-auth-username", "ann");
    assertEquals(1, halfAuth.exit(), halfAuth.toString());
    assertTrue(jpm.jlist().isEmpty(), "nothing started");
  }
}
