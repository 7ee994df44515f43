package io.mamori.hub.pki;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Loads the CA from {@code pkiDir}, creating root CA, issuing CA and the hub's TLS server
 * certificate on first start. Private key files are readable by their owner only. The server
 * certificate is re-issued when the requested host names are not all in its SANs.
 */
public final class CertificateAuthorityFiles {
  private final Path pkiDir;
  private final Clock clock;

  public CertificateAuthorityFiles(Path pkiDir, Clock clock) {
    this.pkiDir = pkiDir;
    this.clock = clock;
  }

  /** SANs always include localhost, 127.0.0.1 and ::1, plus {@code extraHostnames}. */
  public CertificateAuthority loadOrCreate(List<String> extraHostnames) {
    throw new UnsupportedOperationException("not yet written");
  }
}
