package io.jpm.config;

import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An ecosystem file, read and validated whole: {@code {"apps":[...]}} (or a bare array) into app
 * configs in start order. Blocking: call it off the event loop. Nothing is returned unless every
 * app validates.
 */
public final class EcosystemFile {
  private EcosystemFile() {}

  /** Reads, validates and keeps the apps named by {@code only} (all when empty). */
  public static List<AppConfig> read(Path file, Map<String, String> clientEnv, String envName, List<String> only) {
    return parse(file, text(file), clientEnv, envName, only);
  }

  /**
   * A file's apps, and whether its edits are applied as they are saved (its top-level
   * {@code hot_reload}, default true).
   */
  public record Parsed(List<AppConfig> apps, boolean hotReload) {}

  /**
   * As {@link #read}, from the text the file holds. A JavaScript file is evaluated by node as it
   * is on disk, with {@code clientEnv}.
   */
  public static List<AppConfig> parse(Path file, String text, Map<String, String> clientEnv, String envName, List<String> only) {
    return parseWhole(file, text, clientEnv, envName, only).apps();
  }

  /** As {@link #parse}, with the file's own options. */
  public static Parsed parseWhole(Path file, String text, Map<String, String> clientEnv, String envName, List<String> only) {
    Object document = document(file, text, clientEnv);
    boolean hotReload = true;
    if (document instanceof JsonObject object && object.containsKey("hot_reload")) {
      if (!(object.getValue("hot_reload") instanceof Boolean b)) {
        throw new JpmException(JpmError.INVALID_CONFIG, file + ": hot_reload must be true or false, got " + object.getValue("hot_reload"));
      }
      hotReload = b;
    }
    return new Parsed(select(file, AppConfigParser.forFile(file, clientEnv).parseAll(appsOf(file, document), envName), only), hotReload);
  }

  private static List<AppConfig> select(Path file, List<AppConfig> configs, List<String> only) {
    if (only.isEmpty()) {
      return configs;
    }
    for (String name : only) {
      if (configs.stream().noneMatch(c -> c.name().equals(name))) {
        throw new JpmException(JpmError.INVALID_ARGUMENT, file + ": --only names '" + name + "', which the file does not declare");
      }
    }
    return configs.stream().filter(c -> only.contains(c.name())).toList();
  }

  public static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new JpmException(JpmError.SCRIPT_NOT_FOUND, "file not found: " + file);
    } catch (IOException e) {
      throw new JpmException(JpmError.INVALID_CONFIG, file + ": cannot read: " + e.getMessage());
    }
  }

  /** A target naming an ecosystem file rather than an app, by pm2's rule ({@link EcosystemFileKind}). */
  public static boolean isEcosystemFile(String target) {
    return EcosystemFileKind.isEcosystemFile(target);
  }

  /**
   * The apps array of an ecosystem file, as pm2 finds it: {@code apps}, else {@code pm2}, else the
   * document itself (an array of apps, or one app). JSON is read leniently, as pm2 evaluates it;
   * JavaScript is evaluated by node with {@code env} ({@link JsEcosystem}).
   */
  public static JsonArray apps(Path file, String text, Map<String, String> env) {
    return appsOf(file, document(file, text, env));
  }

  /**
   * One top-level section of an ecosystem file other than its apps (pm2's {@code deploy}), read by
   * the same rules as the apps: lenient JSON, YAML, or JavaScript evaluated by node with
   * {@code env}. Plain Java values (maps, lists, strings, numbers, booleans), so the reader needs no
   * JSON library; null when the file has no such section.
   */
  public static Object section(Path file, String name, Map<String, String> env) {
    Object document = document(file, text(file), env);
    return document instanceof JsonObject object ? plain(object.getValue(name)) : null;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new java.util.LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new java.util.ArrayList<>();
      array.forEach(v -> list.add(plain(v)));
      return list;
    }
    return value;
  }

  /** The file's whole document: a {@link JsonObject} or a {@link JsonArray}. */
  private static Object document(Path file, String text, Map<String, String> env) {
    EcosystemFileKind kind = EcosystemFileKind.of(file.getFileName().toString());
    if (kind == EcosystemFileKind.YAML) {
      return YamlText.parse(file, text);
    }
    if (kind != null && kind.isJavaScript()) {
      return exported(file, JsEcosystem.evaluate(file, env.isEmpty() ? System.getenv() : env));
    }
    return LenientJson.parse(file, text);
  }

  private static JsonArray appsOf(Path file, Object json) {
    if (json instanceof JsonArray array) {
      return array;
    }
    JsonObject document = (JsonObject) json;
    Object apps = document.containsKey("apps") ? document.getValue("apps") : document.getValue("pm2");
    if (apps == null && document.getValue("script") instanceof String) {
      return new JsonArray().add(document);
    }
    JsonArray statics = ServeApp.staticApps(file, document.getValue("static"));
    if (apps == null && !statics.isEmpty()) {
      return statics;
    }
    if (apps instanceof JsonObject one) {
      return new JsonArray().add(one).addAll(statics);
    }
    if (!(apps instanceof JsonArray array)) {
      throw new JpmException(JpmError.INVALID_CONFIG, file + ": must hold {\"apps\": [ ... ]}");
    }
    return array.copy().addAll(statics);
  }

  /** What node printed for a JavaScript file: its export, which must be an object or an array. */
  private static Object exported(Path file, String json) {
    String trimmed = json.strip();
    try {
      if (trimmed.startsWith("{")) {
        return new JsonObject(trimmed);
      }
      if (trimmed.startsWith("[")) {
        return new JsonArray(trimmed);
      }
    } catch (DecodeException e) {
      // falls through: not an object
    }
    throw new JpmException(JpmError.INVALID_CONFIG, file + ": must export {apps: [ ... ]} (module.exports = ...), it exports "
        + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "..." : trimmed));
  }
}
