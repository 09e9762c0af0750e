package io.freshet.cli;

import picocli.CommandLine.Option;

/** {@code --url}, for the commands that talk to a server. */
final class ServerOption {

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The server, e.g. http://127.0.0.1:8080 (default: FRESHET_URL, else that)")
  String url;

  /** The server to talk to, with the tokens of the environment. */
  FreshetHttp connect(CliContext context) {
    String base = url != null ? url : context.env("FRESHET_URL", "http://127.0.0.1:8080");
    return new FreshetHttp(
        base, context.env("FRESHET_READ_TOKEN", null), context.env("FRESHET_WRITE_TOKEN", null));
  }
}
