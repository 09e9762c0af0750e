package io.freshet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code freshet freshness}: every view's lag and status, as a table. */
@Command(
    name = "freshness",
    header = "Show every feature view's lag and freshness status.",
    mixinStandardHelpOptions = true,
    description =
        "Shows every feature view's lag (now minus the newest event written to it) and its status against the view's SLA, from GET /v1/freshness.")
final class FreshnessCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin ServerOption server;

  FreshnessCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    JsonArray views = server.connect(context).getJson("/v1/freshness").getJsonArray("views");
    Table table = new Table("VIEW", "STATUS", "LAG", "LAST EVENT", "FRESH / STALE", "ON ROTTEN");
    for (int i = 0; i < views.size(); i++) {
      JsonObject view = views.getJsonObject(i);
      JsonObject sla = view.getJsonObject("sla");
      Long lag = view.getLong("lag_ms");
      String last = view.getString("last_event_timestamp");
      table.row(
          view.getString("view"),
          view.getString("status"),
          lag == null ? "-" : duration(lag),
          last == null ? "-" : last,
          duration(sla.getLong("fresh_ms")) + " / " + duration(sla.getLong("stale_ms")),
          sla.getString("on_rotten"));
    }
    table.print(context.out());
    return Cli.OK;
  }

  /** Milliseconds as the schema files write durations: 850ms, 42s, 5m 3s, 3h 2m, 2d 4h. */
  static String duration(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
    return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + "h");
  }
}
