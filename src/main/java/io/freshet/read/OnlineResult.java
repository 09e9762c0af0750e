package io.freshet.read;

import io.freshet.model.Cell;
import io.freshet.selection.FeatureSelection;
import java.util.List;

/** The cells of an online read: {@code cells.get(row)[column]}, rows in request order. */
record OnlineResult(
    FeatureSelection selection, SelectionJson json, EntityRows entities, List<Cell[]> cells) {}
