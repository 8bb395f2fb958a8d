package io.jpm.cli.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm completion install|uninstall} in a scratch HOME: the script in its file, the rc file's
 * marked lines added once and removed whole, an rc file that is a link kept a link, fish's own
 * folder, and a shell jpm has no script for named in one line.
 */
class CompletionInstallTest {
    @TempDir
    Path home;

    private CompletionInstall shells(String shell) {
        return new CompletionInstall(home, Map.of("SHELL", shell));
    }

    @Test
    void bashInstallAddsTheLoaderOnceAndUninstallRemovesItWhole() throws IOException {
        Path rc = home.resolve(".bashrc");
        Files.writeString(rc, "alias ll='ls -l'", StandardCharsets.UTF_8); // no newline at the end
        CompletionInstall shells = shells("/bin/bash");
        String said = shells.install(shells.shell(null));
        Path script = home.resolve(".local/share/jpm/completion/jpm.bash");
        assertEquals(
                "jpm: bash completion installed: " + script + ", loaded by " + rc + " (open a new shell, or: source "
                        + rc + ")",
                said);
        assertEquals(CompletionInstall.script("bash"), Files.readString(script));
        String installed = Files.readString(rc);
        assertEquals(
                "alias ll='ls -l'\n" + CompletionInstall.BEGIN + "\n[ -f '" + script + "' ] && . '" + script + "'\n"
                        + CompletionInstall.END + "\n",
                installed);

        assertTrue(shells.install("bash").contains("updated"), "a second install refreshes the script only");
        assertEquals(installed, Files.readString(rc));

        assertEquals("jpm: bash completion uninstalled", shells.uninstall("bash"));
        assertEquals("alias ll='ls -l'\n", Files.readString(rc));
        assertFalse(Files.exists(script));
        assertEquals("jpm: no bash completion was installed: nothing to do", shells.uninstall("bash"));
    }

    @Test
    void anInteractiveBashOfThatHomeCompletesJpm() throws IOException {
        CompletionInstall shells = shells("/bin/bash");
        shells.install("bash"); // no .bashrc yet: it is created
        ShellRun run =
                ShellRun.of(List.of("bash", "-i", "-c", "complete -p jpm"), Map.of("HOME", home.toString()), home);
        assertEquals("complete -o default -F _jpm jpm", run.out().strip(), run.err());
    }

    @Test
    void anRcFileThatIsALinkStaysALink() throws IOException {
        Path real = Files.createDirectories(home.resolve("dotfiles")).resolve("zshrc");
        Files.writeString(real, "setopt autocd\n");
        Files.createSymbolicLink(home.resolve(".zshrc"), real);
        CompletionInstall shells = shells("/usr/bin/zsh");
        shells.install("zsh");
        assertTrue(Files.isSymbolicLink(home.resolve(".zshrc")));
        assertTrue(Files.readString(real).contains("compinit"), "zsh's completion system is started when it is not");
        shells.uninstall("zsh");
        assertTrue(Files.isSymbolicLink(home.resolve(".zshrc")));
        assertEquals("setopt autocd\n", Files.readString(real));
    }

    @Test
    void anInteractiveZshOfThatHomeCompletesJpm() throws IOException {
        assumeTrue(ShellRun.installed("zsh"), "zsh is not installed");
        shells("/usr/bin/zsh").install("zsh");
        ShellRun run = ShellRun.of(
                List.of("zsh", "-i", "-c", "print -r -- $_comps[jpm]"), Map.of("HOME", home.toString()), home);
        assertEquals("_jpm", run.out().strip(), run.err());
    }

    @Test
    void fishGetsItsOwnCompletionsFolderAndNoRcFile() throws IOException {
        CompletionInstall shells = shells("/usr/bin/fish");
        String said = shells.install(shells.shell(null));
        Path script = home.resolve(".config/fish/completions/jpm.fish");
        assertEquals("jpm: fish completion written to " + script + " (fish loads it by itself)", said);
        assertEquals(CompletionInstall.script("fish"), Files.readString(script));
        try (var files = Files.list(home)) {
            assertEquals(List.of(home.resolve(".config")), files.toList());
        }
    }

    @Test
    void aShellWithoutAScriptIsNamedInOneLine() {
        CliException e =
                assertThrows(CliException.class, () -> shells("/bin/tcsh").shell(null));
        assertEquals(
                "completion: $SHELL is '/bin/tcsh', not bash, zsh or fish: name one (jpm completion install bash)",
                e.getMessage());
        e = assertThrows(CliException.class, () -> shells("/bin/bash").shell("ksh"));
        assertEquals(
                "completion: 'ksh' is not bash, zsh or fish: name one (jpm completion install bash)", e.getMessage());
    }
}
