package io.freshet.read;

import io.freshet.model.CellMeta;

/**
 * An online read's answer before it is written: {@code values[row][column]} and the meta each value
 * is served with, rows in request order, as of {@code servedMicros}. The values of one record share
 * one meta object.
 */
record OnlineResult(
    ReadPlan plan, EntityRows entities, Object[][] values, CellMeta[][] metas, long servedMicros) {}
