package io.mamori.hub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mamori serve}: the composition root that builds and runs the hub. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the hub.")
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("not yet written");
  }
}
