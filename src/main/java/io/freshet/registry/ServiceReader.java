package io.freshet.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code feature_services} items; views and transformations must all be read first. */
final class ServiceReader {

  private static final List<String> KEYS = List.of("name", "description", "features", "monitoring");
  private static final Pattern PINNED = Pattern.compile("([^@]*)@(.*)");
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

  private ServiceReader() {}

  static void read(
      YamlMap service,
      NameTable<FeatureView> views,
      NameTable<TransformationDef> transformations,
      NameTable<FeatureServiceDef> services) {
    service.allowOnly(KEYS);
    Optional<String> name = service.name("name");
    String description = service.text("description", false).orElse(null);
    List<ServiceItem> items = new ArrayList<>();
    Set<String> columns = new HashSet<>();
    for (ScalarNode entry : service.scalars("features", true)) {
      Optional<ServiceItem> item = item(service, entry, views, transformations);
      if (item.isPresent() && !columns.add(item.get().columnName())) {
        service.problem(entry, "'" + item.get().columnName() + "' is listed twice");
      } else {
        item.ifPresent(items::add);
      }
    }
    MonitoringDef monitoring =
        service.map("monitoring", "monitoring").flatMap(MonitoringReader::read).orElse(null);
    name.ifPresent(
        n -> services.add(n, new FeatureServiceDef(n, items, description, monitoring), service));
  }

  private static Optional<ServiceItem> item(
      YamlMap service,
      ScalarNode entry,
      NameTable<FeatureView> views,
      NameTable<TransformationDef> transformations) {
    String text = entry.getValue();
    if (text.indexOf(':') >= 0) {
      return feature(service, entry, views);
    }
    Matcher pinned = PINNED.matcher(text);
    String name = pinned.matches() ? pinned.group(1) : text;
    int version = 0;
    if (pinned.matches()) {
      if (!VERSION.matcher(pinned.group(2)).matches()) {
        service.problem(entry, "'" + text + "': a version pin is @N with N a positive integer");
        return Optional.empty();
      }
      version = Integer.parseInt(pinned.group(2));
    }
    if (transformations.get(name).isEmpty()) {
      service.problem(entry, "unknown transformation '" + name + "'");
      return Optional.empty();
    }
    return Optional.of(ServiceItem.ofTransformation(name, version));
  }

  private static Optional<ServiceItem> feature(
      YamlMap service, ScalarNode entry, NameTable<FeatureView> views) {
    String text = entry.getValue();
    if (text.indexOf('@') >= 0) {
      service.problem(
          entry, "'" + text + "': only a transformation can be pinned to a version, not a feature");
      return Optional.empty();
    }
    Optional<FeatureRef> ref = FeatureRef.parse(text);
    if (ref.isEmpty()) {
      service.problem(entry, "'" + text + "' is not of the form view:feature");
      return Optional.empty();
    }
    Optional<FeatureView> view = views.get(ref.get().view());
    if (view.isEmpty()) {
      service.problem(
          entry, "unknown feature '" + text + "': no feature view '" + ref.get().view() + "'");
      return Optional.empty();
    }
    if (view.get().feature(ref.get().feature()).isEmpty()) {
      service.problem(
          entry,
          "unknown feature '"
              + text
              + "': view '"
              + ref.get().view()
              + "' has no feature '"
              + ref.get().feature()
              + "'");
      return Optional.empty();
    }
    return ref.map(ServiceItem::ofFeature);
  }
}
