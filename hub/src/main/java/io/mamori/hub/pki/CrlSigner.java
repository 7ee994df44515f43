package io.mamori.hub.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs the RFC 5280 §5 version 2 CRL of one of the hub's CAs. Holds the CA key but never hands it
 * out: callers get signed DER only.
 */
public final class CrlSigner {
  private final X509Certificate ca;
  private final PrivateKey key;

  CrlSigner(X509Certificate ca, PrivateKey key) {
    this.ca = ca;
    this.key = key;
  }

  /** One revoked certificate on the list. */
  public record Entry(BigInteger serial, Instant revokedAt, RevocationReason reason) {}

  /** The CA whose CRL this signs. */
  public X509Certificate certificate() {
    return ca;
  }

  /** A signed CRL in DER listing {@code entries}, numbered {@code number}. */
  public byte[] sign(
      List<Entry> entries, BigInteger number, Instant thisUpdate, Instant nextUpdate) {
    try {
      var builder =
          new X509v2CRLBuilder(
              X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
              Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      // RFC 5280 §5.2.1 and §5.2.3: conforming CAs MUST include both, non-critical.
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey()));
      builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
      for (Entry entry : entries) {
        // BouncyCastle adds the reasonCode extension only for a non-zero code: RFC 5280 §5.3.1
        // says the reason unspecified SHOULD be expressed by leaving it out.
        builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reason().code());
      }
      var signer =
          new JcaContentSignerBuilder(CertificateSigner.signatureAlgorithm(key)).build(key);
      return builder.build(signer).getEncoded();
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign CRL of " + ca.getSubjectX500Principal(), e);
    }
  }
}
