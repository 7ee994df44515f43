package io.mamori.hub.pki;

/**
 * The CA files cannot be read, written, or do not form a valid CA (key/cert mismatch, bad chain).
 */
public class CertificateAuthorityException extends RuntimeException {
  public CertificateAuthorityException(String reason) {
    super(reason);
  }

  public CertificateAuthorityException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
