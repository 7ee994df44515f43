package io.mamori.hub.cli;

import picocli.CommandLine;

/** Entry point of the {@code mamori} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The whole command tree; tests run commands through this too. Every failure ends as one line
   * {@code mamori: <reason>} on stderr: exit 1 when the command failed, 2 when it was mistyped.
   */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new MamoriCommand());
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          failed.getErr().println("mamori: " + reason(exception));
          failed.getErr().flush();
          return 1;
        });
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          failed
              .getErr()
              .println(
                  "mamori: "
                      + exception.getMessage()
                      + " (see '"
                      + failed.getCommandSpec().qualifiedName()
                      + " --help')");
          failed.getErr().flush();
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return commandLine;
  }

  private static String reason(Exception exception) {
    String message = exception.getMessage();
    if (message == null || message.isBlank()) {
      return exception.getClass().getSimpleName();
    }
    return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
