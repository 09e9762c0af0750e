package io.freshet.tiles;

/**
 * One event as tiles count it: its times, its position in its ingest batch (the last tie-break of
 * {@code last}) and its fields by the view's field positions.
 */
public record TileEvent(long eventMicros, long ingestedMicros, int sequence, Object[] fields) {}
