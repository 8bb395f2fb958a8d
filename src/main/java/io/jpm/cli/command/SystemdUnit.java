package io.jpm.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The systemd unit that brings jpm back at boot: a forking service (the client starts the daemon
 * and returns) that runs {@code jpm resurrect} as the user, with that user's JPM_HOME, PATH and
 * Java, and stops every app with {@code jpm kill}. systemd follows the daemon through jpm.pid.
 */
record SystemdUnit(
        String user,
        Path jpmHome,
        List<String> launcher,
        String path,
        String javaHome,
        String serviceName,
        boolean waitIp) {

    SystemdUnit(String user, Path jpmHome, List<String> launcher, String path, String javaHome) {
        this(user, jpmHome, launcher, path, javaHome, null, false);
    }

    /** pm2's --service-name, else jpm-&lt;user&gt;.service. */
    String name() {
        return (serviceName == null ? "jpm-" + user : serviceName) + ".service";
    }

    String render() {
        String jpm = launcher.stream().map(SystemdUnit::quote).collect(Collectors.joining(" "));
        return String.join(
                "\n",
                "[Unit]",
                "Description=jpm process manager for " + user,
                // pm2's --wait-ip: start once the network is up (its systemd-online template)
                waitIp ? "After=network-online.target\nWants=network-online.target" : "After=network.target",
                "",
                "[Service]",
                "Type=forking",
                "User=" + user,
                "LimitNOFILE=infinity",
                "Environment=" + quote("JPM_HOME=" + jpmHome),
                "Environment=" + quote("PATH=" + path),
                "Environment=" + quote("JAVA_HOME=" + javaHome),
                "PIDFile=" + jpmHome.resolve("jpm.pid"),
                "Restart=on-failure",
                "TimeoutStartSec=90",
                "TimeoutStopSec=90",
                "ExecStart=" + jpm + " resurrect",
                "ExecReload=" + jpm + " reload all",
                "ExecStop=" + jpm + " kill",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "");
    }

    /** systemd's quoting: double quotes around words with spaces, backslash before quotes and backslashes. */
    static String quote(String word) {
        String escaped = word.replace("\\", "\\\\").replace("\"", "\\\"");
        return escaped.equals(word) && !word.contains(" ") ? word : "\"" + escaped + "\"";
    }
}
