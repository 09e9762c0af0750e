package io.freshet.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The four sections gathered from every schema file of a directory, in path order. Objects of one
 * kind may refer to objects declared in any file, so each kind is checked only once all are read.
 */
final class SchemaSources {

  static final String ENTITIES = "entities";
  static final String VIEWS = "feature_views";
  static final String TRANSFORMATIONS = "transformations";
  static final String SERVICES = "feature_services";
  private static final List<String> SECTIONS = List.of(ENTITIES, VIEWS, TRANSFORMATIONS, SERVICES);

  final List<YamlMap> entities = new ArrayList<>();
  final List<YamlMap> views = new ArrayList<>();
  final List<YamlMap> transformations = new ArrayList<>();
  final List<YamlMap> services = new ArrayList<>();

  private final Problems problems;

  private SchemaSources(Problems problems) {
    this.problems = problems;
  }

  static SchemaSources read(Path dir, Problems problems) throws IOException {
    SchemaSources sources = new SchemaSources(problems);
    if (!Files.isDirectory(dir)) {
      problems.add(dir.toString(), 0, "not a directory");
      return sources;
    }
    List<Path> files = yamlFiles(dir);
    if (files.isEmpty()) {
      problems.add(dir.toString(), 0, "no *.yaml or *.yml schema files in this directory");
    }
    for (Path file : files) {
      sources.readFile(file, displayName(dir, file));
    }
    return sources;
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(SchemaSources::isYaml)
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** Relative to the directory's parent, so {@code schemas/churn.yaml}, as users see it. */
  private static String displayName(Path dir, Path file) {
    Path parent = dir.getParent();
    return (parent == null ? file : parent.relativize(file)).toString();
  }

  private void readFile(Path file, String name) throws IOException {
    Optional<String> text = YamlText.read(file, name, problems);
    if (text.isEmpty()) {
      return;
    }
    LoadSettings settings = LoadSettings.builder().setLabel(name).build();
    try {
      if (!YamlShape.admit(text.get(), settings, name, problems)) {
        return;
      }
      for (Node document : new Compose(settings).composeAllFromString(text.get())) {
        YamlMap.of(document, name, "a schema file", problems).ifPresent(this::addSections);
      }
    } catch (MarkedYamlEngineException e) {
      problems.add(name, syntaxLine(e), "YAML syntax: " + syntaxReason(e));
    } catch (ReaderException e) {
      problems.add(
          name,
          lineAt(text.get(), e.getPosition()),
          String.format("YAML: the character U+%04X is not allowed", e.getCodePoint()));
    } catch (YamlEngineException e) {
      problems.add(name, 0, "YAML: " + e.getMessage());
    }
  }

  private void addSections(YamlMap document) {
    document.allowOnly(SECTIONS);
    entities.addAll(document.maps(ENTITIES, "an entity", false));
    views.addAll(document.maps(VIEWS, "a feature view", false));
    transformations.addAll(document.maps(TRANSFORMATIONS, "a transformation", false));
    services.addAll(document.maps(SERVICES, "a feature service", false));
  }

  /** The 1-based line of the code point at {@code position}, as the YAML reader counts them. */
  private static int lineAt(String text, int position) {
    int end = text.offsetByCodePoints(0, Math.min(position, text.codePointCount(0, text.length())));
    int line = 1;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int syntaxLine(MarkedYamlEngineException e) {
    return e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(0);
  }

  private static String syntaxReason(MarkedYamlEngineException e) {
    String context =
        e.getContext() == null
            ? ""
            : e.getContextMark()
                .map(mark -> " (" + e.getContext() + " at line " + (mark.getLine() + 1) + ")")
                .orElse(" (" + e.getContext() + ")");
    return e.getProblem() + context;
  }
}
