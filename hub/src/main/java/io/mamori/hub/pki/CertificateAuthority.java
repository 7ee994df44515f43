package io.mamori.hub.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The hub's built-in CA: an EC P-256 root and issuing CA, loaded from or created in the data
 * directory's {@code pki/} folder (see {@link CertificateAuthorityFiles}).
 */
public final class CertificateAuthority {

  /** The CA chain, issuing CA first and root last, as TLS chains are ordered. */
  public List<X509Certificate> chain() {
    throw new UnsupportedOperationException("not yet written");
  }

  public X509Certificate issuingCertificate() {
    throw new UnsupportedOperationException("not yet written");
  }

  public X509Certificate rootCertificate() {
    throw new UnsupportedOperationException("not yet written");
  }

  /** The CA chain in PEM (issuing CA, then root): the file devices trust. */
  public String chainPem() {
    throw new UnsupportedOperationException("not yet written");
  }

  /** certificateId of the issuing CA. */
  public String issuingCertificateId() {
    throw new UnsupportedOperationException("not yet written");
  }

  /**
   * Signs a device certificate: random serial of at least 64 bits, clientAuth EKU, the issuing CA's
   * chain. Throws {@link CsrRejectedException} for a CSR with a bad signature or weak key.
   */
  public IssuedCertificate issueDeviceCertificate(DeviceCertificateRequest request) {
    throw new UnsupportedOperationException("not yet written");
  }

  /** The hub's own TLS server key and chain (for MQTT and the admin API). */
  public TlsIdentity serverIdentity() {
    throw new UnsupportedOperationException("not yet written");
  }
}
