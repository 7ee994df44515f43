package io.mamori.agent.connection;

import io.mamori.agent.AgentException;
import io.mamori.agent.credentials.DeviceCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * HTTPS GETs from the hub (firmware downloads) with the device's TLS settings: only the CA file is
 * trusted, the host name is checked, and the device's certificate is offered as a client
 * certificate. Bodies are size-capped: a download larger than announced is refused, not buffered.
 */
public final class HubHttps {
  private final HttpClient http;
  private final Duration timeout;

  public HubHttps(DeviceCredentials credentials, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .sslContext(MutualTls.context(credentials))
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = timeout;
  }

  /**
   * The body of {@code url}; fails on any status but 200, on a non-HTTPS URL, and on a body larger
   * than {@code maxBytes}.
   */
  public byte[] get(String url, long maxBytes) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new AgentException("invalid download URL: " + e.getMessage());
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw new AgentException("refusing a download over " + uri.getScheme() + ": HTTPS only");
    }
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new AgentException("download failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("download interrupted");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new AgentException("download refused by the hub: HTTP " + response.statusCode());
      }
      // One byte past the cap tells an oversized body without holding it.
      byte[] content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (content.length > maxBytes) {
        throw new AgentException("download is larger than the " + maxBytes + " bytes announced");
      }
      return content;
    } catch (IOException e) {
      throw new AgentException("download failed: " + e.getMessage(), e);
    }
  }
}
