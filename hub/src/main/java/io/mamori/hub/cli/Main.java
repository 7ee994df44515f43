package io.mamori.hub.cli;

import picocli.CommandLine;

/** Entry point of the {@code mamori} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The whole command tree; tests run commands through this too. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new MamoriCommand());
  }
}
