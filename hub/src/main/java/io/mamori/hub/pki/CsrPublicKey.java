package io.mamori.hub.pki;

import java.security.PublicKey;
import java.util.Arrays;

/**
 * A CSR's public key as the CA uses it: its algorithm and its DER SubjectPublicKeyInfo, which is
 * what a certificate carries and what a batch hashes. The provider key that checked the CSR's
 * signature re-encodes itself on every {@code getEncoded()} (Conscrypt converts the EC point back
 * to affine coordinates each time, tens of microseconds); issuance asks twice per certificate.
 */
final class CsrPublicKey implements PublicKey {
  private static final long serialVersionUID = 1L;

  private final String algorithm;
  private final byte[] encoded;

  /** {@code encoded}: a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), kept as given. */
  CsrPublicKey(String algorithm, byte[] encoded) {
    this.algorithm = algorithm;
    this.encoded = encoded.clone();
  }

  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  @Override
  public String getFormat() {
    return "X.509";
  }

  @Override
  public byte[] getEncoded() {
    return encoded.clone();
  }

  /** Same algorithm and same encoding: the same key, as with the providers' own key classes. */
  @Override
  public boolean equals(Object other) {
    return other instanceof CsrPublicKey key
        && algorithm.equals(key.algorithm)
        && Arrays.equals(encoded, key.encoded);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + Arrays.hashCode(encoded);
  }
}
