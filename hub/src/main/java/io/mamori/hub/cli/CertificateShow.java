package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The shape {@code ca show} and {@code cert show} share: fetch one certificate, then print the
 * API's JSON with {@code --json}, else its {@code key: value} fields, a blank line and its PEM.
 * Each subclass declares its own ID parameter (its help text differs) and names its fields.
 */
abstract class CertificateShow implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Mixin JsonOption json;

  /** The admin API path of the certificate to show. */
  abstract String path();

  /** The lines printed above the PEM, in order. */
  abstract List<String[]> fields(JsonNode certificate);

  @Override
  public Integer call() {
    JsonNode certificate = options.client().get(path());
    if (json.enabled) {
      options.printJson(certificate);
      return 0;
    }
    TextOutput.fields(options.out(), fields(certificate));
    options.out().println();
    options.out().print(certificate.path("pem").asText());
    options.out().flush();
    return 0;
  }
}
