package io.freshet;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.cli.Cli;
import io.freshet.cli.CliContext;
import io.freshet.config.ConfigException;
import io.freshet.config.FreshetOptions;
import io.freshet.registry.SchemaException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The jar's entry point. With no arguments, starts Freshet from the environment and exits non-zero
 * with the reason when it cannot; with arguments, runs the command line ({@code serve} is this same
 * start).
 */
public final class Main {

  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    if (args.length == 0) {
      serve();
      return;
    }
    int exit = Cli.run(args, CliContext.system(Main::serve));
    if (exit != Cli.SERVING) {
      System.exit(exit);
    }
  }

  private static void serve() {
    FreshetOptions options;
    try {
      options = FreshetOptions.fromEnv(System.getenv()).validate();
    } catch (ConfigException e) {
      System.err.println("freshet: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()));
    Freshet freshet;
    try {
      freshet =
          Freshet.start(vertx, options, Clock.systemUTC(), Ticker.systemTicker())
              .await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      System.err.println("freshet: cannot start: " + describe(e));
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    freshet
                        .close()
                        .await(options.shutdownGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
                    vertx.close().await(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("freshet: unclean shutdown: " + e);
                  }
                },
                "freshet-shutdown"));
    LOG.log(
        System.Logger.Level.INFO,
        "freshet listening on http://" + options.httpHost() + ":" + freshet.port());
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof SchemaException)) {
      cause = cause.getCause();
    }
    return cause instanceof SchemaException
        ? "\n" + cause.getMessage()
        : String.valueOf(cause.getMessage());
  }
}
