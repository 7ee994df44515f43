package io.mamori.hub.pki;

/**
 * What the hub's CA signs revocation data with: the root's CRL (listing revoked issuing CAs), the
 * issuing CA's CRL (listing revoked device certificates) and the delegated OCSP responder.
 */
public record RevocationSigners(CrlSigner rootCrl, CrlSigner issuingCrl, OcspSigner ocsp) {}
