package io.freshet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshetOptionsTest {

  @Test
  void intSettingPastItsRange_refusedRatherThanWrapped() {
    // 2^32 + 80 would have been cast to 80, a valid port nobody asked for.
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> FreshetOptions.fromEnv(Map.of("FRESHET_HTTP_PORT", "4294967376")));
    assertTrue(e.getMessage().contains("FRESHET_HTTP_PORT is out of range"), e.getMessage());
    assertThrows(
        ConfigException.class,
        () -> FreshetOptions.fromEnv(Map.of("FRESHET_MAX_ONLINE_ENTITIES", "4294967297")));
    assertEquals(8081, FreshetOptions.fromEnv(Map.of("FRESHET_HTTP_PORT", "8081")).httpPort());
  }

  @Test
  void snapshotThreads_defaultToTheEventLoops_andCanBeFewer() {
    assertEquals(3, FreshetOptions.fromEnv(Map.of("FRESHET_EVENT_LOOPS", "3")).snapshotThreads());
    assertEquals(
        1,
        FreshetOptions.fromEnv(Map.of("FRESHET_EVENT_LOOPS", "3", "FRESHET_SNAPSHOT_THREADS", "1"))
            .validate()
            .snapshotThreads());
    assertThrows(
        ConfigException.class,
        () -> FreshetOptions.fromEnv(Map.of("FRESHET_SNAPSHOT_THREADS", "0")).validate());
  }

  @Test
  void snapshotShare_aTenthByDefault_oneToAHundredPercent() {
    assertEquals(10, FreshetOptions.fromEnv(Map.of()).validate().snapshotSharePercent());
    assertEquals(
        100,
        FreshetOptions.fromEnv(Map.of("FRESHET_SNAPSHOT_SHARE_PERCENT", "100"))
            .validate()
            .snapshotSharePercent());
    for (String refused : new String[] {"0", "101", "-5"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  FreshetOptions.fromEnv(Map.of("FRESHET_SNAPSHOT_SHARE_PERCENT", refused))
                      .validate());
      assertTrue(e.getMessage().contains("FRESHET_SNAPSHOT_SHARE_PERCENT"), e.getMessage());
    }
    assertThrows(
        ConfigException.class,
        () -> FreshetOptions.fromEnv(Map.of("FRESHET_SNAPSHOT_SHARE_PERCENT", "0.5")));
  }

  @Test
  void monitoring_flushIntervalAndSkewQueue_readAndBounded() {
    MonitoringOptions monitoring =
        FreshetOptions.fromEnv(
                Map.of("FRESHET_MONITORING_FLUSH_MS", "250", "FRESHET_SKEW_QUEUE", "10"))
            .validate()
            .monitoring();
    assertEquals(250, monitoring.flushInterval().toMillis());
    assertEquals(10, monitoring.skewQueue());
    for (Map<String, String> bad :
        List.of(
            Map.of("FRESHET_MONITORING_FLUSH_MS", "0"),
            Map.of("FRESHET_MONITORING_FLUSH_MS", "60001"),
            Map.of("FRESHET_SKEW_QUEUE", "0"))) {
      assertThrows(
          ConfigException.class, () -> FreshetOptions.fromEnv(bad).validate(), bad::toString);
    }
  }

  @Test
  void redisDatabase_isTheOneTheUrlSelects_zeroWhenNone() {
    assertEquals(0, FreshetOptions.fromEnv(Map.of()).redisDatabase());
    assertEquals(
        0,
        FreshetOptions.fromEnv(Map.of("FRESHET_REDIS_URL", "redis://10.0.0.1:6379"))
            .redisDatabase());
    assertEquals(
        7,
        FreshetOptions.fromEnv(Map.of("FRESHET_REDIS_URL", "redis://:secret@10.0.0.1:6379/7"))
            .redisDatabase());
  }

  @Test
  void keyPrefixHoldingABrace_refusedAtStart_namingTheSetting() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                FreshetOptions.fromEnv(Map.of("FRESHET_REDIS_KEY_PREFIX", "team{a}:")).validate());
    assertTrue(
        e.getMessage().startsWith("FRESHET_REDIS_KEY_PREFIX may not contain '{'"), e.getMessage());
    assertEquals(
        "team}a:",
        FreshetOptions.fromEnv(Map.of("FRESHET_REDIS_KEY_PREFIX", "team}a:"))
            .validate()
            .redisKeyPrefix());
  }

  @Test
  void severalRedisNodes_areACluster_andWhatAClusterCannotBeIsRefused() {
    FreshetOptions listed =
        FreshetOptions.fromEnv(
                Map.of("FRESHET_REDIS_URL", "redis://10.0.0.1:7000, redis://:pw@10.0.0.2:7001"))
            .validate();
    assertTrue(listed.redisCluster());
    assertEquals(
        List.of("redis://10.0.0.1:7000", "redis://:pw@10.0.0.2:7001"), listed.redisNodes());
    assertEquals(0, listed.redisDatabase());
    assertTrue(
        FreshetOptions.fromEnv(
                Map.of(
                    "FRESHET_REDIS_URL", "redis://10.0.0.1:7000", "FRESHET_REDIS_MODE", "cluster"))
            .validate()
            .redisCluster());
    assertFalse(FreshetOptions.fromEnv(Map.of()).validate().redisCluster());

    for (Map<String, String> bad :
        List.of(
            Map.of("FRESHET_REDIS_MODE", "sentinel"),
            Map.of(
                "FRESHET_REDIS_URL", "redis://a:1,redis://b:2", "FRESHET_REDIS_MODE", "standalone"),
            Map.of("FRESHET_REDIS_URL", "redis://a:1/3,redis://b:2"),
            Map.of("FRESHET_REDIS_URL", "redis://a:1,redis://b c:2"))) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> FreshetOptions.fromEnv(bad).validate());
      assertTrue(e.getMessage().startsWith("FRESHET_REDIS_"), e.getMessage());
    }
  }
}
