package io.freshet.cli;

import io.freshet.registry.RegistryJson;
import io.freshet.registry.RegistryKey;
import io.freshet.registry.SchemaSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code freshet plan [DIR]}: what a restart with DIR would do to a running registry, object by
 * object, decided as the registry decides it: a definition whose canonical form differs gets a new
 * version.
 */
@Command(
    name = "plan",
    header = "Show what a restart with these schemas would change.",
    mixinStandardHelpOptions = true,
    description =
        "Compares the schema files under DIR with a running server's registry: which entities, feature views, transformations and feature services a restart with DIR would add, change (a new version) or leave alone. Changes nothing.")
final class PlanCommand implements Callable<Integer> {

  private static final Map<RegistryKey.Kind, String> LISTS =
      Map.of(
          RegistryKey.Kind.ENTITY, "entities",
          RegistryKey.Kind.FEATURE_VIEW, "feature_views",
          RegistryKey.Kind.TRANSFORMATION, "transformations",
          RegistryKey.Kind.FEATURE_SERVICE, "feature_services");

  // What the listing shows beside a definition: its identity and, for a transformation, the kind
  // of its current version, its fits and its versions.
  private static final Set<String> SHOWN_BESIDE =
      Set.of("name", "version", "kind", "fitted", "versions");

  private final CliContext context;

  @Mixin ServerOption server;

  @Mixin SchemaDirArgument schemaDir;

  PlanCommand(CliContext context) {
    this.context = context;
  }

  /** One line of the plan. */
  record Step(String kind, String name, String action, String versions) {}

  @Override
  public Integer call() {
    Path schemas = schemaDir.resolve(context);
    SchemaSet set = schemaDir.load(context);
    JsonObject registry = server.connect(context).getJson("/v1/registry");
    List<Step> steps = plan(RegistryJson.definitions(set), registry);
    Table table = new Table("KIND", "NAME", "ACTION", "VERSION");
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    for (Step step : steps) {
      table.row(step.kind(), step.name(), step.action(), step.versions());
      switch (step.action()) {
        case "add" -> added++;
        case "change" -> changed++;
        case "unchanged" -> unchanged++;
        default -> {}
      }
    }
    table.print(context.out());
    context
        .out()
        .printf(
            "%nPlan for %s against %s: %d to add, %d to change, %d unchanged.%n",
            schemas, server.connect(context).base(), added, changed, unchanged);
    return Cli.OK;
  }

  static List<Step> plan(Map<RegistryKey, JsonObject> local, JsonObject registry) {
    Map<RegistryKey, JsonObject> running = new LinkedHashMap<>();
    LISTS.forEach(
        (kind, list) -> {
          JsonArray objects = registry.getJsonArray(list, new JsonArray());
          for (int i = 0; i < objects.size(); i++) {
            JsonObject shown = objects.getJsonObject(i);
            running.put(new RegistryKey(kind, shown.getString("name")), shown);
          }
        });
    List<Step> steps = new ArrayList<>();
    local.forEach(
        (key, definition) -> {
          JsonObject shown = running.remove(key);
          String kind = kindName(key.kind());
          if (shown == null) {
            steps.add(new Step(kind, key.name(), "add", "v1"));
          } else if (same(definition, shown)) {
            steps.add(new Step(kind, key.name(), "unchanged", "v" + shown.getInteger("version")));
          } else {
            int version = latestVersion(shown);
            steps.add(
                new Step(kind, key.name(), "change", "v" + version + " -> v" + (version + 1)));
          }
        });
    running.forEach(
        (key, shown) ->
            steps.add(
                new Step(
                    kindName(key.kind()),
                    key.name(),
                    "not in DIR",
                    "v" + shown.getInteger("version") + ", kept, no longer served")));
    return steps;
  }

  /**
   * Whether the running object's definition is this one: every field of the local canonical form
   * equal, and no field of its own beyond the ones the listing adds.
   */
  private static boolean same(JsonObject local, JsonObject shown) {
    JsonObject canonical = new JsonObject(local.encode());
    for (String field : canonical.fieldNames()) {
      if (!java.util.Objects.equals(
          normalized(canonical.getValue(field)), normalized(shown.getValue(field)))) {
        return false;
      }
    }
    for (String field : shown.fieldNames()) {
      if (!canonical.containsKey(field) && !SHOWN_BESIDE.contains(field)) {
        return false;
      }
    }
    return true;
  }

  private static Object normalized(Object value) {
    return value instanceof Number n ? n.toString() : value;
  }

  /** A transformation's fits add versions beyond its current declaration's; the next is after. */
  private static int latestVersion(JsonObject shown) {
    JsonArray versions = shown.getJsonArray("versions");
    int latest = shown.getInteger("version", 0);
    if (versions != null) {
      for (int i = 0; i < versions.size(); i++) {
        latest = Math.max(latest, versions.getJsonObject(i).getInteger("version"));
      }
    }
    return latest;
  }

  private static String kindName(RegistryKey.Kind kind) {
    return kind.dbName().replace('_', ' ');
  }
}
