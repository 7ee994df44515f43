package io.mamori.hub.cli;

/**
 * A client command that cannot be carried out; {@link Main} prints its message as the one line
 * {@code mamori: <message>} and exits with status 1.
 */
final class CliFailure extends RuntimeException {
  CliFailure(String message) {
    super(message);
  }

  CliFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
