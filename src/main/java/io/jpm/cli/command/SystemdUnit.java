package io.jpm.cli.command;

import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmHome;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The systemd unit that brings jpm back at boot: a forking service (the client starts the daemon
 * and returns) that runs {@code jpm resurrect} as the user, with that user's JPM_HOME, PATH and
 * Java (none for a release, whose runtime is its own: javaHome null), and stops every app with {@code jpm kill}. systemd follows the daemon's keeper through
 * keeper.pid when perl is on that PATH (docs/ARCHITECTURE.md, "The keeper"): the keeper starts a
 * daemon that dies again itself, adopting its apps, and a unit that followed the daemon would stop
 * every app of the service at that death and start them again. Restart=on-failure, after
 * RESTART_SEC, is the second line, should the keeper itself fail (one that gave up restarting a
 * daemon that kept dying at once rests and tries every 30 s: it does not exit). Without perl it follows the daemon (jpm.pid) and restarts it the same way.
 * A home with pm2's file names (JPM_FILE_NAMES=pm2) keeps them at boot: the unit sets the variable.
 */
record SystemdUnit(
        String user,
        JpmHome jpmHome,
        List<String> launcher,
        String path,
        String javaHome,
        String serviceName,
        boolean waitIp,
        boolean keeper) {

    /** systemd's pause before it starts a failed jpm again (its default, 100 ms, would spin on a broken install). */
    static final int RESTART_SEC = 5;

    SystemdUnit(String user, JpmHome jpmHome, List<String> launcher, String path, String javaHome) {
        this(user, jpmHome, launcher, path, javaHome, null, false, true);
    }

    /** pm2's --service-name, else jpm-&lt;user&gt;.service. */
    String name() {
        return (serviceName == null ? "jpm-" + user : serviceName) + ".service";
    }

    String render() {
        String jpm = launcher.stream().map(SystemdUnit::quote).collect(Collectors.joining(" "));
        return Stream.of(
                        "[Unit]",
                        "Description=jpm process manager for " + user,
                        // pm2's --wait-ip: start once the network is up (its systemd-online template)
                        waitIp ? "After=network-online.target\nWants=network-online.target" : "After=network.target",
                        "",
                        "[Service]",
                        "Type=forking",
                        "User=" + user,
                        "LimitNOFILE=infinity",
                        "Environment=" + quote("JPM_HOME=" + jpmHome.root()),
                        jpmHome.names() == HomeFileNames.JPM
                                ? null
                                : "Environment="
                                        + quote(HomeFileNames.VARIABLE + "="
                                                + jpmHome.names().word()),
                        "Environment=" + quote("PATH=" + path),
                        // none for a release, whose bin/jpm runs on its own runtime (UnitLauncher)
                        javaHome == null ? null : "Environment=" + quote("JAVA_HOME=" + javaHome),
                        "PIDFile=" + (keeper ? jpmHome.keeperPid() : jpmHome.pidFile()),
                        "Restart=on-failure",
                        "RestartSec=" + RESTART_SEC,
                        "TimeoutStartSec=90",
                        "TimeoutStopSec=90",
                        "ExecStart=" + jpm + " resurrect",
                        "ExecReload=" + jpm + " reload all",
                        "ExecStop=" + jpm + " kill",
                        "",
                        "[Install]",
                        "WantedBy=multi-user.target",
                        "")
                .filter(Objects::nonNull)
                .collect(Collectors.joining("\n"));
    }

    /** systemd's quoting: double quotes around words with spaces, backslash before quotes and backslashes. */
    static String quote(String word) {
        String escaped = word.replace("\\", "\\\\").replace("\"", "\\\"");
        return escaped.equals(word) && !word.contains(" ") ? word : "\"" + escaped + "\"";
    }
}
