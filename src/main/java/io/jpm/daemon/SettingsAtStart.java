package io.jpm.daemon;

import io.jpm.config.BridgeSettings;
import io.jpm.config.DaemonSettings;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.Ownership;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * jpm.json as the daemon reads it once at start, before any verticle: every section merged into
 * the verticles' common config (the defaults when the file is missing, distrusted or wrong), and
 * the bridge's section checked, since a daemon that refuses its own door must refuse before it
 * resurrects any app.
 */
final class SettingsAtStart {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private SettingsAtStart() {}

    /** jpm.json's sections merged into {@code common}; what was wrong with it (the defaults then apply), or null. */
    static String mergeInto(JsonObject common, Path settingsFile) {
        try {
            // the rule hot reload applies to its edits holds for the text read at start (docs/SECURITY.md)
            String distrust = Files.isRegularFile(settingsFile)
                    ? Ownership.strictModesProblem(settingsFile, Ownership.currentUid())
                    : null;
            if (distrust != null) {
                throw new JpmException(JpmError.FORBIDDEN, settingsFile + " not read: " + distrust);
            }
            common.mergeIn(
                    Files.isRegularFile(settingsFile)
                            ? DaemonSettings.parse(settingsFile.toString(), Files.readString(settingsFile))
                            : DaemonSettings.defaults());
        } catch (JpmException | IOException e) {
            String settingsError = e.getMessage() + "; the defaults apply";
            LOG.warning(settingsError);
            common.mergeIn(DaemonSettings.defaults());
            return settingsError;
        }
        return null;
    }

    /**
     * jpm.json's bridge section under JPM_BRIDGE_HOST/PORT, its TLS files checked; a door off
     * loopback without TLS, or a bad file, refuses the start ({@link StartFailure.Refused}) with one line
     * naming the setting.
     */
    static BridgeSettings bridge(JsonObject common, JpmHome home) {
        try {
            BridgeSettings settings =
                    BridgeSettings.from(common.getJsonObject("bridge")).withEnvironment(System.getenv());
            String refusal = settings.tls().refusal("bridge", settings.host());
            if (refusal != null) {
                throw new JpmException(JpmError.INVALID_CONFIG, refusal);
            }
            return new BridgeSettings(
                    settings.host(),
                    settings.port(),
                    settings.tls().resolved(home.root(), "bridge"),
                    settings.limits());
        } catch (JpmException | NumberFormatException e) {
            String why = e instanceof NumberFormatException
                    ? "JPM_BRIDGE_PORT is not a port number: " + e.getMessage()
                    : e.getMessage();
            throw new StartFailure.Refused(why);
        }
    }
}
