package io.freshet.tiles;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;

/**
 * Every online aggregation test again over a Redis Cluster of three masters and three replicas: an
 * entity's tiles share its hash tag, so each tile script runs on one master.
 */
class ClusterOnlineAggregationTest extends OnlineAggregationTest {

  private RedisCluster cluster;

  @Override
  FreshetOptions redis(FreshetOptions options) {
    cluster = new RedisCluster();
    return options.redisUrl(cluster.url()).redisMode("cluster");
  }

  // An overriding method is a lifecycle method only if annotated again.
  @Override
  @AfterAll
  void stop() {
    try {
      super.stop();
    } finally {
      cluster.close();
    }
  }
}
