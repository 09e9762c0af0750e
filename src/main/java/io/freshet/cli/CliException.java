package io.freshet.cli;

/** A command's failure: the message a user reads and the exit code a script tests. */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** What was checked is wrong or was refused: exit 1. */
  static CliException failed(String message) {
    return new CliException(Cli.FAILED, message);
  }

  /** The server could not be reached: exit 3. */
  static CliException unreachable(String message) {
    return new CliException(Cli.UNREACHABLE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
