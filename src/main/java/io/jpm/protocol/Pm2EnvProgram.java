package io.jpm.protocol;

import java.util.List;

/**
 * pm2_env's fields of what the app runs and how: exec mode, instances, script, folder, interpreter
 * and its arguments, the script's arguments.
 *
 * @param args the script's arguments; not listed when empty
 */
public record Pm2EnvProgram(
        String execMode,
        int instances,
        String execPath,
        String cwd,
        String interpreter,
        List<String> interpreterArgs,
        List<String> nodeArgs,
        List<String> args) {
    public static final Pm2Key<Pm2EnvProgram, String> EXEC_MODE =
            Pm2Key.string("exec_mode", Pm2EnvProgram::execMode).table();
    public static final Pm2Key<Pm2EnvProgram, Integer> INSTANCES =
            Pm2Key.integer("instances", 1, Pm2EnvProgram::instances);
    public static final Pm2Key<Pm2EnvProgram, String> EXEC_PATH =
            Pm2Key.string("pm_exec_path", Pm2EnvProgram::execPath);
    public static final Pm2Key<Pm2EnvProgram, String> CWD = Pm2Key.string("pm_cwd", Pm2EnvProgram::cwd);
    public static final Pm2Key<Pm2EnvProgram, String> INTERPRETER =
            Pm2Key.string("exec_interpreter", Pm2EnvProgram::interpreter);
    public static final Pm2Key<Pm2EnvProgram, List<String>> INTERPRETER_ARGS =
            Pm2Key.strings("interpreter_args", Pm2EnvProgram::interpreterArgs);
    public static final Pm2Key<Pm2EnvProgram, List<String>> NODE_ARGS =
            Pm2Key.strings("node_args", Pm2EnvProgram::nodeArgs);
    public static final Pm2Key<Pm2EnvProgram, List<String>> ARGS =
            Pm2Key.strings("args", Pm2EnvProgram::args).whenSet(given -> !given.isEmpty());

    public static final Pm2Keys<Pm2EnvProgram> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvProgram(
                    v.get(EXEC_MODE),
                    v.get(INSTANCES),
                    v.get(EXEC_PATH),
                    v.get(CWD),
                    v.get(INTERPRETER),
                    v.get(INTERPRETER_ARGS),
                    v.get(NODE_ARGS),
                    v.get(ARGS)),
            EXEC_MODE,
            INSTANCES,
            EXEC_PATH,
            CWD,
            INTERPRETER,
            INTERPRETER_ARGS,
            NODE_ARGS,
            ARGS);
}
