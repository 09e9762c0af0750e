package io.freshet.http;

import io.freshet.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer TOKEN} before anything else on a guarded route. Compares in
 * constant time and answers the same way whether the header is missing, malformed or wrong.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";

  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null || matches(ctx.request().getHeader("Authorization"))) {
      ctx.next();
    } else {
      ctx.fail(ApiException.unauthorized());
    }
  }

  private boolean matches(String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given = header.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }
}
