package io.freshet.store;

import java.util.List;

/** The cells of an online read: {@code cells.get(row)[column]}, rows in request order. */
public record OnlineResult(FeatureSelection selection, EntityRows entities, List<Cell[]> cells) {}
