package io.jpm.config;

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

  /** As {@link #read}, from the text the file holds. */
  public static List<AppConfig> parse(Path file, String text, Map<String, String> clientEnv, String envName, List<String> only) {
    List<AppConfig> configs = AppConfigParser.forFile(file, clientEnv).parseAll(apps(file, text), envName);
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

  /** A target naming an ecosystem file rather than an app: JSON, or YAML (pm2 reads both). */
  public static boolean isEcosystemFile(String target) {
    return target.endsWith(".json") || isYaml(target);
  }

  private static boolean isYaml(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** The apps array of an ecosystem file's text. */
  public static JsonArray apps(Path file, String text) {
    Object json;
    if (isYaml(file.toString())) {
      json = YamlText.parse(file, text);
    } else {
      try {
        String trimmed = text.strip();
        json = trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonObject(trimmed);
      } catch (DecodeException e) {
        throw new JpmException(JpmError.INVALID_CONFIG, file + ": not valid JSON: " + firstLine(e.getMessage()));
      }
    }
    if (json instanceof JsonArray array) {
      return array;
    }
    Object apps = ((JsonObject) json).getValue("apps");
    if (!(apps instanceof JsonArray array)) {
      throw new JpmException(JpmError.INVALID_CONFIG, file + ": must hold {\"apps\": [ ... ]}");
    }
    return array;
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
