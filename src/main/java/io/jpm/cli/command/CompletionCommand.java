package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.help.CompletionInstall;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jpm completion [bash|zsh|fish]} prints the completion script (for $SHELL when no shell is
 * named); {@code jpm completion install|uninstall [bash|zsh|fish]} puts it in place or removes it
 * ({@link CompletionInstall}). No daemon is asked.
 */
public final class CompletionCommand extends ParsedCommand {
    private static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    public CompletionCommand() {
        super(
                Syntax.of("completion")
                        .operands("[bash|zsh|fish] | install|uninstall [bash|zsh|fish]", 0, 2)
                        .summary(
                                "print the shell completion script, or install it for your shell (pm2's completion install)")
                        .note(
                                "completes verbs, the flags of the verb typed, and app names and ids from the running daemon")
                        .note(
                                "install: bash and zsh load it from ~/.bashrc or ~/.zshrc, fish from ~/.config/fish/completions"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        CompletionInstall shells = new CompletionInstall(Path.of(System.getProperty("user.home")), System.getenv());
        List<String> words = args.positionals;
        String first = words.isEmpty() ? null : words.get(0);
        String second = words.size() > 1 ? words.get(1) : null;
        if ("install".equals(first) || "uninstall".equals(first)) {
            String shell = shells.shell(second);
            session.out.println(first.equals("install") ? shells.install(shell) : shells.uninstall(shell));
            return 0;
        }
        if (second != null || (first != null && !SHELLS.contains(first))) {
            throw new CliException(
                    JpmError.INVALID_ARGUMENT,
                    "completion: '" + String.join(" ", words)
                            + "': expected bash, zsh, fish, install [shell] or uninstall [shell]");
        }
        session.out.print(CompletionInstall.script(first == null ? shellOrBash(shells) : first));
        return 0;
    }

    /** $SHELL's shell, bash when it is none of the three (pm2 prints its bash script). */
    private static String shellOrBash(CompletionInstall shells) {
        try {
            return shells.shell(null);
        } catch (CliException e) {
            return "bash";
        }
    }
}
