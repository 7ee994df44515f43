package io.mamori.hub.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Checks a device's PKCS#10 CSR before the CA signs its key: the self-signature must verify (proof
 * the requester holds the private key, RFC 2986 §3) and the key must be RSA of at least 2048 bits
 * or EC on P-256, P-384 or P-521.
 */
public final class CsrVerifier {
  private static final int MIN_RSA_BITS = 2048;
  private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");

  // Verifies with BouncyCastle's provider (not registered globally) so signatures by any key the
  // CSR may carry can be checked; the key checks below run first and refuse the rest.
  private final BouncyCastleProvider provider = new BouncyCastleProvider();

  /**
   * The CSR's public key once every check passes. Only the key is taken from a CSR: the subject and
   * any requested extensions are the CA's decision.
   *
   * @throws CsrRejectedException naming the first check that failed
   */
  public PublicKey verify(String csrPem) {
    PKCS10CertificationRequest csr = parse(csrPem);
    SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
    checkKey(keyInfo);
    try {
      var verifier = new JcaContentVerifierProviderBuilder().setProvider(provider).build(keyInfo);
      if (!csr.isSignatureValid(verifier)) {
        throw new CsrRejectedException("CSR signature does not verify with the CSR's public key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new CsrRejectedException("CSR signature cannot be checked: " + e.getMessage(), e);
    }
    try {
      return new JcaPEMKeyConverter().getPublicKey(keyInfo);
    } catch (IOException e) {
      throw new CsrRejectedException("CSR public key cannot be read: " + e.getMessage(), e);
    }
  }

  private static PKCS10CertificationRequest parse(String csrPem) {
    Object block;
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      block = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new CsrRejectedException("CSR is not readable PEM: " + e.getMessage(), e);
    }
    if (block instanceof PKCS10CertificationRequest csr) {
      return csr;
    }
    throw new CsrRejectedException("CSR is not a PEM CERTIFICATE REQUEST (PKCS#10)");
  }

  private static void checkKey(SubjectPublicKeyInfo keyInfo) {
    ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      int bits;
      try {
        bits = RSAPublicKey.getInstance(keyInfo.parsePublicKey()).getModulus().bitLength();
      } catch (IOException | IllegalArgumentException e) {
        throw new CsrRejectedException("CSR RSA key cannot be read", e);
      }
      if (bits < MIN_RSA_BITS) {
        throw new CsrRejectedException(
            "CSR key is RSA " + bits + " bits; at least " + MIN_RSA_BITS + " required");
      }
      return;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      // RFC 5480 §2.1.1: the parameters name the curve; explicit curve parameters are not allowed.
      var parameters = keyInfo.getAlgorithm().getParameters();
      if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
        throw new CsrRejectedException(
            "CSR EC key has explicit curve parameters; a named curve P-256, P-384 or P-521 is required");
      }
      if (!ACCEPTED_CURVES.containsKey(curve)) {
        throw new CsrRejectedException(
            "CSR key is EC on curve "
                + curveName(curve)
                + "; only P-256, P-384 and P-521 are accepted");
      }
      return;
    }
    throw new CsrRejectedException(
        "CSR key type " + algorithm.getId() + " is not supported; use RSA (2048+ bits) or EC");
  }

  private static String curveName(ASN1ObjectIdentifier curve) {
    String name = ECNamedCurveTable.getName(curve);
    return name == null ? curve.getId() : name + " (" + curve.getId() + ")";
  }
}
