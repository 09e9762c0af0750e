package io.freshet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code freshet drift SERVICE}: each feature's drift against the service's baseline, as a table;
 * with {@code --baseline SNAPSHOT_ID}, first makes that snapshot the baseline.
 */
@Command(
    name = "drift",
    header = "Show a feature service's drift against its baseline.",
    mixinStandardHelpOptions = true,
    description =
        "Shows each feature's PSI, Jensen-Shannon distance, null and unseen shares and status over the service's window (or --window), from GET /v1/monitoring/SERVICE/drift. With --baseline, first makes that snapshot the service's baseline (write token).")
final class DriftCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin ServerOption server;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "the feature service")
  String service;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      description = "compare over this window, such as 30m (default: the service's)")
  String window;

  @Option(
      names = "--baseline",
      paramLabel = "SNAPSHOT_ID",
      description = "make this snapshot of the service its baseline first")
  String baseline;

  DriftCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    FreshetHttp http = server.connect(context);
    String path = "/v1/monitoring/" + encode(service);
    if (baseline != null) {
      JsonObject set =
          http.putJson(path + "/baseline", new JsonObject().put("snapshot_id", baseline));
      context
          .out()
          .println(
              "baseline: snapshot "
                  + set.getString("snapshot_id")
                  + " ("
                  + set.getLong("row_count")
                  + " rows)");
    }
    JsonObject drift =
        http.getJson(path + "/drift" + (window == null ? "" : "?window=" + encode(window)));
    JsonObject base = drift.getJsonObject("baseline");
    context
        .out()
        .println(
            drift.getString("service")
                + ": "
                + drift.getString("status")
                + ", "
                + drift.getLong("samples")
                + " rows sampled in "
                + FreshnessCommand.duration(drift.getLong("window_ms"))
                + (base == null ? "" : " against snapshot " + base.getString("snapshot_id"))
                + (Boolean.FALSE.equals(drift.getBoolean("window_complete"))
                    ? " (window incomplete: counts were lost while Redis was down)"
                    : ""));
    JsonArray features = drift.getJsonArray("features");
    if (!features.isEmpty()) {
      Table table = new Table("FEATURE", "STATUS", "PSI", "JS", "NULLS (BASE / NOW)", "UNSEEN");
      for (int i = 0; i < features.size(); i++) {
        JsonObject feature = features.getJsonObject(i);
        JsonObject nulls = feature.getJsonObject("null_share");
        table.row(
            feature.getString("name"),
            feature.getString("status"),
            number(feature.getDouble("psi")),
            number(feature.getDouble("js")),
            share(nulls.getDouble("baseline")) + " / " + share(nulls.getDouble("production")),
            share(feature.getDouble("unseen_share")));
      }
      table.print(context.out());
    }
    return Cli.OK;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String number(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String share(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * value);
  }
}
