package io.freshet.pit;

import io.freshet.model.Cell;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.transform.TransformEngine;
import java.util.List;

/**
 * A request's label rows with every view joined: any row's cells, computed on demand in any order,
 * by the same classifier and transformation engine as online reads, at the row's own time, each
 * view's {@code on_rotten} applied when the request asks for values as served.
 */
final class SnapshotJoin {

  private final SnapshotRequest request;
  private final LabelTable labels;
  private final TransformEngine transforms;

  /** Per raw slot of the selection: the join of its view, and its column in that join. */
  private final ViewJoin[] joinOfSlot;

  private final int[] columnOfSlot;

  SnapshotJoin(
      SnapshotRequest request,
      LabelTable labels,
      List<ViewJoin> joins,
      int[] columnOfSlot,
      TransformEngine transforms) {
    this.request = request;
    this.labels = labels;
    this.transforms = transforms;
    FeatureSelection selection = request.selection();
    this.joinOfSlot = new ViewJoin[selection.raws().size()];
    for (int s = 0; s < joinOfSlot.length; s++) {
      joinOfSlot[s] = joins.get(selection.rawView(s));
    }
    this.columnOfSlot = columnOfSlot;
  }

  LabelTable labels() {
    return labels;
  }

  /** Row {@code row}'s cells, aligned with the request's columns. */
  Cell[] cells(int row) {
    List<Column.Raw> raws = request.selection().raws();
    long at = labels.at(row);
    boolean applyOnRotten = request.applyFreshness();
    Cell[] rawCells = new Cell[raws.size()];
    for (int s = 0; s < rawCells.length; s++) {
      rawCells[s] = joinOfSlot[s].cell(columnOfSlot[s], row, at, applyOnRotten);
    }
    return transforms.row(request.selection(), rawCells);
  }
}
