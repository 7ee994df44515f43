package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every client command shares, and how they become an {@link ApiClient}: the URL from
 * {@code --url} or {@code DATA/endpoint.json}, the token from {@code --token}, {@code MAMORI_TOKEN}
 * or {@code DATA/admin.token}, and trust from {@code --cacert} or {@code DATA/pki/ca-chain.pem}.
 */
public final class ClientOptions {
  static final String CA_CHAIN_FILE = "pki/ca-chain.pem";
  static final String TOKEN_FILE = "admin.token";
  static final String ENDPOINT_FILE = "endpoint.json";

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:MAMORI_DATA:-./mamori-data}",
      description =
          "Hub data directory to find the API URL, token and CA in (default: ${DEFAULT-VALUE};"
              + " env MAMORI_DATA).")
  Path dataDir;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Admin API base URL, e.g. https://127.0.0.1:8443 (default: from DIR/endpoint.json).")
  Optional<String> url = Optional.empty();

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:MAMORI_TOKEN}",
      description = "Admin API token (default: env MAMORI_TOKEN, else DIR/admin.token).")
  String token;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description =
          "PEM file of the CA chain to trust for the API (default: DIR/pki/ca-chain.pem).")
  Optional<Path> caCertificates = Optional.empty();

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where normal output goes (picocli's writer, so tests can capture it). */
  PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** Prints a JSON answer exactly as the API sent it, pretty. */
  void printJson(JsonNode node) {
    try {
      out().println(json.writeValueAsString(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The shape of every list and show: with {@code --json} the answer exactly as the API sent it,
   * else as {@code text} prints it.
   */
  void print(JsonOption json, JsonNode answer, Consumer<JsonNode> text) {
    if (json.enabled) {
      printJson(answer);
    } else {
      text.accept(answer);
    }
  }

  ObjectMapper json() {
    return json;
  }

  ApiClient client() {
    String baseUrl = url.orElseGet(this::discoveredUrl);
    String hint = "is `mamori serve` running with --data " + dataDir + "?";
    return new ApiClient(baseUrl, resolveToken(), trust(), hint);
  }

  private String discoveredUrl() {
    Path file = dataDir.resolve(ENDPOINT_FILE);
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(
          "no hub endpoint at "
              + file
              + ": is `mamori serve` running with --data "
              + dataDir
              + "? (or pass --url)");
    }
    try {
      return HubEndpoint.read(file).apiUrl();
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new CliFailure("cannot read the hub endpoint: " + e.getMessage());
    }
  }

  private String resolveToken() {
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    Path file = dataDir.resolve(TOKEN_FILE);
    try {
      String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (stored.isEmpty()) {
        throw new CliFailure("the admin token file " + file + " is empty");
      }
      return stored;
    } catch (IOException e) {
      throw new CliFailure(
          "no admin token: pass --token, set MAMORI_TOKEN, or use --data with the hub's data"
              + " directory (cannot read "
              + file
              + ")");
    }
  }

  /** Trust anchors for the API's certificate; the JVM's defaults when no CA file is known. */
  private Optional<SSLContext> trust() {
    Optional<Path> file =
        caCertificates.or(
            () -> Optional.of(dataDir.resolve(CA_CHAIN_FILE)).filter(Files::isRegularFile));
    return file.map(ClientOptions::trusting);
  }

  static SSLContext trusting(Path pemFile) {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CliFailure("no certificates in " + pemFile);
      }
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        anchors.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw CliFailure.unreadable("the CA file", pemFile, e);
    } catch (GeneralSecurityException e) {
      throw new CliFailure("cannot use the CA file " + pemFile + ": " + e.getMessage());
    }
  }
}
