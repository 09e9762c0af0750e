package io.freshet.freshness;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every coherence test again, the two instances over a Redis Cluster of three masters and three
 * replicas: the change feed is published through the cluster client and heard on a plain connection
 * to one of the listed nodes.
 */
class ClusterCoherenceTest extends CoherenceTest {

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new RedisCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  FreshetOptions redis(FreshetOptions options) {
    return options.redisUrl(cluster.url()).redisMode("cluster");
  }
}
