package io.mamori.hub.pki;

/**
 * The CA's private keys cannot be unlocked: passphrase missing or wrong, PKCS#11 token or PIN
 * unusable. The hub must not start; the message says what to fix in one line.
 */
public final class CaKeyProtectionException extends CertificateAuthorityException {
  public CaKeyProtectionException(String message) {
    super(message);
  }

  public CaKeyProtectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
