package io.jpm.bridge;

import io.jpm.config.DoorLimits;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * What a {@link FrameGuard} needs of the door it guards: the tokens, the limits, the rules its frames
 * meet before the bus, and who to tell when it authenticates and when it closes.
 * {@code ownerToken} is the admin token on the owner's Unix socket, whose connections are admin from
 * the start (io.jpm.verticle.ConnectionAuth.owner), and null on the TCP port.
 */
record Door(
        Vertx vertx,
        TokenGuard tokens,
        DoorLimits limits,
        RefusalLog refusals,
        FrameRules rules,
        Consumer<NetSocket> onAuthenticated,
        Consumer<NetSocket> onClosed,
        String ownerToken) {}
