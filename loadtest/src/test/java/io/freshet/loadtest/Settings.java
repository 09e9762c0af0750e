package io.freshet.loadtest;

import java.time.Duration;

/**
 * What every simulation reads from system properties ({@code mvn gatling:test -Drate=500}), each
 * with the default a simulation chooses. The table in {@code src/site/markdown/load-testing.md} lists
 * them all.
 */
final class Settings {

  private Settings() {}

  /** Freshet's base URL. */
  static String baseUrl() {
    return System.getProperty("baseUrl", "http://127.0.0.1:8080").replaceAll("/+$", "");
  }

  /** Bearer token of the read routes; empty when the server has none. */
  static String readToken() {
    return System.getProperty("readToken", "");
  }

  /** Bearer token of ingest; empty when the server has none. */
  static String writeToken() {
    return System.getProperty("writeToken", "");
  }

  /** Arrivals per second of the open model (constant arrival rate). */
  static double rate(double fallback) {
    return Double.parseDouble(System.getProperty("rate", String.valueOf(fallback)));
  }

  /** Concurrent users of a closed model; 0 (the default) keeps the open model at {@code rate}. */
  static int users() {
    return intValue("users", 0);
  }

  /** Length of the measured phase. */
  static Duration duration(int fallbackSeconds) {
    return Duration.ofSeconds(intValue("duration", fallbackSeconds));
  }

  /** Length of the unmeasured warm-up phase before it (its requests are named "warm-up: ..."). */
  static Duration warmup() {
    return Duration.ofSeconds(intValue("warmup", 10));
  }

  /** Entities 1..N to read; at most what was seeded. */
  static long entities() {
    return Long.parseLong(System.getProperty("entities", "1000000"));
  }

  /** Bound on the measured requests' 99th percentile, in milliseconds (Gatling's resolution). */
  static int p99Ms(int fallback) {
    return intValue("p99Ms", fallback);
  }

  /** Least share of successful requests, in percent. */
  static double successPct() {
    return Double.parseDouble(System.getProperty("successPct", "99.9"));
  }

  static String string(String name, String fallback) {
    return System.getProperty(name, fallback);
  }

  static int intValue(String name, int fallback) {
    return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)));
  }

  static double doubleValue(String name, double fallback) {
    return Double.parseDouble(System.getProperty(name, String.valueOf(fallback)));
  }
}
