package io.freshet.pit;

import io.freshet.encoding.NumberFormat;
import io.freshet.encoding.OutputFormat;
import io.freshet.encoding.SnapshotEncoder;
import io.freshet.encoding.SnapshotLayout;
import io.freshet.encoding.TimestampPrecision;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.Cell;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryJson;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.registry.StoredDefinition;
import io.freshet.registry.TransformationCatalog;
import io.freshet.registry.TransformationDef;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.transform.TransformEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The per-row cost of a snapshot's last stage, in one thread with nothing else running: the raw
 * cells of a row (the freshness rule), the transformation engine, and the encoder, for churn_raw
 * and churn_v2 over the same 100,000 rows of churn-like values (as rows.py seeds them). No HTTP,
 * Postgres or join: what is left is exactly what the eight transformations add. Run by encode.sh.
 *
 * <p>Arguments: schemas directory, format (csv or jsonl), number format (shortest or java).
 */
public final class EncodeBench {

  private static final int ROWS = 100_000;
  private static final int ROUNDS = 12;
  private static final int REPORTED = 4;

  public static void main(String[] args) throws Exception {
    SchemaSet schemas = SchemaLoader.load(Path.of(args[0]));
    OutputFormat format = OutputFormat.parse(args[1]).orElseThrow();
    NumberFormat numbers = NumberFormat.parse(args[2]).orElseThrow();
    Registry registry = new Registry(schemas, Map.of());
    TransformationCatalog catalog = fittedCatalog(schemas);
    TransformEngine engine =
        new TransformEngine(
            new FreshetMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of()));

    Random random = new Random(7);
    long now = 1_795_000_000_000_000L;
    long event = now - 600_000_000L;
    LabelTable labels = new LabelTable(1);
    Object[][] values = new Object[ROWS][];
    String[] plans = {"basic", "pro", "enterprise"};
    for (int i = 0; i < ROWS; i++) {
      labels.add(
          new Object[] {(long) random.nextInt(10_000) + 1}, now - random.nextInt(300) * 1_000_000L);
      values[i] =
          new Object[] {
            (long) (18 + random.nextInt(72)),
            plans[random.nextInt(3)],
            (long) random.nextInt(3650),
            random.nextDouble() < 0.1 ? null : Math.round(random.nextDouble(5, 500) * 100) / 100.0,
            (long) random.nextInt(61),
            Math.round(random.nextDouble() * 9000) / 10.0,
            random.nextDouble() < 0.05 ? null : (long) random.nextInt(31),
            (long) random.nextInt(13),
            (long) random.nextInt(4),
            random.nextDouble() < 0.3 ? null : Math.round(random.nextDouble(1, 5) * 10) / 10.0
          };
    }

    Map<String, FeatureSelection> services = new LinkedHashMap<>();
    for (String service : List.of("churn_raw", "churn_v2")) {
      services.put(service, FeatureSelection.ofService(registry, catalog, service));
    }
    for (int round = 0; round < ROUNDS; round++) {
      for (Map.Entry<String, FeatureSelection> service : services.entrySet()) {
        FeatureSelection selection = service.getValue();
        List<Column.Raw> raws = selection.raws();
        SnapshotLayout layout =
            new SnapshotLayout(
                List.of(raws.get(0).view().entity().joinKey()),
                List.of(),
                selection.columns(),
                format,
                numbers,
                TimestampPrecision.STORED,
                false,
                false);
        SnapshotEncoder encoder = new SnapshotEncoder(layout, Map.of());
        long cellsNanos = 0;
        long transformNanos = 0;
        long encodeNanos = 0;
        long bytes = 0;
        for (int from = 0; from < ROWS; from += SnapshotStream.CHUNK_ROWS) {
          int to = Math.min(ROWS, from + SnapshotStream.CHUNK_ROWS);
          long t0 = System.nanoTime();
          Cell[][] rawCells = new Cell[to - from][];
          for (int row = from; row < to; row++) {
            Cell[] cells = new Cell[raws.size()];
            for (int s = 0; s < cells.length; s++) {
              cells[s] =
                  FreshnessPolicy.cell(
                      raws.get(s).view(), event, values[row][s], "cold", labels.at(row));
            }
            rawCells[row - from] = cells;
          }
          long t1 = System.nanoTime();
          Cell[][] rows = new Cell[to - from][];
          for (int i = 0; i < rows.length; i++) {
            rows[i] = engine.row(selection, rawCells[i]);
          }
          long t2 = System.nanoTime();
          bytes += encoder.encode(labels, from, rows).bytes().size();
          cellsNanos += t1 - t0;
          transformNanos += t2 - t1;
          encodeNanos += System.nanoTime() - t2;
        }
        if (round >= ROUNDS - REPORTED) {
          System.out.printf(
              "%s\t%s\t%s\tcells %.0f ns/row\ttransformations %.0f ns/row\tencode %.0f ns/row"
                  + "\ttotal %.0f ns/row\t%.1f bytes/row%n",
              service.getKey(),
              args[1],
              args[2],
              cellsNanos / (double) ROWS,
              transformNanos / (double) ROWS,
              encodeNanos / (double) ROWS,
              (cellsNanos + transformNanos + encodeNanos) / (double) ROWS,
              bytes / (double) ROWS);
        }
      }
    }
  }

  /** Every declared transformation as version 1, the fitted ones with transforms.sh's fit. */
  private static TransformationCatalog fittedCatalog(SchemaSet schemas) throws Exception {
    Map<String, JsonObject> parameters =
        Map.of(
            "spend_z", new JsonObject().put("mean", 253.56001214396147).put("std", 143.66510733334815),
            "sessions_scaled", new JsonObject().put("min", 0.0).put("max", 60.0),
            "tenure_bucket",
                new JsonObject()
                    .put(
                        "boundaries",
                        new JsonArray(
                            List.of(
                                367.0, 744.0, 1110.0, 1491.0, 1832.0, 2217.0, 2572.3, 2923.2,
                                3273.1))));
    List<StoredDefinition> stored = new ArrayList<>();
    for (TransformationDef t : schemas.transformations()) {
      JsonObject definition = RegistryJson.transformation(t);
      JsonObject fitted = parameters.get(t.name());
      if (fitted != null) {
        definition.put(
            "fit",
            new JsonObject()
                .put("parameters", fitted)
                .put("snapshot_id", UUID.randomUUID().toString())
                .put("row_count", 10_000)
                .put("values", 10_000)
                .put("fitted_at", "2026-12-04T00:00:00Z"));
      }
      stored.add(new StoredDefinition(t.name(), 1, definition));
    }
    TransformationCatalog catalog = new TransformationCatalog(schemas);
    // The catalog is filled from Postgres in the server; here, as the tests do, from memory.
    Method update = TransformationCatalog.class.getDeclaredMethod("update", List.class);
    update.setAccessible(true);
    update.invoke(catalog, stored);
    return catalog;
  }
}
