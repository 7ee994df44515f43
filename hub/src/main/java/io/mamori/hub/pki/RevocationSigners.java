package io.mamori.hub.pki;

/**
 * What the hub's CA signs revocation data with: the root's CRL (listing revoked issuing CAs), the
 * issuing CA's CRL (listing revoked device certificates) and the delegated OCSP responder, whose
 * certificate is renewed while the hub runs (see {@link OcspSignerRenewal}).
 */
public record RevocationSigners(
    CrlSigner rootCrl, CrlSigner issuingCrl, OcspSignerRenewal ocspRenewal) {
  /** The OCSP signer to use now. */
  public OcspSigner ocsp() {
    return ocspRenewal.current();
  }
}
