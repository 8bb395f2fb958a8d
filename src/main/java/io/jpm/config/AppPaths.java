package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an app's files are, by pm2's rules (lib/Common.js prepareAppConf and resolveInterpreter):
 * its folder, its script, and whether its interpreter can be found. Relative paths are read from
 * the folder the command ran in; a file's script that is only found next to the file is read from
 * there. Blocking (looks at the file system): used while an app is parsed, off the event loop.
 */
final class AppPaths {
    private final String where;
    /** The folder the command ran in (a dump's: the app's own folder). */
    private final Path baseDir;
    /** The ecosystem file's own folder; null for the command line. */
    private final Path fileDir;

    private final Map<String, String> clientEnv;
    private final OptionReader read;

    AppPaths(String where, Path baseDir, Path fileDir, Map<String, String> clientEnv, OptionReader read) {
        this.where = where;
        this.baseDir = baseDir;
        this.fileDir = fileDir;
        this.clientEnv = clientEnv;
        this.read = read;
    }

    /**
     * The app's folder by pm2's rule: {@code cwd} resolved against the folder the command ran in, or
     * that folder itself. For an ecosystem file whose script is not found that way (pm2 would refuse
     * the file), the same rule from the file's own folder, when the script is there.
     */
    Path folder(String cwdText, String script) {
        BlockingCall.check("a look for " + script);
        Path pm2Way = baseDir.resolve(cwdText == null ? "." : home(cwdText)).normalize();
        if (fileDir == null
                || fileDir.equals(baseDir)
                || script == null
                || Files.exists(pm2Way.resolve(script))
                || script.contains(" ")
                || !script.contains("/") && onPath(script) != null) {
            return pm2Way;
        }
        Path fileWay = fileDir.resolve(cwdText == null ? "." : home(cwdText)).normalize();
        return Files.isRegularFile(fileWay.resolve(script)) ? fileWay : pm2Way;
    }

    /** Whether these are the paths of an ecosystem file's apps (not of the command line's). */
    boolean ofFile() {
        return fileDir != null;
    }

    /**
     * The script of an app whose folder is not there, by {@link #script}'s rule without the look for
     * it in that folder: what its spawn would run, were the folder there.
     */
    String scriptWithoutFolder(String script, Path cwd) {
        Path command = script.contains("/") ? null : onPath(script);
        return command != null
                ? command.toString()
                : cwd.resolve(home(script)).normalize().toString();
    }

    /** pm2's resolveHome: a path that starts with {@code ~} is in the home of whoever ran the command. */
    private String home(String path) {
        return LogPaths.expandHome(path, clientEnv);
    }

    /**
     * pm2's rule: the script relative to the app's folder (a folder too: node then loads its
     * index.js or package.json's main), else a command of that name on PATH.
     */
    String script(String label, String script, Path cwd) {
        Path path = cwd.resolve(home(script)).normalize();
        if (Files.isRegularFile(path) || Files.isDirectory(path)) {
            return path.toString();
        }
        Path command = script.contains("/") ? null : onPath(script);
        if (command != null) {
            return command.toString();
        }
        throw new JpmException(JpmError.SCRIPT_NOT_FOUND, where + ": " + label + ": script not found: " + path);
    }

    /**
     * pm2 refuses an app whose interpreter is not on PATH ("Interpreter x is NOT AVAILABLE in PATH"):
     * so does jpm, before anything starts, looking where the app itself will (its own PATH; a path
     * with a '/' from its folder), rather than letting it fail at every restart.
     */
    void checkInterpreter(String label, String interpreter, Map<String, String> env, Path cwd) {
        if (interpreter.contains("/")) {
            if (!Files.isExecutable(cwd.resolve(interpreter))) {
                throw read.error(label, AppOption.INTERPRETER.key, "'" + interpreter + "' is not an executable file");
            }
            return;
        }
        for (String dir :
                env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            Path candidate = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(interpreter);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw read.error(label, AppOption.INTERPRETER.key, "'" + interpreter + "' is not on the app's PATH");
    }

    /** node on the client's PATH as a full path (pm2's process.execPath, the node its CLI runs on), else "node". */
    String node() {
        Path node = onPath("node");
        return node == null ? "node" : node.toString();
    }

    /** A command on the client's PATH; a relative entry (node_modules/.bin, or empty for ".") is relative to where it ran. */
    private Path onPath(String name) {
        for (String dir :
                clientEnv.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            Path candidate =
                    baseDir.resolve(dir.isEmpty() ? "." : dir).resolve(name).normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
