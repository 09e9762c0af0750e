package io.freshet.http;

import io.freshet.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer TOKEN} before anything else on every {@code /v1/} route: the
 * write token for writes (ingest, fit, setting a baseline), the read token for the rest. Compares
 * in constant time and answers the same way whether the header is missing, malformed or wrong.
 */
public final class BearerAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";

  private final byte[] read;
  private final byte[] write;

  public BearerAuth(String readToken, String writeToken) {
    this.read = bytes(readToken);
    this.write = bytes(writeToken);
  }

  private static byte[] bytes(String token) {
    return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isWrite(HttpMethod method, String path) {
    return path.startsWith("/v1/ingest/")
        || ((path.startsWith("/v1/transformations/") || path.startsWith("/v1/feature_services/"))
            && path.endsWith("/fit"))
        || (method == HttpMethod.PUT
            && path.startsWith("/v1/monitoring/")
            && path.endsWith("/baseline"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    byte[] expected = isWrite(ctx.request().method(), ctx.normalizedPath()) ? write : read;
    if (expected == null || matches(expected, ctx.request().getHeader("Authorization"))) {
      ctx.next();
    } else {
      ctx.fail(ApiException.unauthorized());
    }
  }

  private static boolean matches(byte[] expected, String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given = header.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }
}
