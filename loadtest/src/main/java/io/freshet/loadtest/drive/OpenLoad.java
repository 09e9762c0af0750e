package io.freshet.loadtest.drive;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Online reads at a fixed arrival rate (an open model: requests arrive whether or not earlier ones
 * were answered, as a serving fleet's traffic does) or with a fixed number in flight (a closed
 * loop, as connection pools do), phase after phase against one Freshet. A request's latency runs
 * from when it was due, not when it was sent, so a server (or a driver) that falls behind is seen
 * falling behind: the coordinated omission a closed-loop tool hides is counted.
 *
 * <pre>
 * java -cp freshet-ceilings.jar io.freshet.loadtest.drive.OpenLoad --url=http://127.0.0.1:18080 \
 *   --body=hot|batch [--batch=100 --meta=status --layout=rows] [--hot-set=10000] \
 *   --phases=10000@20,0@10 [--connections=256] [--in-flight=64]
 * </pre>
 *
 * A phase {@code RATE@SECONDS} is RATE requests a second for SECONDS; a RATE of 0 is a closed loop
 * of {@code --in-flight} requests. Prints one {@code OPEN_RESULT} line per phase (answered 200s a
 * second, 503s, other failures, latency percentiles of the 200s in microseconds) and, with {@code
 * --timeline}, one {@code SECOND} line per second (200s, 503s, p99 of that second's 200s).
 */
public final class OpenLoad {

  private final Settings settings;
  private final HttpClient client;
  private final Buffer[] bodies;
  private final Vertx vertx;

  private OpenLoad(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setPipelining(false),
            new PoolOptions().setHttp1MaxSize(settings.connections).setMaxWaitQueueSize(-1));
    this.bodies = bodies(settings);
  }

  /** One phase's counts and latencies; touched only by the driver's one event loop. */
  private static final class Phase {
    final Histogram ok = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    Histogram second = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    long answered;
    long refused;
    long failed;
    long secondOk;
    long secondRefused;
    final List<String> timeline = new ArrayList<>();
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      OpenLoad load = new OpenLoad(vertx, settings);
      for (String phase : settings.phases) {
        String[] parts = phase.split("@");
        int rate = Integer.parseInt(parts[0]);
        int seconds = Integer.parseInt(parts[1]);
        load.report(phase, rate, seconds, load.run(rate, seconds).await());
      }
    } finally {
      vertx.close().await();
    }
  }

  private Future<Phase> run(int rate, int seconds) {
    Promise<Phase> done = Promise.promise();
    vertx.runOnContext(
        v -> {
          Phase phase = new Phase();
          long start = System.nanoTime();
          long end = start + TimeUnit.SECONDS.toNanos(seconds);
          long[] nextSecond = {start + TimeUnit.SECONDS.toNanos(1)};
          int[] inFlight = {0};
          if (rate > 0) {
            long[] sent = {0};
            long ticker =
                vertx.setPeriodic(
                    1,
                    id -> {
                      long now = System.nanoTime();
                      rollSecond(phase, now, nextSecond);
                      long due = Math.min(now, end) - start;
                      long target = due * rate / 1_000_000_000L;
                      for (; sent[0] < target; sent[0]++) {
                        long intended = start + sent[0] * 1_000_000_000L / rate;
                        send(phase, intended, inFlight);
                      }
                    });
            vertx.setTimer(
                TimeUnit.NANOSECONDS.toMillis(end - start),
                id -> {
                  vertx.cancelTimer(ticker);
                  drain(phase, inFlight, done);
                });
          } else {
            for (int i = 0; i < settings.inFlight; i++) {
              loop(phase, end, nextSecond, inFlight, done);
            }
          }
        });
    return done.future();
  }

  /** Closed loop: the next request goes out when this one is answered, until the phase ends. */
  private void loop(Phase phase, long end, long[] nextSecond, int[] inFlight, Promise<Phase> done) {
    long now = System.nanoTime();
    rollSecond(phase, now, nextSecond);
    if (now >= end) {
      drain(phase, inFlight, done);
      return;
    }
    send(phase, now, inFlight).onComplete(ar -> loop(phase, end, nextSecond, inFlight, done));
  }

  private Future<Void> send(Phase phase, long intended, int[] inFlight) {
    inFlight[0]++;
    Buffer body = bodies[(int) Math.floorMod(intended, (long) bodies.length)];
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(settings.url + "/v1/features/online")
                .putHeader("content-type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .transform(
            ar -> {
              inFlight[0]--;
              long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
              if (ar.succeeded() && ar.result() == 200) {
                phase.answered++;
                phase.secondOk++;
                phase.ok.recordValue(Math.min(micros, phase.ok.getHighestTrackableValue()));
                phase.second.recordValue(Math.min(micros, phase.second.getHighestTrackableValue()));
              } else if (ar.succeeded() && ar.result() == 503) {
                phase.refused++;
                phase.secondRefused++;
              } else {
                phase.failed++;
              }
              return Future.succeededFuture();
            });
  }

  private void rollSecond(Phase phase, long now, long[] nextSecond) {
    while (now >= nextSecond[0]) {
      phase.timeline.add(
          String.format(
              Locale.ROOT,
              "ok=%d refused=%d p99_us=%d",
              phase.secondOk,
              phase.secondRefused,
              phase.second.getValueAtPercentile(99)));
      phase.secondOk = 0;
      phase.secondRefused = 0;
      phase.second = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
      nextSecond[0] += TimeUnit.SECONDS.toNanos(1);
    }
  }

  /** Waits for the phase's last answers (or gives up on them after ten seconds). */
  private void drain(Phase phase, int[] inFlight, Promise<Phase> done) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    vertx.setPeriodic(
        5,
        id -> {
          if (inFlight[0] == 0 || System.nanoTime() > giveUp) {
            vertx.cancelTimer(id);
            phase.failed += inFlight[0];
            done.tryComplete(phase);
          }
        });
  }

  private void report(String name, int rate, int seconds, Phase phase) {
    Histogram ok = phase.ok;
    System.out.printf(
        Locale.ROOT,
        "OPEN_RESULT phase=%s rate=%d seconds=%d ok=%d ok_per_s=%.0f refused=%d failed=%d"
            + " p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d%n",
        name,
        rate,
        seconds,
        phase.answered,
        phase.answered / (double) seconds,
        phase.refused,
        phase.failed,
        ok.getValueAtPercentile(50),
        ok.getValueAtPercentile(90),
        ok.getValueAtPercentile(99),
        ok.getValueAtPercentile(99.9),
        ok.getMaxValue());
    if (settings.timeline) {
      for (int s = 0; s < phase.timeline.size(); s++) {
        System.out.printf(Locale.ROOT, "SECOND phase=%s second=%d %s%n", name, s + 1, phase.timeline.get(s));
      }
    }
  }

  /** Request bodies made before the clock starts, so the driver spends its time sending. */
  private static Buffer[] bodies(Settings settings) {
    SplittableRandom random = new SplittableRandom(7);
    Buffer[] bodies = new Buffer[1024];
    for (int b = 0; b < bodies.length; b++) {
      StringBuilder body = new StringBuilder(64 + 8 * settings.batch);
      if (settings.body.equals("batch")) {
        body.append("{\"feature_service\":\"churn_behaviour_v1\",\"meta\":\"")
            .append(settings.meta)
            .append("\",\"layout\":\"")
            .append(settings.layout)
            .append("\",\"entities\":{\"customer_id\":[");
        for (int e = 0; e < settings.batch; e++) {
          body.append(e == 0 ? "" : ",").append(1 + random.nextInt(settings.hotSet));
        }
      } else {
        body.append("{\"features\":[\"customer_profile:age\",\"customer_profile:plan\",")
            .append("\"customer_profile:tenure_days\",\"customer_profile:monthly_spend\",")
            .append("\"customer_activity:sessions_7d\",\"customer_activity:minutes_7d\",")
            .append("\"customer_activity:last_login_days\",\"customer_support:tickets_30d\",")
            .append("\"customer_support:open_tickets\",\"customer_support:csat_score\"],")
            .append("\"meta\":\"")
            .append(settings.meta)
            .append("\",\"entities\":{\"customer_id\":[")
            .append(1 + random.nextInt(settings.hotSet));
      }
      bodies[b] = Buffer.buffer(body.append("]}}").toString());
    }
    return bodies;
  }

  /** The command line's settings. */
  private record Settings(
      String url,
      String body,
      int batch,
      String meta,
      String layout,
      int hotSet,
      List<String> phases,
      int connections,
      int inFlight,
      boolean timeline) {

    static Settings parse(String[] args) {
      return new Settings(
          value(args, "url", "http://127.0.0.1:18080"),
          value(args, "body", "hot"),
          Integer.parseInt(value(args, "batch", "100")),
          value(args, "meta", "full"),
          value(args, "layout", "rows"),
          Integer.parseInt(value(args, "hot-set", "10000")),
          List.of(value(args, "phases", "1000@10").split(",")),
          Integer.parseInt(value(args, "connections", "256")),
          Integer.parseInt(value(args, "in-flight", "64")),
          List.of(args).contains("--timeline"));
    }

    private static String value(String[] args, String name, String fallback) {
      String prefix = "--" + name + "=";
      for (String arg : args) {
        if (arg.startsWith(prefix)) {
          return arg.substring(prefix.length());
        }
      }
      return fallback;
    }
  }
}
