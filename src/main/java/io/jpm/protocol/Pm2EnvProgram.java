package io.jpm.protocol;

import java.util.List;
import java.util.Map;

/**
 * pm2_env's fields of what the app runs and how: exec mode, instances, script, folder, interpreter
 * and its arguments, the script's arguments.
 */
public final class Pm2EnvProgram extends Pm2Part {
    public static final Pm2Key<Pm2EnvProgram, String> EXEC_MODE =
            Pm2Key.<Pm2EnvProgram>string("exec_mode").table();
    public static final Pm2Key<Pm2EnvProgram, Integer> INSTANCES = Pm2Key.integer("instances", 1);
    public static final Pm2Key<Pm2EnvProgram, String> EXEC_PATH = Pm2Key.string("pm_exec_path");
    public static final Pm2Key<Pm2EnvProgram, String> CWD = Pm2Key.string("pm_cwd");
    public static final Pm2Key<Pm2EnvProgram, String> INTERPRETER = Pm2Key.string("exec_interpreter");
    public static final Pm2Key<Pm2EnvProgram, List<String>> INTERPRETER_ARGS = Pm2Key.strings("interpreter_args");
    /** Null when a {@code --node-args=null} cleared it: pm2 then lists no node_args. */
    public static final Pm2Key<Pm2EnvProgram, List<String>> NODE_ARGS =
            Pm2Key.<Pm2EnvProgram>strings("node_args").unlessNull();
    /** Null when the app gives none: pm2 lists {@code args} only when given, an empty one as {@code []}. */
    public static final Pm2Key<Pm2EnvProgram, List<String>> ARGS =
            Pm2Key.<Pm2EnvProgram>strings("args").whenSet();

    public static final Pm2Keys<Pm2EnvProgram> KEYS = new Pm2Keys<>(
            Pm2EnvProgram::new, EXEC_MODE, INSTANCES, EXEC_PATH, CWD, INTERPRETER, INTERPRETER_ARGS, NODE_ARGS, ARGS);

    private Pm2EnvProgram(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public String execMode() {
        return get(EXEC_MODE);
    }

    public int instances() {
        return get(INSTANCES);
    }

    public String execPath() {
        return get(EXEC_PATH);
    }

    public String cwd() {
        return get(CWD);
    }

    public String interpreter() {
        return get(INTERPRETER);
    }

    public List<String> interpreterArgs() {
        return get(INTERPRETER_ARGS);
    }

    public List<String> nodeArgs() {
        return get(NODE_ARGS);
    }

    /** The script's arguments; empty when not listed. */
    public List<String> args() {
        List<String> args = get(ARGS);
        return args == null ? List.of() : args;
    }
}
