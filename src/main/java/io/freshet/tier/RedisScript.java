package io.freshet.tier;

import io.freshet.model.Digests;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * A Lua script shipped in the jar ({@code tiers/redis}), called by its digest. A batch starts with
 * {@link #load()} on the same pipelined connection, so a restarted Redis, which has no scripts,
 * never answers NOSCRIPT to the calls after it.
 */
final class RedisScript {

  private final String text;
  private final String sha;

  private RedisScript(String text) {
    this.text = text;
    MessageDigest digest = Digests.create("SHA-1");
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    this.sha = Digests.hex(digest);
  }

  static RedisScript load(String name) {
    try (InputStream in = RedisScript.class.getResourceAsStream("/redis/" + name)) {
      if (in == null) {
        throw new IllegalStateException("redis/" + name + " is missing from the classpath");
      }
      return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Request load() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(text);
  }

  /** An EVALSHA of this script over {@code keys} keys, which the caller adds next. */
  Request call(int keys) {
    return Request.cmd(Command.EVALSHA).arg(sha).arg(keys);
  }

  /** An EVALSHA over the keys at {@code positions}, in that order; the caller adds ARGV next. */
  Request call(List<String> keys, int[] positions) {
    Request call = call(positions.length);
    for (int at : positions) {
      call.arg(keys.get(at));
    }
    return call;
  }
}
