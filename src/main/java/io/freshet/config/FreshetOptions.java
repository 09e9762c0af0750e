package io.freshet.config;

import io.freshet.tier.RedisKeys;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.impl.RedisURI;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every setting of a Freshet process, read from the environment once at start and validated once.
 * Defaults are the documented ones (src/site/markdown/configuration.md); the extra settings
 * (prefix, schema, timeouts) exist so that tests and several deployments can share one Redis and
 * one Postgres.
 */
public final class FreshetOptions {

  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_SCHEMAS_DIR = "schemas";
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0";
  public static final String DEFAULT_REDIS_KEY_PREFIX = "freshet:";
  public static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
  public static final String DEFAULT_PG_SCHEMA = "freshet";
  public static final long DEFAULT_HOT_MAX_ENTRIES = 1_000_000;
  public static final Duration DEFAULT_HOT_MAX_LIFETIME = Duration.ofSeconds(60);
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_PG_POOL_SIZE = 8;
  public static final Duration DEFAULT_FEED_HEARTBEAT = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_INGEST_ROWS = 100_000;
  public static final int DEFAULT_MAX_ONLINE_ENTITIES = 1_000;
  public static final long DEFAULT_MAX_SNAPSHOT_ROWS = 10_000_000;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
  // Snapshot work takes a tenth of the time while online reads are served late: beside two
  // snapshots streaming, flat-out hot reads then keep about twice their p99 alone, against four to
  // five times unpaced; a smaller share bought nothing more (BENCHMARKS.md, interference).
  public static final int DEFAULT_SNAPSHOT_SHARE_PERCENT = 10;

  private String httpHost = DEFAULT_HTTP_HOST;
  private int httpPort = DEFAULT_HTTP_PORT;
  private Path schemasDir = Path.of(DEFAULT_SCHEMAS_DIR);
  private String redisUrl = DEFAULT_REDIS_URL;
  private String redisKeyPrefix = DEFAULT_REDIS_KEY_PREFIX;
  private String redisMode;
  private String pgUrl = DEFAULT_PG_URL;
  private String pgSchema = DEFAULT_PG_SCHEMA;
  private int pgPoolSize = DEFAULT_PG_POOL_SIZE;
  private long hotMaxEntries = DEFAULT_HOT_MAX_ENTRIES;
  private Duration hotMaxLifetime = DEFAULT_HOT_MAX_LIFETIME;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;
  private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
  private Duration feedHeartbeat = DEFAULT_FEED_HEARTBEAT;
  private int maxIngestRows = DEFAULT_MAX_INGEST_ROWS;
  private int maxOnlineEntities = DEFAULT_MAX_ONLINE_ENTITIES;
  private long maxSnapshotRows = DEFAULT_MAX_SNAPSHOT_ROWS;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
  private Duration idempotencyRetention = DEFAULT_IDEMPOTENCY_RETENTION;
  private AdmissionOptions admission = new AdmissionOptions();
  private MonitoringOptions monitoring = new MonitoringOptions();
  private int eventLoops = Runtime.getRuntime().availableProcessors();
  private int snapshotThreads = eventLoops;
  private int snapshotSharePercent = DEFAULT_SNAPSHOT_SHARE_PERCENT;
  private String writeToken;
  private String readToken;

  /** Reads the {@code FRESHET_*} variables; unset ones keep their defaults. */
  public static FreshetOptions fromEnv(Map<String, String> env) {
    EnvReader in = new EnvReader(env);
    FreshetOptions options = new FreshetOptions();
    options.httpHost = in.string("FRESHET_HTTP_HOST", DEFAULT_HTTP_HOST);
    options.httpPort = in.smallInteger("FRESHET_HTTP_PORT", DEFAULT_HTTP_PORT);
    options.schemasDir = Path.of(in.string("FRESHET_SCHEMAS_DIR", DEFAULT_SCHEMAS_DIR));
    options.redisUrl = in.string("FRESHET_REDIS_URL", DEFAULT_REDIS_URL);
    options.redisKeyPrefix = in.string("FRESHET_REDIS_KEY_PREFIX", DEFAULT_REDIS_KEY_PREFIX);
    options.redisMode = in.optional("FRESHET_REDIS_MODE");
    options.pgUrl = in.string("FRESHET_PG_URL", DEFAULT_PG_URL);
    options.pgSchema = in.string("FRESHET_PG_SCHEMA", DEFAULT_PG_SCHEMA);
    options.pgPoolSize = in.smallInteger("FRESHET_PG_POOL_SIZE", DEFAULT_PG_POOL_SIZE);
    options.hotMaxEntries = in.integer("FRESHET_HOT_MAX_ENTRIES", DEFAULT_HOT_MAX_ENTRIES);
    options.hotMaxLifetime = in.millis("FRESHET_HOT_MAX_LIFETIME_MS", DEFAULT_HOT_MAX_LIFETIME);
    options.maxBodyBytes = in.integer("FRESHET_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES);
    options.redisTimeout = in.millis("FRESHET_REDIS_TIMEOUT_MS", DEFAULT_REDIS_TIMEOUT);
    options.healthInterval = in.millis("FRESHET_HEALTH_INTERVAL_MS", DEFAULT_HEALTH_INTERVAL);
    options.feedHeartbeat = in.millis("FRESHET_FEED_HEARTBEAT_MS", DEFAULT_FEED_HEARTBEAT);
    options.maxIngestRows = in.smallInteger("FRESHET_MAX_INGEST_ROWS", DEFAULT_MAX_INGEST_ROWS);
    options.maxOnlineEntities =
        in.smallInteger("FRESHET_MAX_ONLINE_ENTITIES", DEFAULT_MAX_ONLINE_ENTITIES);
    options.maxSnapshotRows = in.integer("FRESHET_MAX_SNAPSHOT_ROWS", DEFAULT_MAX_SNAPSHOT_ROWS);
    options.requestTimeout = in.millis("FRESHET_REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT);
    options.idleTimeout = in.millis("FRESHET_IDLE_TIMEOUT_MS", DEFAULT_IDLE_TIMEOUT);
    options.shutdownGrace = in.millis("FRESHET_SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE);
    options.idempotencyRetention =
        in.millis("FRESHET_IDEMPOTENCY_RETENTION_MS", DEFAULT_IDEMPOTENCY_RETENTION);
    options.eventLoops = in.smallInteger("FRESHET_EVENT_LOOPS", options.eventLoops);
    options.snapshotThreads = in.smallInteger("FRESHET_SNAPSHOT_THREADS", options.eventLoops);
    options.snapshotSharePercent =
        in.smallInteger("FRESHET_SNAPSHOT_SHARE_PERCENT", DEFAULT_SNAPSHOT_SHARE_PERCENT);
    options.writeToken = in.optional("FRESHET_WRITE_TOKEN");
    options.readToken = in.optional("FRESHET_READ_TOKEN");
    options.admission = AdmissionOptions.fromEnv(in);
    options.monitoring = MonitoringOptions.fromEnv(in);
    in.throwIfInvalid();
    return options;
  }

  /** Refuses settings the server cannot run with safely; called once before anything starts. */
  public FreshetOptions validate() {
    requireRange("FRESHET_HTTP_PORT", httpPort, 0, 65535);
    requireRange("FRESHET_HOT_MAX_ENTRIES", hotMaxEntries, 0, Long.MAX_VALUE);
    requireRange("FRESHET_MAX_BODY_BYTES", maxBodyBytes, 1, Integer.MAX_VALUE);
    requireRange("FRESHET_PG_POOL_SIZE", pgPoolSize, 1, 1024);
    requireRange("FRESHET_EVENT_LOOPS", eventLoops, 1, 1024);
    requireRange("FRESHET_SNAPSHOT_THREADS", snapshotThreads, 1, 1024);
    requireRange("FRESHET_SNAPSHOT_SHARE_PERCENT", snapshotSharePercent, 1, 100);
    requireRange("FRESHET_HEALTH_INTERVAL_MS", healthInterval.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_MAX_INGEST_ROWS", maxIngestRows, 1, Integer.MAX_VALUE);
    requireRange("FRESHET_MAX_ONLINE_ENTITIES", maxOnlineEntities, 1, Integer.MAX_VALUE);
    requireRange("FRESHET_MAX_SNAPSHOT_ROWS", maxSnapshotRows, 1, Long.MAX_VALUE);
    requireRange("FRESHET_REQUEST_TIMEOUT_MS", requestTimeout.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_IDLE_TIMEOUT_MS", idleTimeout.toMillis(), 1, Integer.MAX_VALUE);
    requireRange(
        "FRESHET_IDEMPOTENCY_RETENTION_MS", idempotencyRetention.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_SHUTDOWN_GRACE_MS", shutdownGrace.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_FEED_HEARTBEAT_MS", feedHeartbeat.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_REDIS_TIMEOUT_MS", redisTimeout.toMillis(), 1, Long.MAX_VALUE);
    requireRange("FRESHET_HOT_MAX_LIFETIME_MS", hotMaxLifetime.toMillis(), 1, Long.MAX_VALUE);
    admission.validate();
    monitoring.validate();
    requireUrl("FRESHET_PG_URL", pgUrl, PgConnectOptions::fromUri);
    // The Redis client parses its URL only when it first connects, with this class.
    for (String node : redisNodes()) {
      requireUrl("FRESHET_REDIS_URL", node, RedisURI::new);
    }
    requireRedisMode();
    String prefixProblem = RedisKeys.prefixProblem(redisKeyPrefix);
    if (prefixProblem != null) {
      throw new ConfigException(prefixProblem);
    }
    if (!pgSchema.matches("[a-z_][a-z0-9_]*")) {
      throw new ConfigException("FRESHET_PG_SCHEMA must match [a-z_][a-z0-9_]*");
    }
    if (writeToken == null && !isLoopback(httpHost)) {
      throw new ConfigException(
          "FRESHET_HTTP_HOST " + httpHost + " is not a loopback address: set FRESHET_WRITE_TOKEN");
    }
    return this;
  }

  private void requireRedisMode() {
    if (redisMode != null && !redisMode.equals("standalone") && !redisMode.equals("cluster")) {
      throw new ConfigException("FRESHET_REDIS_MODE must be standalone or cluster");
    }
    if ("standalone".equals(redisMode) && redisNodes().size() > 1) {
      throw new ConfigException(
          "FRESHET_REDIS_URL lists several nodes: set FRESHET_REDIS_MODE=cluster (or leave it"
              + " unset) or list one");
    }
    if (redisCluster()) {
      for (String node : redisNodes()) {
        Integer selected = new RedisURI(node).select();
        if (selected != null && selected != 0) {
          throw new ConfigException(
              "FRESHET_REDIS_URL selects database "
                  + selected
                  + ": Redis Cluster has only database 0");
        }
      }
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(name + " must be between " + min + " and " + max);
    }
  }

  /**
   * Parses a connection URL as its client will, so a malformed one stops the start here. The
   * client's own message quotes the whole URL, password included, so it is not passed on.
   */
  private static void requireUrl(String name, String url, Consumer<String> parse) {
    try {
      parse.accept(url);
    } catch (RuntimeException malformed) {
      throw new ConfigException(
          name + " is not a valid connection URL (not shown: it may hold a password)");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public String httpHost() {
    return httpHost;
  }

  public FreshetOptions httpHost(String value) {
    httpHost = value;
    return this;
  }

  public int httpPort() {
    return httpPort;
  }

  public FreshetOptions httpPort(int value) {
    httpPort = value;
    return this;
  }

  public Path schemasDir() {
    return schemasDir;
  }

  public FreshetOptions schemasDir(Path value) {
    schemasDir = value;
    return this;
  }

  public String redisUrl() {
    return redisUrl;
  }

  public FreshetOptions redisUrl(String value) {
    redisUrl = value;
    return this;
  }

  /** The nodes {@code FRESHET_REDIS_URL} lists, comma-separated: a URL each. */
  public List<String> redisNodes() {
    List<String> nodes = new ArrayList<>();
    for (String node : redisUrl.split(",")) {
      if (!node.isBlank()) {
        nodes.add(node.strip());
      }
    }
    return nodes.isEmpty() ? List.of(redisUrl) : nodes;
  }

  /**
   * Redis Cluster when {@code FRESHET_REDIS_MODE=cluster}, or when it is unset and the URL lists
   * several nodes.
   */
  public boolean redisCluster() {
    return redisMode == null ? redisNodes().size() > 1 : redisMode.equals("cluster");
  }

  public FreshetOptions redisMode(String value) {
    redisMode = value;
    return this;
  }

  /**
   * The database the Redis URL selects ({@code /N} or {@code ?db=N}), 0 when it names none; the
   * first node's for a cluster, where it can only be 0.
   */
  public int redisDatabase() {
    Integer selected = new RedisURI(redisNodes().get(0)).select();
    return selected == null ? 0 : selected;
  }

  public String redisKeyPrefix() {
    return redisKeyPrefix;
  }

  public FreshetOptions redisKeyPrefix(String value) {
    redisKeyPrefix = value;
    return this;
  }

  public String pgUrl() {
    return pgUrl;
  }

  public FreshetOptions pgUrl(String value) {
    pgUrl = value;
    return this;
  }

  public String pgSchema() {
    return pgSchema;
  }

  public FreshetOptions pgSchema(String value) {
    pgSchema = value;
    return this;
  }

  public int pgPoolSize() {
    return pgPoolSize;
  }

  public FreshetOptions pgPoolSize(int value) {
    pgPoolSize = value;
    return this;
  }

  public long hotMaxEntries() {
    return hotMaxEntries;
  }

  public FreshetOptions hotMaxEntries(long value) {
    hotMaxEntries = value;
    return this;
  }

  public Duration hotMaxLifetime() {
    return hotMaxLifetime;
  }

  public FreshetOptions hotMaxLifetime(Duration value) {
    hotMaxLifetime = value;
    return this;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public FreshetOptions maxBodyBytes(long value) {
    maxBodyBytes = value;
    return this;
  }

  public Duration redisTimeout() {
    return redisTimeout;
  }

  public FreshetOptions redisTimeout(Duration value) {
    redisTimeout = value;
    return this;
  }

  public Duration healthInterval() {
    return healthInterval;
  }

  public FreshetOptions healthInterval(Duration value) {
    healthInterval = value;
    return this;
  }

  public int maxIngestRows() {
    return maxIngestRows;
  }

  public FreshetOptions maxIngestRows(int value) {
    maxIngestRows = value;
    return this;
  }

  public int maxOnlineEntities() {
    return maxOnlineEntities;
  }

  public FreshetOptions maxOnlineEntities(int value) {
    maxOnlineEntities = value;
    return this;
  }

  public long maxSnapshotRows() {
    return maxSnapshotRows;
  }

  public FreshetOptions maxSnapshotRows(long value) {
    maxSnapshotRows = value;
    return this;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public FreshetOptions requestTimeout(Duration value) {
    requestTimeout = value;
    return this;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration idempotencyRetention() {
    return idempotencyRetention;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public Duration feedHeartbeat() {
    return feedHeartbeat;
  }

  public FreshetOptions feedHeartbeat(Duration value) {
    feedHeartbeat = value;
    return this;
  }

  public int eventLoops() {
    return eventLoops;
  }

  public int snapshotThreads() {
    return snapshotThreads;
  }

  public int snapshotSharePercent() {
    return snapshotSharePercent;
  }

  public FreshetOptions snapshotSharePercent(int value) {
    snapshotSharePercent = value;
    return this;
  }

  public FreshetOptions snapshotThreads(int value) {
    snapshotThreads = value;
    return this;
  }

  public FreshetOptions eventLoops(int value) {
    eventLoops = value;
    return this;
  }

  public String writeToken() {
    return writeToken;
  }

  public FreshetOptions writeToken(String value) {
    writeToken = value;
    return this;
  }

  public MonitoringOptions monitoring() {
    return monitoring;
  }

  public AdmissionOptions admission() {
    return admission;
  }

  public String readToken() {
    return readToken;
  }

  public FreshetOptions readToken(String value) {
    readToken = value;
    return this;
  }
}
