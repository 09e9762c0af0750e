package io.freshet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code freshet serve}: today's server, configured by its environment variables. */
@Command(
    name = "serve",
    header = "Start the server (the default).",
    mixinStandardHelpOptions = true,
    description =
        "Starts the server, configured by the FRESHET_* environment variables (see the configuration page). The default when no command is given.")
final class ServeCommand implements Callable<Integer> {

  private final CliContext context;

  ServeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.serve().run();
    return Cli.SERVING;
  }
}
