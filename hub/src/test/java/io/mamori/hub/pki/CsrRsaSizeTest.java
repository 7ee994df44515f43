package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * Regression for a finding made while writing the CSR fuzz target: RSA keys whose signature check
 * takes seconds (huge modulus, huge public exponent) are refused before the check. Before the fix
 * the 16384-bit CSR below took about 20 s of CPU to be refused with "signature does not verify".
 */
class CsrRsaSizeTest {
  private final CsrVerifier verifier = new CsrVerifier();

  @Test
  void rsaModulusAbove8192BitsIsRefusedBeforeTheSignatureCheck() throws Exception {
    assertThatThrownBy(() -> verifier.verify(csr(16384, 17)))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR key is RSA 16384 bits; at most 8192 accepted");
  }

  @Test
  void rsaPublicExponentAbove256BitsIsRefusedBeforeTheSignatureCheck() throws Exception {
    assertThatThrownBy(() -> verifier.verify(csr(4096, 4095)))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR RSA public exponent has 4095 bits; at most 256 accepted");
  }

  /**
   * A CSR carrying an RSA key of {@code bits} with a random odd modulus free of small factors (so
   * BouncyCastle's key validation would pass) and an exponent of {@code exponentBits}; the
   * signature is random, it must be refused before anyone checks it.
   */
  static String csr(int bits, int exponentBits) throws Exception {
    var random = new Random(bits);
    BigInteger small = BigInteger.ONE;
    for (int p = 3; p < 5000; p += 2) {
      if (BigInteger.valueOf(p).isProbablePrime(20)) {
        small = small.multiply(BigInteger.valueOf(p));
      }
    }
    BigInteger n;
    do {
      n = new BigInteger(bits, random).setBit(bits - 1).setBit(0);
    } while (!n.gcd(small).equals(BigInteger.ONE));
    BigInteger e = new BigInteger(exponentBits, random).setBit(exponentBits - 1).setBit(0);
    var key =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            new RSAPublicKey(n, e));
    var algorithm =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    byte[] signature = new BigInteger(bits - 8, random).toByteArray();
    ContentSigner signer =
        new ContentSigner() {
          private final ByteArrayOutputStream out = new ByteArrayOutputStream();

          @Override
          public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
          }

          @Override
          public OutputStream getOutputStream() {
            return out;
          }

          @Override
          public byte[] getSignature() {
            return signature;
          }
        };
    var csr = new PKCS10CertificationRequestBuilder(new X500Name("CN=huge"), key).build(signer);
    var text = new StringWriter();
    try (var pem = new JcaPEMWriter(text)) {
      pem.writeObject(csr);
    }
    return text.toString();
  }
}
