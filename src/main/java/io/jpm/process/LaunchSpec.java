package io.jpm.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to spawn one instance: the full command, its folder and its environment.
 *
 * @param treekill false (pm2's treekill: false) leaves the processes it forked alone when the main
 *     process exits; true ends its whole process group then, so no orphan outlives it
 */
public record LaunchSpec(List<String> command, Path cwd, Map<String, String> env, boolean treekill) {
  public LaunchSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  public LaunchSpec(List<String> command, Path cwd, Map<String, String> env) {
    this(command, cwd, env, true);
  }
}
