package io.freshet.cli;

import picocli.CommandLine.Command;

/** {@code freshet}: the commands, listed by {@code --help}. */
@Command(
    name = "freshet",
    mixinStandardHelpOptions = true,
    versionProvider = FreshetCommand.Version.class,
    description = {
      "A feature store for production machine learning.",
      "With no command, starts the server (serve)."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done",
      "  1  what was checked is wrong or was refused (the message says what)",
      "  2  a usage error: an unknown command or option, a missing argument",
      "  3  the server could not be reached",
      "",
      "Commands that talk to a server read FRESHET_URL (default http://127.0.0.1:8080),",
      "FRESHET_READ_TOKEN and FRESHET_WRITE_TOKEN; --url overrides FRESHET_URL."
    })
final class FreshetCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  /** The jar's version, from its manifest. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"freshet " + (version == null ? "(development build)" : version)};
    }
  }
}
