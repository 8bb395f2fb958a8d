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
 * @param inherited other descriptors the instance inherits, after the passed ones, each announced
 *     by a variable of its own (Node's IPC pipe: {@code NODE_CHANNEL_FD}); not in LISTEN_FDS
 * @param ownSession true (fork mode, as pm2's fork mode spawns detached): the instance leads a
 *     session of its own; false (cluster mode): a process group of its own inside the daemon's
 *     session, as pm2's cluster workers are in its God's. Either way its pid is its process group,
 *     which is what signals go to. The session matters for the CPU: with Linux's autogroup
 *     scheduling (on by default) every session is one scheduling group with an equal share, so
 *     instances each in a session of their own are woken at once for every request a client on the
 *     same host sends, where one group batches them: measured with socket mode's -i 2 against pm2,
 *     2x the context switches per request and 0.85x the req/s (docs/BENCHMARKS.md)
 */
public record LaunchSpec(
        List<String> command,
        Path cwd,
        Map<String, String> env,
        boolean treekill,
        List<Passed> passed,
        List<Inherited> inherited,
        boolean ownSession) {
    public LaunchSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        passed = List.copyOf(passed);
        inherited = List.copyOf(inherited);
    }

    public LaunchSpec(List<String> command, Path cwd, Map<String, String> env, boolean treekill) {
        this(command, cwd, env, treekill, List.of(), List.of(), true);
    }

    public LaunchSpec(List<String> command, Path cwd, Map<String, String> env) {
        this(command, cwd, env, true);
    }

    /** This spec with {@code descriptors} handed to the instance (see {@link #passed}). */
    public LaunchSpec passing(List<Passed> descriptors) {
        return new LaunchSpec(command, cwd, env, treekill, descriptors, inherited, ownSession);
    }

    /** This spec with {@code descriptors} inherited after the passed ones (see {@link #inherited}). */
    public LaunchSpec inheriting(List<Inherited> descriptors) {
        return new LaunchSpec(command, cwd, env, treekill, passed, descriptors, ownSession);
    }

    /** This spec with other variables. */
    public LaunchSpec withEnv(Map<String, String> variables) {
        return new LaunchSpec(command, cwd, variables, treekill, passed, inherited, ownSession);
    }

    /** This spec in a session of its own or not (see {@link #ownSession}). */
    public LaunchSpec inOwnSession(boolean own) {
        return new LaunchSpec(command, cwd, env, treekill, passed, inherited, own);
    }

    /** Every descriptor the instance inherits beyond 0-2, in the order they land at 3, 4, ... */
    public int[] descriptors() {
        int[] all = new int[passed.size() + inherited.size()];
        for (int i = 0; i < passed.size(); i++) {
            all[i] = passed.get(i).fd();
        }
        for (int i = 0; i < inherited.size(); i++) {
            all[passed.size() + i] = inherited.get(i).fd();
        }
        return all;
    }

    /**
     * A descriptor of the daemon's that an instance inherits, whose number in the instance is given
     * in {@code variable} (the caller's copy stays the caller's to close).
     */
    public record Inherited(int fd, String variable) {
        public Inherited {
            if (fd < 0) {
                throw new IllegalArgumentException("no descriptor: " + fd);
            }
        }
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
            if (name.isEmpty()
                    || name.length() > 255
                    || name.contains(":")
                    || !name.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException("not a LISTEN_FDNAMES name: '" + name + "'");
            }
        }
    }
}
