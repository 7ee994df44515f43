package io.mamori.hub.pki;

/** A certificate that cannot serve the purpose asked of it; the message names what is wrong. */
public class CertificateCheckException extends IllegalArgumentException {
  public CertificateCheckException(String reason) {
    super(reason);
  }

  public CertificateCheckException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
