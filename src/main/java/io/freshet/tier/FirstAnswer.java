package io.freshet.tier;

/** The stored answer to an Idempotency-Key: what was sent first and what it was told. */
public record FirstAnswer(String requestSha256, int accepted, long ingestedMicros) {}
