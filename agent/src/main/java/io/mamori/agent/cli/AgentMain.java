package io.mamori.agent.cli;

import picocli.CommandLine;

/** Entry point of the {@code mamori-agent} command. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The command tree; tests run it too. A failure ends as one line {@code mamori-agent: <reason>}
   * on stderr: exit 1 when the command failed, 2 when it was mistyped.
   */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new AgentCommand());
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          String message = exception.getMessage();
          failed
              .getErr()
              .println(
                  "mamori-agent: "
                      + (message == null || message.isBlank()
                          ? exception.getClass().getSimpleName()
                          : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ")));
          failed.getErr().flush();
          return 1;
        });
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          failed
              .getErr()
              .println(
                  "mamori-agent: "
                      + exception.getMessage()
                      + " (see '"
                      + failed.getCommandSpec().qualifiedName()
                      + " --help')");
          failed.getErr().flush();
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return commandLine;
  }
}
