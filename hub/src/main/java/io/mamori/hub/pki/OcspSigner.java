package io.mamori.hub.pki;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs OCSP responses for the issuing CA with the delegated OCSP signing certificate (RFC 6960
 * §4.2.2.2: issued by the CA itself, EKU id-kp-OCSPSigning, id-pkix-ocsp-nocheck). The CA key never
 * signs responses, so it can stay offline in a later PKCS#11 setup. Holds the responder key but
 * never hands it out.
 */
public final class OcspSigner {
  private final X509Certificate issuer;
  private final X509Certificate responder;
  private final PrivateKey responderKey;
  private final X509CertificateHolder[] chain;
  private final RespID responderId;

  OcspSigner(X509Certificate issuer, X509Certificate responder, PrivateKey responderKey) {
    this.issuer = issuer;
    this.responder = responder;
    this.responderKey = responderKey;
    try {
      this.chain = new X509CertificateHolder[] {new JcaX509CertificateHolder(responder)};
      // RFC 6960 §4.2.2.3: byKey is the SHA-1 hash of the responder's public key.
      this.responderId =
          new RespID(
              SubjectPublicKeyInfo.getInstance(responder.getPublicKey().getEncoded()),
              digests().get(RespID.HASH_SHA1));
    } catch (CertificateEncodingException | OCSPException | OperatorCreationException e) {
      throw new IllegalStateException("cannot use OCSP signing certificate", e);
    }
  }

  /** The CA whose certificates this responder speaks for. */
  public X509Certificate issuer() {
    return issuer;
  }

  /** The delegated responder certificate, sent with every response. */
  public X509Certificate responderCertificate() {
    return responder;
  }

  /** Digests for CertID matching (SHA-1 and SHA-256 as clients send them). */
  public static DigestCalculatorProvider digests() {
    try {
      return new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("JDK digests unavailable", e);
    }
  }

  /** A builder already naming this responder; add single responses, then {@link #sign}. */
  public BasicOCSPRespBuilder newResponse() {
    return new BasicOCSPRespBuilder(responderId);
  }

  public BasicOCSPResp sign(BasicOCSPRespBuilder response, Instant producedAt) {
    try {
      var signer =
          new JcaContentSignerBuilder(CertificateSigner.signatureAlgorithm(responderKey))
              .build(responderKey);
      return response.build(signer, chain, Date.from(producedAt));
    } catch (OperatorCreationException | OCSPException e) {
      throw new IllegalStateException("cannot sign OCSP response", e);
    }
  }
}
