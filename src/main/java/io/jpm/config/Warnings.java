package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * What reading one app noticed without refusing it: an option jpm does not know (pm2 drops it
 * silently), an option given under two of pm2's spellings (pm2 keeps one), a chokidar option jpm
 * does not act on. pm2 runs such a file, so jpm runs it too, and says so: each warning goes to
 * daemon.log here, and with the app's config to the command that read it (stderr), describe, jlist
 * and a mark in {@code jpm ls}. Strict reading (jpm.json's {@code ecosystem.strict}, or
 * {@code --strict}) turns the first warning into a refusal of the file, for those who want typos to
 * stop a deploy.
 */
final class Warnings {
    private static final Logger LOG = Logger.getLogger("jpm.config");

    private final boolean strict;
    private final List<String> messages = new ArrayList<>();

    Warnings(boolean strict) {
        this.strict = strict;
    }

    /** Records one warning ("conf/eco.json: app 'api': option 'instance' is not a known option, ignored"). */
    void add(String message) {
        if (strict) {
            throw new JpmException(JpmError.INVALID_CONFIG, message + " (refused: strict reading is on)");
        }
        notice(message);
    }

    /**
     * Records a warning that strict reading does not turn into a refusal: an option jpm understands
     * but cannot act on for this app, not a typo.
     */
    void notice(String message) {
        if (!messages.contains(message)) {
            messages.add(message);
            LOG.warning(message);
        }
    }

    List<String> messages() {
        return List.copyOf(messages);
    }
}
