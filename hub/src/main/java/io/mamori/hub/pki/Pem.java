package io.mamori.hub.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Reads and writes certificates and private keys as PEM text (RFC 7468). */
public final class Pem {
  private static final String CERTIFICATE = "CERTIFICATE";
  private static final Base64.Encoder BASE64_LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});
  private static final String PRIVATE_KEY = "PRIVATE KEY";

  private Pem() {}

  /**
   * Every {@code CERTIFICATE} block in {@code pem}, in order. Other block types are skipped so a
   * bundle holding a key and its chain can be read; at least one certificate must be present.
   */
  public static List<X509Certificate> parseCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemObject block = reader.readPemObject();
          block != null;
          block = reader.readPemObject()) {
        if (CERTIFICATE.equals(block.getType())) {
          certificates.add(
              (X509Certificate)
                  factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
        }
      }
    } catch (IOException | CertificateException | DecoderException e) {
      // DecoderException: invalid base64 inside a block; found by PkiParsingFuzzTest.
      throw new PemFormatException("not a readable PEM certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new PemFormatException("no CERTIFICATE block found in PEM text");
    }
    return List.copyOf(certificates);
  }

  /** The single certificate in {@code pem}; refuses text holding none or several. */
  public static X509Certificate parseCertificate(String pem) {
    List<X509Certificate> certificates = parseCertificates(pem);
    if (certificates.size() != 1) {
      throw new PemFormatException(
          "expected one certificate in PEM text, found " + certificates.size());
    }
    return certificates.get(0);
  }

  /**
   * The first private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}) or the traditional OpenSSL
   * forms ({@code EC PRIVATE KEY} as in RFC 5915 / SEC1, {@code RSA PRIVATE KEY}). Encrypted keys
   * are refused.
   */
  public static PrivateKey parsePrivateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (block instanceof PEMKeyPair pair) {
          // RFC 5915 §3: the public key in an EC PRIVATE KEY is optional, so convert the private
          // part alone.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (IOException | DecoderException e) {
      throw new PemFormatException("not a readable PEM private key: " + e.getMessage(), e);
    }
    throw new PemFormatException(
        "no unencrypted PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block found in PEM text");
  }

  public static String encodeCertificate(X509Certificate certificate) {
    return encodeCertificates(List.of(certificate));
  }

  /** The certificates concatenated in the given order (for a chain: leaf or issuing CA first). */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    List<PemObject> blocks = new ArrayList<>();
    for (X509Certificate certificate : certificates) {
      try {
        blocks.add(new PemObject(CERTIFICATE, certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificate cannot be encoded", e);
      }
    }
    return write(blocks);
  }

  /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block (RFC 5958). */
  public static String encodePrivateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "private key has no PKCS#8 encoding (format " + key.getFormat() + ")");
    }
    return write(List.of(new PemObject(PRIVATE_KEY, key.getEncoded())));
  }

  /**
   * RFC 7468 §2: base64 in lines of 64 characters between BEGIN and END lines, with '\n' line ends
   * on every platform. Written directly rather than through BouncyCastle's PemWriter, which bulk
   * issuance measured at ~15 us a certificate (a buffered writer per block).
   */
  private static String write(List<PemObject> blocks) {
    StringBuilder text = new StringBuilder();
    for (PemObject block : blocks) {
      text.append("-----BEGIN ").append(block.getType()).append("-----\n");
      text.append(BASE64_LINES.encodeToString(block.getContent())).append('\n');
      text.append("-----END ").append(block.getType()).append("-----\n");
    }
    return text.toString();
  }
}
