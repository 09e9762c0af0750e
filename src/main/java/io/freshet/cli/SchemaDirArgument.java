package io.freshet.cli;

import io.freshet.registry.SchemaException;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaProblem;
import io.freshet.registry.SchemaSet;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** {@code [DIR]}, for the commands that read schema files as a starting server would. */
final class SchemaDirArgument {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The schema directory (default: FRESHET_SCHEMAS_DIR, else schemas)")
  Path dir;

  Path resolve(CliContext context) {
    return dir != null ? dir : Path.of(context.env("FRESHET_SCHEMAS_DIR", "schemas"));
  }

  /** The schemas, or a failure after printing every problem on its own line. */
  SchemaSet load(CliContext context) {
    Path schemas = resolve(context);
    try {
      return SchemaLoader.load(schemas);
    } catch (SchemaException e) {
      for (SchemaProblem problem : e.problems()) {
        context.err().println(problem);
      }
      throw CliException.failed(
          e.problems().size()
              + (e.problems().size() == 1 ? " problem" : " problems")
              + " in "
              + schemas);
    } catch (IOException e) {
      throw CliException.failed("cannot read " + schemas + ": " + e.getMessage());
    }
  }
}
