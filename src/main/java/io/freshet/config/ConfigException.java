package io.freshet.config;

/** A setting the server refuses to start with; the message names the variable. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
