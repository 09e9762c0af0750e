package io.freshet.pit;

/**
 * One training example: its entity keys (aligned with the request's join keys, each a Long or a
 * String) and the time its label was observed, in microseconds.
 */
public record LabelRow(Object[] keys, long atMicros) {}
