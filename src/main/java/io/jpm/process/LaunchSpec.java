package io.jpm.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to spawn one instance: the full command, its folder and its environment.
 *
 * @param treekill false (pm2's treekill: false) leaves the processes it forked alone when the main
 *     process exits; true ends its whole process group then, so no orphan outlives it
 * @param passed descriptors the instance inherits, in systemd's socket-activation order: the first
 *     at fd 3, the next at 4, ..., announced by {@code LISTEN_FDS}, {@code LISTEN_PID} and
 *     {@code LISTEN_FDNAMES}; empty for most apps
 */
public record LaunchSpec(List<String> command, Path cwd, Map<String, String> env, boolean treekill, List<Passed> passed) {
  public LaunchSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    passed = List.copyOf(passed);
  }

  public LaunchSpec(List<String> command, Path cwd, Map<String, String> env, boolean treekill) {
    this(command, cwd, env, treekill, List.of());
  }

  public LaunchSpec(List<String> command, Path cwd, Map<String, String> env) {
    this(command, cwd, env, true);
  }

  /** This spec with {@code descriptors} handed to the instance (see {@link #passed}). */
  public LaunchSpec passing(List<Passed> descriptors) {
    return new LaunchSpec(command, cwd, env, treekill, descriptors);
  }

  /**
   * A descriptor of the daemon's that an instance inherits (a listening socket). The daemon keeps
   * its own and closes it when no instance needs it any more: the child gets a duplicate.
   *
   * @param fd the daemon's descriptor number
   * @param name its name in {@code LISTEN_FDNAMES} (systemd's rules: no ':', at most 255 characters)
   */
  public record Passed(int fd, String name) {
    public Passed {
      if (fd < 0) {
        throw new IllegalArgumentException("no descriptor: " + fd);
      }
      if (name.isEmpty() || name.length() > 255 || name.contains(":") || !name.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IllegalArgumentException("not a LISTEN_FDNAMES name: '" + name + "'");
      }
    }
  }
}
