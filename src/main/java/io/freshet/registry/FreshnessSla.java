package io.freshet.registry;

/** A view's freshness contract: thresholds in milliseconds and the policy for ROTTEN values. */
public record FreshnessSla(long freshMs, long staleMs, OnRotten onRotten) {

  public static final long DEFAULT_FRESH_MS = 60_000;
  public static final long DEFAULT_STALE_MS = 300_000;
  public static final FreshnessSla DEFAULT =
      new FreshnessSla(DEFAULT_FRESH_MS, DEFAULT_STALE_MS, OnRotten.SERVE);
}
