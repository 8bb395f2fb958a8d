package io.jpm.cli.transport;

import io.jpm.protocol.Build;

/**
 * The line a CLI prints on stderr when the daemon it reached runs another build of jpm (pm2:
 * "In-memory PM2 is out-of-date, do: pm2 update"): both builds named, and {@code jpm update}, which
 * hands the apps over to this build's daemon. A daemon.json without a build is from a jpm older
 * than the build's record, so another build too.
 */
final class OtherBuild {
    private OtherBuild() {}

    /**
     * The line, or null when the daemon of this daemon.json runs this build: its jar is this CLI's,
     * unchanged since it started (no build.properties read), or its build is this one.
     */
    static String line(Json.Value daemonJson, String ownJarStamp) {
        String daemonJar = daemonJson.path("jarStamp").asText(null);
        if (daemonJar != null && daemonJar.equals(ownJarStamp)) {
            return null;
        }
        Build own = Build.current();
        Build daemon = Build.fromMap(daemonJson.path("build").asMap());
        if (daemon.sameAs(own)) {
            return null;
        }
        return "[jpm] the daemon (pid " + daemonJson.path("pid").asText("?") + ") runs jpm " + daemon.describe()
                + ", this jpm is " + own.describe() + ": run jpm update to hand the apps to this build's daemon";
    }
}
