package io.freshet.read;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.registry.FeatureView;
import io.freshet.selection.FeatureSelection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Online results made from cells, for tests of what the writer makes of them. */
final class Results {

  private Results() {}

  static OnlineResult of(
      FeatureSelection selection, String joinKey, List<Object> keys, List<Cell[]> rows) {
    List<String> views = new ArrayList<>();
    for (FeatureView view : selection.views()) {
      views.add(view.name());
    }
    ReadPlan plan =
        new ReadPlan(
            selection,
            new FreshetMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), views));
    Object[][] values = new Object[rows.size()][];
    CellMeta[][] metas = new CellMeta[rows.size()][];
    for (int row = 0; row < rows.size(); row++) {
      Cell[] cells = rows.get(row);
      values[row] = new Object[cells.length];
      metas[row] = new CellMeta[cells.length];
      for (int c = 0; c < cells.length; c++) {
        values[row][c] = cells[c].value();
        metas[row][c] = cells[c].meta();
      }
    }
    return new OnlineResult(
        plan, new EntityRows(Map.of(joinKey, keys), rows.size()), values, metas, 0L);
  }
}
