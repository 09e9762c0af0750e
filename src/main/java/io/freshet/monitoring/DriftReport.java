package io.freshet.monitoring;

import io.freshet.metrics.MonitoringMetrics;
import io.freshet.registry.MonitoringDef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift answer: per feature, its bins with the baseline's and production's shares, PSI and
 * Jensen-Shannon distance over them, the null shares and the share of values the baseline never
 * listed, and a status from the service's thresholds; the service's status is its worst feature's.
 * A feature's status weighs its values' PSI and its null share's (a feature turning null is drift
 * too); with fewer sampled rows than {@code min_samples}, every status is INSUFFICIENT_DATA.
 */
final class DriftReport {

  /** One feature's production side: its counts per bin, its nulls and the rows sampled. */
  record Observed(FeatureBins bins, double[] counts, double nulls, double rows) {}

  private DriftReport() {}

  static JsonObject noBaseline(String service, Long windowMs) {
    return new JsonObject()
        .put("service", service)
        .putNull("baseline")
        .put("window_ms", windowMs)
        .put("samples", 0)
        .put("status", DriftStatus.NO_BASELINE.name())
        .put("features", new JsonArray());
  }

  /**
   * The answer, and the gauges set to it when {@code metrics} is given (a service's own window, not
   * a comparison of snapshots).
   */
  static JsonObject build(
      String service,
      JsonObject baseline,
      Long windowMs,
      long samples,
      MonitoringDef watch,
      List<Observed> features,
      MonitoringMetrics metrics) {
    boolean enough = samples >= watch.minSamples();
    DriftStatus worst = DriftStatus.STABLE;
    JsonArray out = new JsonArray();
    List<Double> psis = new ArrayList<>();
    for (Observed feature : features) {
      JsonObject json = feature(feature, watch, enough);
      DriftStatus status = DriftStatus.valueOf(json.getString("status"));
      if (enough) {
        worst = worst.worst(status);
      }
      Double psi = json.getDouble("psi");
      psis.add(psi == null ? Double.NaN : psi);
      out.add(json);
    }
    DriftStatus status = enough ? worst : DriftStatus.INSUFFICIENT_DATA;
    if (metrics != null) {
      for (int f = 0; f < features.size(); f++) {
        metrics.driftPsi(service, features.get(f).bins().name(), psis.get(f));
      }
      metrics.driftStatus(service, status.gauge);
    }
    return new JsonObject()
        .put("service", service)
        .put("baseline", baseline)
        .put("window_ms", windowMs)
        .put("samples", samples)
        .put("status", status.name())
        .put("features", out);
  }

  private static JsonObject feature(Observed observed, MonitoringDef watch, boolean enough) {
    FeatureBins bins = observed.bins();
    double[] p = bins.baselineShares();
    double[] q = DriftMath.proportions(observed.counts());
    double nonNull = 0;
    for (double c : observed.counts()) {
      nonNull += c;
    }
    Double psi = nonNull > 0 ? DriftMath.psi(p, q) : null;
    Double js = nonNull > 0 ? DriftMath.js(p, q) : null;
    Double productionNulls = observed.rows() > 0 ? observed.nulls() / observed.rows() : null;
    DriftStatus status = DriftStatus.INSUFFICIENT_DATA;
    if (enough) {
      status = DriftStatus.STABLE;
      if (psi != null) {
        status = DriftStatus.of(psi, watch.drifting(), watch.broken());
      }
      if (productionNulls != null) {
        double b = bins.baselineNullShare();
        double nullPsi =
            DriftMath.psi(
                new double[] {b, 1 - b}, new double[] {productionNulls, 1 - productionNulls});
        status = status.worst(DriftStatus.of(nullPsi, watch.drifting(), watch.broken()));
      }
    }
    JsonArray binList = new JsonArray();
    for (int i = 0; i < p.length; i++) {
      binList.add(bins.describe(i).put("baseline", p[i]).put("production", q[i]));
    }
    return new JsonObject()
        .put("name", bins.name())
        .put("psi", psi)
        .put("js", js)
        .put(
            "null_share",
            new JsonObject()
                .put("baseline", bins.baselineNullShare())
                .put("production", productionNulls))
        .put("unseen_share", bins.numeric() || nonNull == 0 ? null : q[q.length - 1])
        .put("status", status.name())
        .put("bins", binList);
  }
}
