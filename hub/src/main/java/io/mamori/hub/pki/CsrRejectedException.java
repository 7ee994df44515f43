package io.mamori.hub.pki;

/** A CSR the CA will not sign: bad signature, weak key, unknown curve, unparsable. */
public class CsrRejectedException extends RuntimeException {
  public CsrRejectedException(String reason) {
    super(reason);
  }

  public CsrRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
