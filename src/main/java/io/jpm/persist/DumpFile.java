package io.jpm.persist;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * JPM_HOME/dump.json: {@code {"version":1,"saved_at":..,"apps":[DumpEntry...]}}. Written whole to a
 * temp file and renamed over the old one, which is first copied to dump.json.bak, so a crash at any
 * point leaves a complete dump or a complete .bak. Blocking: call it off the event loop.
 */
final class DumpFile {
  private static final Object WRITE_LOCK = new Object();
  static final int VERSION = 1;

  /** What was read and from which file. */
  record Read(JsonArray apps, Path from) {}

  private final Path dump;
  private final Path bak;

  DumpFile(Path home) {
    this.dump = home.resolve("dump.json");
    this.bak = home.resolve("dump.json.bak");
  }

  Path path() {
    return dump;
  }

  boolean exists() {
    return Files.isRegularFile(dump) || Files.isRegularFile(bak);
  }

  /** The dump, or the .bak when the dump is missing or unreadable; fails naming both when neither reads. */
  Read read() {
    String dumpProblem;
    try {
      return new Read(parse(dump), dump);
    } catch (IOException | RuntimeException e) {
      dumpProblem = dump + ": " + e.getMessage();
    }
    try {
      return new Read(parse(bak), bak);
    } catch (IOException | RuntimeException e) {
      throw new JpmException(JpmError.INVALID_CONFIG, "no readable dump: " + dumpProblem + "; " + bak + ": " + e.getMessage());
    }
  }

  private static JsonArray parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("does not exist");
    }
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    JsonArray apps = json.getJsonArray("apps");
    if (apps == null) {
      throw new IllegalArgumentException("has no \"apps\" array");
    }
    for (Object app : apps) {
      if (!(app instanceof JsonObject o) || o.getString("name") == null || o.getJsonObject("source") == null) {
        throw new IllegalArgumentException("holds an app without name or source");
      }
    }
    return apps;
  }

  /** The text the apps would be written as; equal texts mean nothing to write. */
  static String render(JsonArray apps) {
    return new JsonObject().put("version", VERSION).put("apps", apps).encodePrettily() + "\n";
  }

  /** Replaces the dump atomically; the previous one becomes dump.json.bak. */
  void write(String text) throws IOException {
    // one writer at a time per daemon, not per instance: a redeployed persistence verticle and the
    // one it replaces each hold a DumpFile, and both write through the same temp file
    synchronized (WRITE_LOCK) {
      writeNow(text);
    }
  }

  private void writeNow(String text) throws IOException {
    Path tmp = dump.resolveSibling("dump.json." + ProcessHandle.current().pid() + ".tmp");
    // the dump holds every app's environment, secrets included: owner only
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    if (Files.isRegularFile(dump)) {
      Path bakTmp = bak.resolveSibling("dump.json.bak." + ProcessHandle.current().pid() + ".tmp");
      Files.copy(dump, bakTmp, StandardCopyOption.REPLACE_EXISTING);
      move(bakTmp, bak);
    }
    move(tmp, dump);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
