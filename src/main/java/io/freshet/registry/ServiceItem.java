package io.freshet.registry;

/**
 * One column of a feature service: a raw feature ({@code feature} set) or a transformation by name
 * ({@code transformation} set) with an optional registry version pin (0 = current).
 */
public record ServiceItem(FeatureRef feature, String transformation, int pinnedVersion) {

  public static ServiceItem ofFeature(FeatureRef feature) {
    return new ServiceItem(feature, null, 0);
  }

  public static ServiceItem ofTransformation(String name, int pinnedVersion) {
    return new ServiceItem(null, name, pinnedVersion);
  }

  public boolean isFeature() {
    return feature != null;
  }

  /** The column name in responses: a full feature name, or a transformation without its pin. */
  public String columnName() {
    return isFeature() ? feature.fullName() : transformation;
  }
}
