package io.mamori.hub.cli;

import picocli.CommandLine.Option;

/** The {@code --json} switch of list and show commands. */
public final class JsonOption {
  @Option(names = "--json", description = "Print the API's JSON answer (pretty) instead of text.")
  boolean enabled;
}
