package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code serve [path] [port]} (alias {@code expose}): a static file server as an app named
 * {@code static-page-server-<port>} (or {@code --name}), with {@code --spa}, {@code --ftp} (folder
 * listing), {@code --basic-auth-username}/{@code --basic-auth-password}, {@code --port}; pm2's
 * PM2_SERVE_PATH and PM2_SERVE_PORT win over the arguments, as in pm2. It is an ecosystem app with
 * {@code script: "serve"}: it shows in ls, restarts by policy, logs, saves and resurrects.
 */
final class ServeCommand implements Command {
  private static final Map<String, String> VALUED = Args.spellings("--port", "port", "--name", "name",
      "--basic-auth-username", "user", "--basic-auth-password", "password", "--host", "host");
  private static final Map<String, String> SWITCHES = Args.spellings("--spa", "spa", "--ftp", "ftp");

  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("serve", words, VALUED, SWITCHES).expectPositionals("serve", 0, 2, "[path] [port]");
    String pathText = System.getenv().getOrDefault("PM2_SERVE_PATH", args.positionals.isEmpty() ? "." : args.positionals.get(0));
    Path path = Path.of(System.getProperty("user.dir")).resolve(pathText).normalize();
    if (!Files.isDirectory(path)) {
      throw CliException.usage("serve: no such folder: " + path);
    }
    String portText = System.getenv().getOrDefault("PM2_SERVE_PORT",
        args.positionals.size() > 1 ? args.positionals.get(1) : args.has("port") ? args.get("port") : "8080");
    if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
      throw CliException.usage("serve: the port must be a number from 1 to 65535, got '" + portText + "'");
    }
    if (args.has("user") != args.has("password")) {
      throw CliException.usage("serve: basic auth needs both --basic-auth-username and --basic-auth-password");
    }
    Map<String, Object> env = Json.object();
    env.put("PM2_SERVE_PATH", path.toString());
    env.put("PM2_SERVE_PORT", portText);
    env.put("PM2_SERVE_SPA", Boolean.toString(args.has("spa")));
    env.put("PM2_SERVE_FTP", Boolean.toString(args.has("ftp")));
    if (args.has("host")) {
      env.put("PM2_SERVE_HOST", args.get("host"));
    }
    if (args.has("user")) {
      env.put("PM2_SERVE_BASIC_AUTH", "true");
      env.put("PM2_SERVE_BASIC_AUTH_USERNAME", args.get("user"));
      env.put("PM2_SERVE_BASIC_AUTH_PASSWORD", args.get("password"));
    }
    Map<String, Object> app = Json.object();
    app.put("script", "serve");
    app.put("name", args.has("name") ? args.get("name") : "static-page-server-" + portText);
    app.put("cwd", path.toString());
    app.put("env", env);
    Map<String, Object> request = Json.object();
    request.put("cwd", System.getProperty("user.dir"));
    request.put("env", new java.util.TreeMap<String, Object>(System.getenv()));
    request.put("apps", List.of(app));
    session.request(Addresses.CMD_START, request);
    session.out.println("[jpm] Serving " + path + " on port " + portText);
    session.printTable();
    return 0;
  }
}
