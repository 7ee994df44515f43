package io.mamori.hub.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Checks a device's PKCS#10 CSR before the CA signs its key: the self-signature must verify (proof
 * the requester holds the private key, RFC 2986 §3) and the key must be RSA of at least 2048 bits
 * or EC on P-256, P-384 or P-521.
 */
public final class CsrVerifier {
  private static final int MIN_RSA_BITS = 2048;
  // Found with a hand-built hostile CSR while writing its fuzz target: checking the signature costs
  // time growing with modulus and exponent size, so
  // a 16384-bit key with a 16384-bit exponent kept the hub busy ~20 s per CSR. NIST SP 800-89
  // §5.3.1 bounds the exponent below 2^256; 8192 bits is far above what devices use.
  private static final int MAX_RSA_BITS = 8192;
  private static final int MAX_RSA_EXPONENT_BITS = 256;
  private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");

  // The signature algorithms devices use, checked by the fast provider; any other algorithm the
  // CSR names goes through BouncyCastle, which knows them all.
  private static final Map<ASN1ObjectIdentifier, String> FAST_ALGORITHMS =
      Map.of(
          X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
          X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
          X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
          PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
          PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
          PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA");

  // Neither provider is registered JVM-wide; the key checks below run before either sees a key.
  private final SignatureProvider fast;
  private final BouncyCastleProvider provider = new BouncyCastleProvider();

  /** Checks signatures with the preferred provider (Conscrypt where it loads). */
  public CsrVerifier() {
    this(SignatureProvider.preferred());
  }

  /** Checks the usual signature algorithms with {@code fast}, any other with BouncyCastle. */
  public CsrVerifier(SignatureProvider fast) {
    this.fast = fast;
  }

  /**
   * The CSR's public key once every check passes. Only the key is taken from a CSR: the subject and
   * any requested extensions are the CA's decision. The key is for certificates: its algorithm and
   * DER encoding are what the CA reads of it.
   *
   * @throws CsrRejectedException naming the first check that failed
   */
  public PublicKey verify(String csrPem) {
    PKCS10CertificationRequest csr = parse(csrPem);
    SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
    checkKey(keyInfo);
    String algorithm = FAST_ALGORITHMS.get(csr.getSignatureAlgorithm().getAlgorithm());
    if (algorithm != null && csr.getSignatureAlgorithm().getParameters() == null) {
      return verifyFast(csr, keyInfo, algorithm);
    }
    try {
      var verifier = new JcaContentVerifierProviderBuilder().setProvider(provider).build(keyInfo);
      if (!csr.isSignatureValid(verifier)) {
        throw new CsrRejectedException("CSR signature does not verify with the CSR's public key");
      }
    } catch (OperatorCreationException | PKCSException | RuntimeOperatorException e) {
      // RuntimeOperatorException: signature bytes that do not decode (e.g. a malformed ECDSA
      // DER sequence); found by PkiParsingFuzzTest, seed csr/ec-malformed-signature.
      throw new CsrRejectedException("CSR signature cannot be checked: " + e.getMessage(), e);
    }
    try {
      return new JcaPEMKeyConverter().getPublicKey(keyInfo);
    } catch (IOException e) {
      throw new CsrRejectedException("CSR public key cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * One provider call per CSR, with no builder objects: this is the first half of the CPU cost of
   * bulk issuance. Signature and KeyFactory instances are not thread-safe, so each call gets its
   * own (a provider lookup, far cheaper than the signature check itself).
   */
  private PublicKey verifyFast(
      PKCS10CertificationRequest csr, SubjectPublicKeyInfo keyInfo, String algorithm) {
    PublicKey key;
    String keyAlgorithm =
        keyInfo.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)
            ? "RSA"
            : "EC";
    byte[] encoded;
    try {
      encoded = keyInfo.getEncoded(ASN1Encoding.DER);
      key =
          KeyFactory.getInstance(keyAlgorithm, fast.provider())
              .generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new CsrRejectedException("CSR public key cannot be read: " + e.getMessage(), e);
    }
    boolean valid;
    try {
      Signature signature = Signature.getInstance(algorithm, fast.provider());
      signature.initVerify(key);
      signature.update(
          csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
      valid = signature.verify(csr.getSignature());
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // e.g. signature bytes that are not a DER ECDSA-Sig-Value (PkiParsingFuzzTest seed
      // csr/ec-malformed-signature): refused like a wrong signature, with the reason.
      throw new CsrRejectedException("CSR signature cannot be checked: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new CsrRejectedException("CSR signature does not verify with the CSR's public key");
    }
    // A named-curve EC key with an uncompressed point (what devices send) is already in the form
    // the provider would encode it in; anything else (a compressed point, RFC 5480 §2.2, or an
    // RSA key) is re-encoded once by the provider, so certificates keep carrying its normal form.
    return new CsrPublicKey(
        keyAlgorithm, uncompressedEcPoint(keyInfo) ? encoded : key.getEncoded());
  }

  private static boolean uncompressedEcPoint(SubjectPublicKeyInfo keyInfo) {
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyInfo.getAlgorithm().getAlgorithm())) {
      return false;
    }
    byte[] point = keyInfo.getPublicKeyData().getBytes();
    // SEC 1 §2.3.3: 0x04 starts an uncompressed point.
    return keyInfo.getPublicKeyData().getPadBits() == 0 && point.length > 0 && point[0] == 0x04;
  }

  /**
   * The first PEM block, which must be a CSR. Read with BouncyCastle's PemReader and the block's
   * DER parsed directly: PEMParser, which did the same, first builds a table of 14 parsers for
   * every CSR it reads.
   */
  private static PKCS10CertificationRequest parse(String csrPem) {
    PemObject block;
    try (PemReader reader = new PemReader(new StringReader(csrPem))) {
      block = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new CsrRejectedException("CSR is not readable PEM: " + e.getMessage(), e);
    }
    // RFC 7468 §7: "CERTIFICATE REQUEST"; "NEW CERTIFICATE REQUEST" is the label older tools
    // (Netscape, Windows) write, which PEMParser accepted too.
    if (block == null
        || !("CERTIFICATE REQUEST".equals(block.getType())
            || "NEW CERTIFICATE REQUEST".equals(block.getType()))) {
      throw new CsrRejectedException("CSR is not a PEM CERTIFICATE REQUEST (PKCS#10)");
    }
    try {
      return new PKCS10CertificationRequest(block.getContent());
    } catch (IOException | RuntimeException e) {
      throw new CsrRejectedException("CSR is not readable PEM: " + e.getMessage(), e);
    }
  }

  private static void checkKey(SubjectPublicKeyInfo keyInfo) {
    ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      RSAPublicKey key;
      try {
        key = RSAPublicKey.getInstance(keyInfo.parsePublicKey());
      } catch (IOException | IllegalArgumentException e) {
        throw new CsrRejectedException("CSR RSA key cannot be read", e);
      }
      int bits = key.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new CsrRejectedException(
            "CSR key is RSA " + bits + " bits; at least " + MIN_RSA_BITS + " required");
      }
      if (bits > MAX_RSA_BITS) {
        throw new CsrRejectedException(
            "CSR key is RSA " + bits + " bits; at most " + MAX_RSA_BITS + " accepted");
      }
      if (key.getPublicExponent().bitLength() > MAX_RSA_EXPONENT_BITS) {
        throw new CsrRejectedException(
            "CSR RSA public exponent has "
                + key.getPublicExponent().bitLength()
                + " bits; at most "
                + MAX_RSA_EXPONENT_BITS
                + " accepted");
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
