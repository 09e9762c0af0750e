package io.freshet.testing;

import io.freshet.Freshet;
import io.freshet.config.FreshetOptions;
import io.freshet.tier.ChangeFeed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Freshet for one test class: its own Postgres schema and Redis key prefix (dropped on close),
 * a fixed clock, and periodic health checks off so tests drive tier checks themselves.
 */
public final class FreshetFixture implements AutoCloseable {

  public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  public static final Path TEST_SCHEMAS = Path.of("src/test/resources/schemas");

  /** An event view with every aggregation function (card_transactions) beside a records view. */
  public static final Path EVENT_SCHEMAS = Path.of("src/test/resources/event-schemas");

  /**
   * Tests keep to a Redis database of their own: clearing a test's keys scans its database, and a
   * live server or a load test beside the suite may keep millions of keys in database 0.
   */
  public static final String TEST_REDIS_URL =
      System.getenv().getOrDefault("FRESHET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15");

  public final Vertx vertx;
  public final MutableClock clock;
  public final FreshetOptions options;
  public final Freshet freshet;
  public final Api api;

  private FreshetFixture(Vertx vertx, MutableClock clock, FreshetOptions options, Freshet freshet) {
    this.vertx = vertx;
    this.clock = clock;
    this.options = options;
    this.freshet = freshet;
    this.api = new Api(vertx, freshet.port());
  }

  public static FreshetFixture start(Vertx vertx) {
    return start(vertx, o -> {});
  }

  public static FreshetFixture start(Vertx vertx, Consumer<FreshetOptions> customize) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    FreshetOptions options =
        FreshetOptions.fromEnv(System.getenv())
            .httpHost("127.0.0.1")
            .httpPort(freePort())
            .schemasDir(TEST_SCHEMAS)
            .redisUrl(TEST_REDIS_URL)
            .pgSchema("test_" + id.toLowerCase(Locale.ROOT))
            .redisKeyPrefix("freshet-test:" + id + ":")
            .healthInterval(Duration.ofHours(1))
            .eventLoops(2)
            .writeToken(null)
            .readToken(null);
    customize.accept(options);
    options.validate();
    return startWith(vertx, options, new MutableClock(T0));
  }

  /**
   * A second instance over this one's schema and key prefix, on its own port, sharing the clock:
   * another node behind the same load balancer. Stop it before closing this one.
   */
  public FreshetFixture startPeer() {
    return startPeer(options.schemasDir());
  }

  /** A peer running other schemas: a rolling deploy of a changed definition. */
  public FreshetFixture startPeer(Path schemasDir) {
    return startPeer(o -> o.schemasDir(schemasDir));
  }

  /** A peer whose settings differ from this one's as {@code customize} says. */
  public FreshetFixture startPeer(Consumer<FreshetOptions> customize) {
    FreshetOptions peer =
        FreshetOptions.fromEnv(System.getenv())
            .httpHost("127.0.0.1")
            .httpPort(freePort())
            .schemasDir(options.schemasDir())
            .pgSchema(options.pgSchema())
            .redisKeyPrefix(options.redisKeyPrefix())
            .redisUrl(options.redisUrl())
            .redisMode(options.redisCluster() ? "cluster" : "standalone")
            .pgUrl(options.pgUrl())
            .healthInterval(options.healthInterval())
            .feedHeartbeat(options.feedHeartbeat())
            .hotMaxLifetime(options.hotMaxLifetime())
            .eventLoops(options.eventLoops())
            .writeToken(null)
            .readToken(null);
    customize.accept(peer);
    return startWith(vertx, peer.validate(), clock);
  }

  /** Polls without sleeping the thread: each retry waits on a Vert.x timer. */
  public boolean eventually(Duration within, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      vertx.timer(2).await();
    }
    return condition.getAsBoolean();
  }

  /** Starts another instance over the same schema and prefix (a restart, or a second node). */
  public static FreshetFixture startWith(Vertx vertx, FreshetOptions options, MutableClock clock) {
    Freshet freshet = Freshet.start(vertx, options, clock, clock::ticker).await();
    return new FreshetFixture(vertx, clock, options, freshet);
  }

  /**
   * Each fixture binds its own port: Vert.x shares one random port among every server of a Vertx
   * instance that asks for port 0, which would mix fixtures.
   */
  public static int freePort() {
    return freePorts(1)[0];
  }

  /** {@code n} ports free now and distinct: each is held until all are found. */
  public static int[] freePorts(int n) {
    java.net.ServerSocket[] sockets = new java.net.ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new java.net.ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      for (java.net.ServerSocket socket : sockets) {
        if (socket != null) {
          try {
            socket.close();
          } catch (java.io.IOException ignored) {
            // Closing a socket that was only bound cannot lose anything.
          }
        }
      }
    }
  }

  public static String at(Duration beforeT0) {
    return T0.minus(beforeT0).toString();
  }

  /** User 1's profile, ten minutes before T0: what {@link #oneRowAtT0} finds. */
  public static JsonObject userOneProfile() {
    return new JsonObject()
        .put("user_id", 1)
        .put("event_timestamp", at(Duration.ofMinutes(10)))
        .put("age", 33)
        .put("plan", "pro");
  }

  /**
   * A whole {@code profile} record of {@code user} at {@code eventTime}: age as given, plan pro.
   */
  public static JsonObject profile(long user, String eventTime, int age) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", eventTime)
        .put("age", age)
        .put("plan", "pro")
        .put("score", 1.25)
        .put("active", true);
  }

  /** The value of one series in {@code GET /metrics} (name and labels as exported), 0 if absent. */
  public double metric(String series) {
    Matcher line =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(api.get("/metrics").body().toString());
    return line.find() ? Double.parseDouble(line.group(1)) : 0.0;
  }

  /** A JSON historical request for {@code features} of user 1 at T0. */
  public static JsonObject oneRowAtT0(String... features) {
    return new JsonObject()
        .put("features", new JsonArray(java.util.List.of((Object[]) features)))
        .put(
            "rows",
            new JsonArray()
                .add(new JsonObject().put("user_id", 1).put("timestamp", T0.toString())));
  }

  /** Ingests rows into a view and expects them accepted. */
  public JsonObject ingest(String view, JsonObject... rows) {
    Api.Response response =
        api.post(
            "/v1/ingest/" + view,
            new JsonObject().put("rows", new JsonArray(java.util.List.of((Object[]) rows))));
    if (response.status() != 200) {
      throw new AssertionError("ingest failed: " + response.status() + " " + response.body());
    }
    return response.json();
  }

  public Api.Response online(JsonObject request) {
    return api.post("/v1/features/online", request);
  }

  /** Rows of a view in the record of truth, read directly from Postgres. */
  public long historyCount(String view) {
    Row row =
        freshet
            .pool()
            .preparedQuery("SELECT count(*) FROM feature_history WHERE view_name = $1")
            .execute(Tuple.of(view))
            .await()
            .iterator()
            .next();
    return row.getLong(0);
  }

  /** Events of an event view in the record of truth, read directly from Postgres. */
  public long eventCount(String view) {
    Row row =
        freshet
            .pool()
            .preparedQuery("SELECT count(*) FROM event_history WHERE view_name = $1")
            .execute(Tuple.of(view))
            .await()
            .iterator()
            .next();
    return row.getLong(0);
  }

  /**
   * Closes, from Redis's side, the change-feed subscription of every instance on this fixture's key
   * prefix (this one and its peers) and answers how many there were. Only these: other servers on
   * the same Redis keep their feeds.
   */
  public int killFeedSubscribers() {
    String name =
        ChangeFeed.subscriberName(
            ChangeFeed.channel(options.redisKeyPrefix(), options.redisDatabase()));
    int killed = 0;
    // A cluster's instances subscribe on any of its nodes; one that is down holds none.
    for (String node : options.redisNodes()) {
      Redis redis = Redis.createClient(vertx, node);
      try {
        String clients = redis.send(Request.cmd(Command.CLIENT).arg("LIST")).await().toString();
        for (String client : clients.split("\n")) {
          if (client.contains(" name=" + name + " ")) {
            String id = client.substring(3, client.indexOf(' '));
            redis.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(id)).await();
            killed++;
          }
        }
      } catch (RuntimeException unreachable) {
        if (options.redisNodes().size() == 1) {
          throw unreachable;
        }
      } finally {
        redis.close().await();
      }
    }
    return killed;
  }

  /** Empties the caches above {@code tier} (hot, warm or cold), so the next read reaches it. */
  public void readFrom(String tier) {
    if (!tier.equals("hot")) {
      clearHot();
    }
    if (tier.equals("cold")) {
      clearWarm();
    }
  }

  public void clearHot() {
    freshet.tiers().hot().clear();
  }

  public void clearWarm() {
    freshet.tiers().warm().clear().await();
  }

  /** Stops this instance without dropping its data. */
  public void stop() {
    api.close();
    freshet.close().await();
  }

  @Override
  public void close() {
    api.close();
    freshet.tiers().warm().clear().otherwiseEmpty().await();
    freshet
        .pool()
        .query("DROP SCHEMA IF EXISTS " + options.pgSchema() + " CASCADE")
        .execute()
        .otherwiseEmpty()
        .await();
    freshet.close().await();
  }
}
