package io.mamori.hub.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The plain-HTTP listener that publishes CRLs and answers OCSP, and how long what it publishes
 * stays valid.
 *
 * @param httpHost address it binds to; all interfaces by default, since devices and third parties
 *     fetch CRLs and ask OCSP (what it serves is signed and public)
 * @param httpPort port; 0 picks a free one
 * @param baseUrl the URL written into certificates; empty means {@code http://<first
 *     hostname>:<bound port>}
 * @param crlValidity thisUpdate to nextUpdate of each CRL; re-signed at half of it
 * @param ocspValidity thisUpdate to nextUpdate of each OCSP response; re-signed at half of it
 */
public record PkiPublicationSettings(
    String httpHost,
    int httpPort,
    Optional<String> baseUrl,
    Duration crlValidity,
    Duration ocspValidity) {
  public static final int DEFAULT_HTTP_PORT = 8080;

  public PkiPublicationSettings {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("PKI HTTP port must be between 0 and 65535");
    }
    if (crlValidity.compareTo(Duration.ofMinutes(2)) < 0) {
      throw new IllegalArgumentException("CRL validity must be at least 2 minutes");
    }
    if (ocspValidity.compareTo(Duration.ofMinutes(2)) < 0) {
      throw new IllegalArgumentException("OCSP response validity must be at least 2 minutes");
    }
  }

  public static PkiPublicationSettings defaults() {
    return new PkiPublicationSettings(
        "0.0.0.0", DEFAULT_HTTP_PORT, Optional.empty(), Duration.ofHours(24), Duration.ofHours(1));
  }

  /** The same on another port (tests use 0). */
  public PkiPublicationSettings withHttpPort(int port) {
    return new PkiPublicationSettings(httpHost, port, baseUrl, crlValidity, ocspValidity);
  }
}
