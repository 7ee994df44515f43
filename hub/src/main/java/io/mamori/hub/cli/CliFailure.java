package io.mamori.hub.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

  /** "cannot read the CSR x.csr: no such file", without Java exception names. */
  static CliFailure unreadable(String what, Path file, IOException e) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else {
      reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new CliFailure("cannot read " + what + " " + file + ": " + reason, e);
  }
}
