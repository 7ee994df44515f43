package io.mamori.hub.registry;

import io.mamori.hub.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAs whose device certificates may complete the TLS handshake: the hub's own chain plus every
 * ACTIVE registered CA. Asked on every handshake, so it answers from a snapshot that {@link
 * CaCertificateService} refreshes after each committed CA change, never from the database.
 */
public final class TrustedCas implements Supplier<List<X509Certificate>> {
  private static final Logger log = LoggerFactory.getLogger(TrustedCas.class);

  private final List<X509Certificate> hubChain;
  private final CaCertificateRepository cas;
  private volatile List<X509Certificate> snapshot;

  public TrustedCas(List<X509Certificate> hubChain, CaCertificateRepository cas) {
    this.hubChain = List.copyOf(hubChain);
    this.cas = cas;
    this.snapshot = this.hubChain;
    refresh();
  }

  /** Re-reads the ACTIVE registered CAs; called after every committed CA change. */
  public synchronized void refresh() {
    List<X509Certificate> anchors = new ArrayList<>(hubChain);
    for (CaCertificate ca : cas.list()) {
      if (ca.status() == CaCertificateStatus.ACTIVE) {
        try {
          anchors.add(Pem.parseCertificate(ca.pem()));
        } catch (RuntimeException e) {
          // Stored PEM was checked at registration; a damaged row is left out (fail closed).
          log.error(
              "registered CA cannot be parsed caCertificateId={} reason={}", ca.id(), e.toString());
        }
      }
    }
    snapshot = List.copyOf(anchors);
  }

  @Override
  public List<X509Certificate> get() {
    return snapshot;
  }
}
