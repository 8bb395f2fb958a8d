package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.keeper.KeeperScript;
import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm startup [systemd] [-u user] [--hp home]} writes a systemd unit that resurrects jpm at
 * boot (as root; otherwise it prints the unit and the command to run as root, like pm2), and
 * {@code jpm unstartup} removes it. The unit folder is /etc/systemd/system unless JPM_SYSTEMD_DIR
 * names another (tests, staged images); with JPM_SYSTEMD_DIR set, systemctl is not run.
 */
public final class StartupCommand extends ParsedCommand {
    static final List<Flag> FLAGS = List.of(
            Flag.option("-u|--user", "user", "user", "the user the unit runs jpm as (default: you)"),
            Flag.option("--hp", "home", "home", "that user's home; JPM_HOME is <home>/.jpm unless JPM_HOME is set"),
            Flag.option("--service-name", "service", "name", "the unit's name (default jpm-<user>)"),
            Flag.toggle("--wait-ip", "wait_ip", "start after network-online.target"));
    static final Syntax SYNTAX = Syntax.of("startup")
            .operands("[systemd]", 0, 1)
            .summary("install (as root) or print a systemd unit that resurrects jpm at boot")
            .flags(FLAGS);

    public StartupCommand() {
        super(SYNTAX);
    }

    @Override
    int run(Args args, Session session) throws IOException {
        return run(SYNTAX.verb(), true, args, session);
    }

    /** Writes (install) or removes the unit; without root, prints what to run as root. */
    static int run(String verb, boolean install, Args args, Session session) throws IOException {
        if (args.has("service") && !args.get("service").matches("[A-Za-z0-9_.@-]{1,200}")) {
            throw CliException.usage("--service-name must be a systemd unit name (letters, digits, _ . @ -), got '"
                    + args.get("service") + "'");
        }
        if (!args.positionals.isEmpty() && !args.positionals.get(0).equals("systemd")) {
            throw CliException.usage(
                    "init system '" + args.positionals.get(0) + "' is not supported: jpm writes systemd units");
        }
        String currentUser = System.getProperty("user.name");
        String user = args.has("user") ? args.get("user") : currentUser;
        String userHome = args.has("home") ? args.get("home") : System.getProperty("user.home");
        JpmHome jpmHome = args.has("home") && JpmEnv.HOME.value() == null
                ? new JpmHome(Path.of(userHome, ".jpm"), session.home.names())
                : session.home;
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        UnitLauncher launcher = UnitLauncher.current();
        SystemdUnit unit = new SystemdUnit(
                user,
                jpmHome,
                launcher.command(),
                path,
                launcher.javaHome(),
                args.get("service"),
                args.has("wait_ip"),
                KeeperScript.perlOn(path));
        String override = JpmEnv.SYSTEMD_DIR.value();
        Path dir = Path.of(override != null && !override.isBlank() ? override : "/etc/systemd/system");
        Path file = dir.resolve(unit.name());
        boolean root = "root".equals(currentUser);
        if (!root && override == null) {
            if (install) {
                session.out.print(unit.render());
                session.out.println();
            }
            session.out.println(
                    "[jpm] to " + (install ? "install" : "remove") + " the unit " + file + ", run as root:");
            session.out.println("sudo env PATH=\"$PATH\" JPM_HOME=" + jpmHome.root()
                    + (jpmHome.names() == HomeFileNames.JPM
                            ? ""
                            : " " + HomeFileNames.VARIABLE + "="
                                    + jpmHome.names().word())
                    + " "
                    + String.join(" ", launcher.command()) + " " + verb
                    + " systemd -u " + user + " --hp " + userHome
                    + (args.has("service") ? " --service-name " + args.get("service") : "")
                    + (args.has("wait_ip") ? " --wait-ip" : ""));
            return 0;
        }
        if (install) {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + unit.name() + ".tmp");
            Files.writeString(tmp, unit.render());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            session.out.println("[jpm] wrote " + file);
            if (override == null) {
                systemctl("daemon-reload");
                systemctl("enable", unit.name());
            }
            session.out.println("[jpm] at boot the unit runs: " + String.join(" ", launcher.command())
                    + " resurrect (as " + user + ")");
        } else {
            if (override == null) {
                systemctl("disable", unit.name());
            }
            boolean removed = Files.deleteIfExists(file);
            session.out.println("[jpm] " + (removed ? "removed " : "no unit at ") + file);
            if (override == null) {
                systemctl("daemon-reload");
            }
        }
        return 0;
    }

    private static void systemctl(String... words) throws IOException {
        List<String> command = new ArrayList<>(List.of("systemctl"));
        command.addAll(List.of(words));
        try {
            int rc = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (rc != 0) {
                throw CliException.usage(String.join(" ", command) + " failed with exit code " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
