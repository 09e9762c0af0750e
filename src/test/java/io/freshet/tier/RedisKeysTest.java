package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.model.TierKey;
import io.vertx.redis.client.impl.ZModem;
import org.junit.jupiter.api.Test;

/**
 * Slots as the Redis client computes them (CRC16 of the hash tag), which is how Redis Cluster
 * places keys.
 */
class RedisKeysTest {

  private final RedisKeys keys = new RedisKeys("freshet:");

  @Test
  void recordKey_isThePrefixThenTheEntitysHashTag() {
    assertEquals(
        "freshet:{customer_profile:42}", keys.record(new TierKey("customer_profile", "42")));
    assertEquals(
        ZModem.generate("customer_profile:42"), slot(keys.record("customer_profile", "42")));
  }

  @Test
  void keysAddedAfterTheTag_shareTheEntitysSlot_evenWhenTheEntityKeyHoldsBraces() {
    for (String entity : new String[] {"42", "a}b", "{x}", "}", "ü:é", ""}) {
      String record = keys.record("profile", entity);
      assertEquals(slot(record), slot(record + ":tile:7"), entity);
    }
  }

  @Test
  void twoEntities_areTwoTags() {
    assertNotEquals(keys.record("profile", "1"), keys.record("profile", "2"));
  }

  @Test
  void prefixHoldingAnOpeningBrace_refused() {
    assertThrows(IllegalArgumentException.class, () -> new RedisKeys("team{1}:"));
    assertEquals("x}:{p:1}", new RedisKeys("x}:").record("p", "1"));
  }

  private static int slot(String key) {
    return ZModem.generate(key);
  }
}
