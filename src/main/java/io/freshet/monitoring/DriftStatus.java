package io.freshet.monitoring;

/** A feature's or a service's drift verdict, from best to worst among those with data. */
enum DriftStatus {
  STABLE(0),
  DRIFTING(1),
  BROKEN(2),
  INSUFFICIENT_DATA(Double.NaN),
  NO_BASELINE(Double.NaN);

  /** The value of {@code freshet_drift_status}: NaN when there is no verdict. */
  final double gauge;

  DriftStatus(double gauge) {
    this.gauge = gauge;
  }

  static DriftStatus of(double psi, double drifting, double broken) {
    if (psi >= broken) {
      return BROKEN;
    }
    return psi >= drifting ? DRIFTING : STABLE;
  }

  /** The worse of two verdicts that both have data. */
  DriftStatus worst(DriftStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
