package io.jpm.god;

import io.jpm.launcher.ConnectionDealer;
import io.jpm.process.AppChannels;
import io.vertx.core.json.JsonObject;

/**
 * Socket mode's Node runs serve while nobody deals (docs/ARCHITECTURE.md, "The keeper"): each
 * listen() the daemon deals to also keeps a copy of the listening socket, unlistened, which
 * jpm-listen.js listens on itself once it has heard nothing of the dealer for 700 ms (the daemon
 * stopped, dead, or its keeper resting), and closes again when the dealing resumes (the queue is the
 * kernel's: closing a copy loses nothing). A run the daemon stops dealing to on purpose (a stop, a
 * reload's old run) is told so first, and keeps nothing. A run whose preload is older says nothing
 * of a copy ({@code keeps}) and is dealt to as before. Runs on God's event loop, but for the beats
 * (the dealer's pump thread).
 */
final class KeptSockets {
    /** From the preload, with {@code id}: send me a copy of the socket; the answer, with it (a raw handle). */
    static final String COPY = "NODE_JPM_COPY";

    /** To the preload, with {@code id}, while no connection was dealt to it: the dealing goes on. */
    static final String DEALING = "NODE_JPM_DEALING";

    /** To the preload: no more connections for this run, and none for it to accept itself. */
    static final String LEFT = "NODE_JPM_LEFT";

    private final ConnectionDealer dealer;

    KeptSockets(ConnectionDealer dealer) {
        this.dealer = dealer;
    }

    /** Whether the preload's report (LISTENING, RELISTENING) says it keeps a copy. */
    static boolean keeps(JsonObject message) {
        return Boolean.TRUE.equals(message.getValue("keeps"));
    }

    /** {@code who} is dealt the connections of {@code fd}, and beaten to while idle when it keeps a copy. */
    void join(int fd, SocketShare.Listening who, boolean keeps) {
        AppChannels.Channel channel = who.channel();
        String connection = new JsonObject()
                .put("cmd", SocketShare.CONNECTION)
                .put("id", who.id())
                .encode();
        ConnectionDealer.Take take = (c, patient) -> channel.offerConnection(connection, c, patient);
        if (!keeps) {
            dealer.join(fd, who, take);
            return;
        }
        String dealing =
                new JsonObject().put("cmd", DEALING).put("id", who.id()).encode();
        // not waited for: a run whose pipe is full is behind on messages that tell it the same
        dealer.join(fd, who, take, () -> channel.offerJson(dealing));
    }

    /** The preload asks for its copy: sent while the run is dealt to (a run dealt nothing keeps none). */
    void sendCopy(SocketShare.Listening who) {
        int fd = dealer.socketOf(who);
        if (fd >= 0) {
            String copy = new JsonObject().put("cmd", COPY).put("id", who.id()).encode();
            who.channel().offerConnection(copy, fd, true);
        }
    }

    /** The run is dealt nothing more: it closes its copies and does not accept on them (before its kill signal). */
    static void left(AppChannels.Channel channel) {
        channel.sendJson(new JsonObject().put("cmd", LEFT).encode());
    }
}
