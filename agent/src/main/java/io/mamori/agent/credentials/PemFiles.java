package io.mamori.agent.credentials;

import io.mamori.agent.AgentException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes the PEM files of a device: certificates and private keys. */
public final class PemFiles {
  private PemFiles() {}

  /** Every certificate in a PEM file, in file order (leaf first for a device's own file). */
  public static List<X509Certificate> certificates(Path file) {
    String text = read(file, "certificate");
    List<X509Certificate> out = new ArrayList<>();
    var converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object block;
      while ((block = parser.readObject()) != null) {
        if (block instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new AgentException(file + " is not a readable PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new AgentException(file + " holds no PEM CERTIFICATE");
    }
    return out;
  }

  /** Parses certificates from PEM text (e.g. a certificate received from the hub). */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new java.io.ByteArrayInputStream(
                      pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new AgentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The private key in a PEM file: PKCS#8, SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 RSA. */
  public static PrivateKey privateKey(Path file) {
    String text = read(file, "private key");
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object block;
      var converter = new JcaPEMKeyConverter();
      while ((block = parser.readObject()) != null) {
        if (block instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (block instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new AgentException(file + " is not a readable PEM private key: " + e.getMessage(), e);
    }
    throw new AgentException(
        file + " holds no unencrypted PEM private key (PRIVATE KEY or EC/RSA PRIVATE KEY)");
  }

  /** PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) of a key. */
  public static String encode(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new AgentException("cannot encode PEM: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new AgentException(what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new AgentException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }
}
