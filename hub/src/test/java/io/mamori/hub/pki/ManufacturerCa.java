package io.mamori.hub.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A manufacturer's CA made in a test (BouncyCastle, EC P-256): its certificate and key, and the
 * verification and device certificates it signs, as a factory's own PKI would.
 */
public final class ManufacturerCa {
  private static final SecureRandom random = new SecureRandom();

  public final KeyPair keys;
  public final X509Certificate certificate;

  private ManufacturerCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A self-signed CA (basicConstraints cA, keyCertSign) valid from a minute ago for a year. */
  public static ManufacturerCa create(String name) throws Exception {
    return create(name, true, Duration.ofDays(365));
  }

  /** With {@code isCa} false: a self-signed certificate that is not a CA (to be refused). */
  public static ManufacturerCa create(String name, boolean isCa, Duration validity)
      throws Exception {
    KeyPair keys = p256();
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=" + name + ",O=Test Manufacturer"),
            serial(),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(validity)),
            new X500Name("CN=" + name + ",O=Test Manufacturer"),
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }
    return new ManufacturerCa(keys, sign(builder, keys.getPrivate()));
  }

  public String pem() {
    return Pem.encodeCertificate(certificate);
  }

  public String id() {
    return CertificateIds.of(certificate);
  }

  /** Reference §2.1: a certificate with CN = {@code code}, signed by this CA's key. */
  public X509Certificate verificationCertificate(String code) throws Exception {
    return leaf(p256(), new X500Name("CN=" + code), Duration.ofDays(1), false);
  }

  /** A device (client auth) certificate for {@code commonName} valid for {@code validity}. */
  public X509Certificate device(KeyPair deviceKeys, String commonName, Duration validity)
      throws Exception {
    return leaf(deviceKeys, new X500Name("CN=" + commonName), validity, true);
  }

  /**
   * A device certificate with a full subject, e.g. {@code
   * "CN=sensor-1,SERIALNUMBER=SN-1,O=Acme,C=JP"}, as JITP templates read it.
   */
  public X509Certificate deviceWithSubject(KeyPair deviceKeys, String subject, Duration validity)
      throws Exception {
    return leaf(deviceKeys, new X500Name(subject), validity, true);
  }

  private X509Certificate leaf(
      KeyPair subjectKeys, X500Name subject, Duration validity, boolean client) throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            serial(),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(validity)),
            subject,
            subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (client) {
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    }
    return sign(builder, keys.getPrivate());
  }

  public static KeyPair p256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }
}
