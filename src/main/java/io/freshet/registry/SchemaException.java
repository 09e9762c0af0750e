package io.freshet.registry;

import java.util.List;

/** The schema files were refused; {@link #problems()} lists every reason found, in file order. */
public final class SchemaException extends Exception {

  private final List<SchemaProblem> problems;

  public SchemaException(List<SchemaProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<SchemaProblem> problems() {
    return problems;
  }

  private static String message(List<SchemaProblem> problems) {
    StringBuilder message =
        new StringBuilder()
            .append(problems.size())
            .append(problems.size() == 1 ? " schema problem:" : " schema problems:");
    problems.forEach(problem -> message.append("\n  ").append(problem));
    return message.toString();
  }
}
