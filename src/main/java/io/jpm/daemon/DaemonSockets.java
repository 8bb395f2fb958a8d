package io.jpm.daemon;

import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.jpm.protocol.SocketFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.logging.Logger;

/**
 * The folder of the daemon's Unix sockets ({@link SocketFolder}: JPM_HOME, or a private folder when
 * the home is too deep for their paths), made ready at the start and removed at a clean stop.
 */
final class DaemonSockets {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private DaemonSockets() {}

    /**
     * The folder, with what a daemon that died left in it removed (this one holds the home's lock) and
     * the apps' folder made; one that cannot be had stops the start: the bridge listens on a socket there.
     */
    static SocketFolder prepare(JpmHome home) throws IOException {
        SocketFolder folder;
        try {
            folder = SocketFolder.make(home, why -> LOG.warning("sockets: " + why));
        } catch (IOException e) {
            throw new IOException(
                    "JPM_HOME " + home.root() + " is too deep for socket paths and no private folder"
                            + " could be made for them: " + e.getMessage(),
                    e);
        }
        if (!folder.inHome()) {
            LOG.info(() -> "sockets: JPM_HOME is too deep for socket paths (sun_path): they are in " + folder.dir());
        }
        Files.deleteIfExists(folder.formerBridgeSocket());
        Files.deleteIfExists(folder.jpmSocket());
        PrivateFiles.makeFolder(folder.appSockets());
        return folder;
    }

    /** A clean stop: a private folder goes with its record (JPM_HOME's own sockets are removed by their owners). */
    static void remove(SocketFolder folder, JpmHome home) {
        if (folder == null) {
            return;
        }
        try {
            folder.remove(home);
        } catch (IOException e) {
            LOG.warning("cannot remove the socket folder " + folder.dir() + ": " + e.getMessage());
        }
    }
}
