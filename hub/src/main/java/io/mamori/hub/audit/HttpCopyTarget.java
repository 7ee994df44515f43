package io.mamori.hub.audit;

import io.mamori.hub.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends the audit log to an HTTPS endpoint: each batch is one {@code POST} of JSON lines ({@code
 * application/x-ndjson}) with headers {@code X-Mamori-Audit-First-Seq} and {@code
 * X-Mamori-Audit-Last-Seq}; any 2xx answer acknowledges it. The last acknowledged sequence number
 * is kept in a state file, so after a restart sending resumes from there. Delivery is at least
 * once: after a crash between the answer and the state write a batch is sent again, so receivers
 * should ignore records whose seq they already hold.
 */
public final class HttpCopyTarget implements AuditCopyTarget {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final URI url;
  private final Optional<String> token;
  private final Path stateFile;
  private final HttpClient client;

  public HttpCopyTarget(URI url, Optional<Path> caFile, Optional<String> token, Path stateFile) {
    this.url = url;
    this.token = token;
    this.stateFile = stateFile;
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if (caFile.isPresent()) {
      builder.sslContext(trusting(caFile.get()));
    }
    this.client = builder.build();
  }

  @Override
  public long acknowledged() throws IOException {
    if (!Files.exists(stateFile)) {
      return 0;
    }
    try {
      return Long.parseLong(Files.readString(stateFile).strip());
    } catch (NumberFormatException e) {
      throw new IOException("audit copy state " + stateFile + " is not a number", e);
    }
  }

  @Override
  public void send(String segment, List<AuditReader.Line> lines) throws IOException {
    StringBuilder body = new StringBuilder();
    lines.forEach(line -> body.append(line.text()).append('\n'));
    long first = lines.get(0).record().seq();
    long last = lines.get(lines.size() - 1).record().seq();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-ndjson")
            .header("X-Mamori-Audit-First-Seq", Long.toString(first))
            .header("X-Mamori-Audit-Last-Seq", Long.toString(last))
            .header("X-Mamori-Audit-Segment", segment)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the audit copy", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("audit copy endpoint answered HTTP " + response.statusCode());
    }
    Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    Files.createDirectories(stateFile.getParent());
    Files.writeString(temp, last + "\n");
    Files.move(
        temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public String describe() {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + url.getPath();
  }

  private static SSLContext trusting(Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : Pem.parseCertificates(Files.readString(caFile))) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use " + caFile + " as the audit copy CA: " + e, e);
    }
  }
}
