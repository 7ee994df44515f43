package io.mamori.hub.pki;

/** PEM text that does not hold what the caller asked for (no certificate, unreadable key, ...). */
public class PemFormatException extends IllegalArgumentException {
  public PemFormatException(String reason) {
    super(reason);
  }

  public PemFormatException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
