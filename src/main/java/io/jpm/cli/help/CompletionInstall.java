package io.jpm.cli.help;

import io.jpm.cli.CliException;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code jpm completion install|uninstall}, pm2's verb: the user's shell ({@code $SHELL}, or the one
 * named) gets the script. pm2 appends its script to ~/.bashrc or ~/.zshrc between marker lines;
 * jpm writes the script to a file of its own and adds, between the same kind of markers, the lines
 * that load it, so a newer jpm's {@code completion install} refreshes the file and leaves the rc
 * file alone. fish loads ~/.config/fish/completions/jpm.fish by itself: no rc file is touched.
 */
public final class CompletionInstall {
    static final String BEGIN = "###-begin-jpm-completion-###";
    static final String END = "###-end-jpm-completion-###";

    private final Path home;
    private final Map<String, String> env;

    public CompletionInstall(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** The shell named, else $SHELL's, as bash, zsh or fish. */
    public String shell(String named) {
        String shell = named != null ? named : env.getOrDefault("SHELL", "");
        String name = shell.substring(shell.lastIndexOf('/') + 1);
        if (!name.equals("bash") && !name.equals("zsh") && !name.equals("fish")) {
            throw new CliException(
                    JpmError.INVALID_ARGUMENT,
                    "completion: " + (named != null ? "'" + named + "' is" : "$SHELL is '" + shell + "',")
                            + " not bash, zsh or fish: name one (jpm completion install bash)");
        }
        return name;
    }

    /** Where the script goes: fish's own completions folder, else jpm's folder under XDG_DATA_HOME. */
    Path scriptFile(String shell) {
        if (shell.equals("fish")) {
            return xdg("XDG_CONFIG_HOME", ".config").resolve("fish/completions/jpm.fish");
        }
        return xdg("XDG_DATA_HOME", ".local/share")
                .resolve("jpm/completion/" + (shell.equals("zsh") ? "_jpm" : "jpm.bash"));
    }

    /** The rc file that loads the script, null for fish. */
    Path rcFile(String shell) {
        return switch (shell) {
            case "bash" -> home.resolve(".bashrc");
            case "zsh" -> home.resolve(".zshrc");
            default -> null;
        };
    }

    /** Writes the script, and the loading lines into the rc file unless they are there; returns what it did. */
    public String install(String shell) throws IOException {
        Path script = scriptFile(shell);
        ReleaseDocs.writeWhole(script, script(shell));
        Path rc = rcFile(shell);
        if (rc == null) {
            return "jpm: " + shell + " completion written to " + script + " (fish loads it by itself)";
        }
        String text = Files.isRegularFile(rc) ? Files.readString(rc, StandardCharsets.UTF_8) : "";
        if (text.contains(BEGIN)) {
            return "jpm: " + shell + " completion updated in " + script + " (" + rc + " loads it already)";
        }
        String block = (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + loader(shell, script);
        // appended, not rewritten: an rc file that is a link (a dotfiles repository) stays one
        Files.writeString(rc, block, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return "jpm: " + shell + " completion installed: " + script + ", loaded by " + rc
                + " (open a new shell, or: source " + rc + ")";
    }

    /** Removes the script and the rc file's loading lines; returns what it did. */
    public String uninstall(String shell) throws IOException {
        boolean removed = Files.deleteIfExists(scriptFile(shell));
        Path rc = rcFile(shell);
        if (rc != null && Files.isRegularFile(rc)) {
            String text = Files.readString(rc, StandardCharsets.UTF_8);
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END, Math.max(begin, 0));
            if (begin >= 0 && end > begin) {
                int after = end + END.length();
                after = after < text.length() && text.charAt(after) == '\n' ? after + 1 : after;
                // the real file rewritten in its folder, so a link to it stays a link
                ReleaseDocs.writeWhole(rc.toRealPath(), text.substring(0, begin) + text.substring(after));
                removed = true;
            }
        }
        return removed
                ? "jpm: " + shell + " completion uninstalled"
                : "jpm: no " + shell + " completion was installed: nothing to do";
    }

    public static String script(String shell) {
        String version = Build.current().version();
        return switch (shell) {
            case "zsh" -> ZshCompletion.script(version);
            case "fish" -> FishCompletion.script(version);
            default -> BashCompletion.script(version);
        };
    }

    /** The rc file's lines: zsh's completion system started when the rc file has not, then the script. */
    private static String loader(String shell, Path script) {
        String quoted = VerbWords.quoted(script.toString());
        String load = "[ -f " + quoted + " ] && . " + quoted + "\n";
        if (shell.equals("zsh")) {
            load = "(( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }\n" + load;
        }
        return BEGIN + "\n" + load + END + "\n";
    }

    private Path xdg(String variable, String fallback) {
        String set = env.get(variable);
        return set != null && set.startsWith("/") ? Path.of(set) : home.resolve(fallback);
    }
}
