package io.jpm.web;

import io.jpm.protocol.JpmError;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/**
 * The bridge's token rules at the HTTP door: {@code Authorization: Bearer <token>}, the read-only
 * token reads ({@code jpm.query.*}, event streams), the admin token also acts ({@code jpm.cmd.*}).
 * Each route names the bus address it maps onto, and the same {@link TokenGuard} as the bridge's
 * decides (constant-time compare). A refusal is answered 401 (no or wrong token) or 403 (read-only
 * token acting), changes nothing, and leaves one line in the daemon log (never the token).
 */
final class Doorman {
  private static final Logger LOG = Logger.getLogger("jpm.web");
  private static final String BEARER = "Bearer ";
  /** Set on a request let through: whether it came with the read-only token. */
  private static final String READ_ONLY = "jpm.readOnly";

  private final TokenGuard guard;

  Doorman(TokenGuard guard) {
    this.guard = guard;
  }

  /** Lets a request through when its token may send to {@code address} (a query or a command). */
  Handler<RoutingContext> sends(String address) {
    return ctx -> check(ctx, "send", address);
  }

  /** Lets a request through when its token may register for events (either token). */
  Handler<RoutingContext> listens(String address) {
    return ctx -> check(ctx, "register", address);
  }

  /**
   * A query's body as the bridge would pass it on for this request's token: marked
   * {@code "access": "read-only"} for the read-only token (God then lists env names without their
   * values, io.jpm.protocol.Access), as it is for the admin token.
   */
  static JsonObject query(RoutingContext ctx, JsonObject body) {
    return Boolean.FALSE.equals(ctx.get(READ_ONLY)) ? body : TokenGuard.markReadOnly(body);
  }

  private void check(RoutingContext ctx, String type, String address) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).trim() : null;
    TokenGuard.Verdict verdict = guard.check(type, address, token);
    if (verdict == TokenGuard.Verdict.ALLOWED) {
      ctx.put(READ_ONLY, guard.isReadOnly(token));
      ctx.next();
      return;
    }
    String why = switch (verdict) {
      case NO_TOKEN -> "no token in Authorization: Bearer";
      case WRONG_TOKEN -> "wrong token";
      default -> "the read-only token may not send " + address;
    };
    LOG.warning(() -> "web: refused " + ctx.request().method() + " " + ctx.request().path() + " from "
        + ctx.request().remoteAddress() + ": " + why);
    int status = verdict == TokenGuard.Verdict.READ_ONLY ? 403 : 401;
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"jpm\"");
    }
    Answers.json(ctx, status, new JsonObject().put("ok", false).put("code", JpmError.FORBIDDEN.code())
        .put("error", JpmError.FORBIDDEN.name()).put("message", "access denied: " + why));
  }
}
