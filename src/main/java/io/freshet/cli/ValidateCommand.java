package io.freshet.cli;

import io.freshet.registry.SchemaException;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaProblem;
import io.freshet.registry.SchemaSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code freshet validate [DIR]}: the schema files checked as a start would, with no server. */
@Command(
    name = "validate",
    header = "Check schema files, with no server running.",
    mixinStandardHelpOptions = true,
    description =
        "Loads the schema files under DIR as the server does at start, without any service running. Exit 0 when they are valid; 1 with every problem as FILE:LINE: reason. Java transformations must be on the class path, as for the server.")
final class ValidateCommand implements Callable<Integer> {

  private final CliContext context;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The schema directory (default: FRESHET_SCHEMAS_DIR, else schemas)")
  Path dir;

  ValidateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Path schemas = schemasDir(dir, context);
    SchemaSet set = load(schemas, context);
    context
        .out()
        .printf(
            "%s: valid: %d entities, %d feature views, %d transformations, %d feature services%n",
            schemas,
            set.entities().size(),
            set.views().size(),
            set.transformations().size(),
            set.services().size());
    return Cli.OK;
  }

  static Path schemasDir(Path given, CliContext context) {
    return given != null ? given : Path.of(context.env("FRESHET_SCHEMAS_DIR", "schemas"));
  }

  /** The schemas, or a failure after printing every problem on its own line. */
  static SchemaSet load(Path dir, CliContext context) {
    try {
      return SchemaLoader.load(dir);
    } catch (SchemaException e) {
      for (SchemaProblem problem : e.problems()) {
        context.err().println(problem);
      }
      throw CliException.failed(
          e.problems().size()
              + (e.problems().size() == 1 ? " problem" : " problems")
              + " in "
              + dir);
    } catch (IOException e) {
      throw CliException.failed("cannot read " + dir + ": " + e.getMessage());
    }
  }
}
