package io.freshet.registry;

/**
 * One reason a schema directory was refused. {@code line} is 1-based; 0 when the problem concerns a
 * whole file or directory rather than a line of it.
 */
public record SchemaProblem(String file, int line, String reason) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}
