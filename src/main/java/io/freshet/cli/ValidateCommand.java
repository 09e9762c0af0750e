package io.freshet.cli;

import io.freshet.registry.SchemaSet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code freshet validate [DIR]}: the schema files checked as a start would, with no server. */
@Command(
    name = "validate",
    header = "Check schema files, with no server running.",
    mixinStandardHelpOptions = true,
    description =
        "Loads the schema files under DIR as the server does at start, without any service running. Exit 0 when they are valid; 1 with every problem as FILE:LINE: reason. Java transformations must be on the class path, as for the server.")
final class ValidateCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin SchemaDirArgument schemaDir;

  ValidateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Path schemas = schemaDir.resolve(context);
    SchemaSet set = schemaDir.load(context);
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
}
