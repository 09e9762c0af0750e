package io.freshet.cli;

import picocli.CommandLine;

/**
 * The {@code freshet} command line: {@code serve} (the default) and the commands a training job or
 * an operator runs against a server or a schema directory. Exit codes: 0 done, 1 what was checked
 * is wrong or was refused, 2 a usage error, 3 the server could not be reached.
 */
public final class Cli {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;

  /** What {@link #run} answers after {@code serve} started the server: do not exit. */
  public static final int SERVING = -1;

  private Cli() {}

  /** Runs one command line; answers its exit code, or {@link #SERVING}. */
  public static int run(String[] args, CliContext context) {
    CommandLine commands =
        new CommandLine(new FreshetCommand())
            .addSubcommand(new ServeCommand(context))
            .addSubcommand(new ValidateCommand(context))
            .addSubcommand(new PlanCommand(context))
            .addSubcommand(new IngestCommand(context))
            .addSubcommand(new SnapshotCommand(context))
            .addSubcommand(new VerifyCommand(context))
            .addSubcommand(new FreshnessCommand(context))
            .addSubcommand(new DriftCommand(context))
            .setOut(new java.io.PrintWriter(context.out(), true))
            .setErr(new java.io.PrintWriter(context.err(), true))
            .setExecutionExceptionHandler(
                (e, line, parsed) -> {
                  if (e instanceof CliException failure) {
                    context
                        .err()
                        .println("freshet " + line.getCommandName() + ": " + e.getMessage());
                    return failure.exitCode();
                  }
                  throw e;
                });
    commands.getCommandSpec().exitCodeOnUsageHelp(OK);
    return commands.execute(args);
  }
}
