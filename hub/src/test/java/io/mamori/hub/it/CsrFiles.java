package io.mamori.hub.it;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Device CSRs as a factory line makes them: one EC P-256 key per device, {@code NAME.csr} files.
 * Also the generator of the bulk issuance benchmark: {@code java -cp ... io.mamori.hub.it.CsrFiles
 * DIR COUNT}.
 */
public final class CsrFiles {
  private CsrFiles() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    long started = System.nanoTime();
    write(dir, "device-", count);
    System.out.printf("%d CSRs in %s (%.1f s)%n", count, dir, (System.nanoTime() - started) / 1e9);
  }

  /** Writes {@code DIR/<prefix><n>.csr} for n = 0..count-1, in parallel. */
  static void write(Path dir, String prefix, int count) throws Exception {
    Files.createDirectories(dir);
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              try {
                String name = prefix + String.format("%05d", i);
                Files.writeString(dir.resolve(name + ".csr"), pem(csr(name, ecP256())));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** A CSR whose signature does not verify (a byte of it flipped). */
  static String badSignature(String name) throws Exception {
    CertificationRequest good = csr(name, ecP256()).toASN1Structure();
    byte[] signature = good.getSignature().getBytes().clone();
    signature[signature.length - 1] ^= 0x01;
    return pem(
        new PKCS10CertificationRequest(
            new CertificationRequest(
                good.getCertificationRequestInfo(),
                good.getSignatureAlgorithm(),
                new DERBitString(signature))));
  }

  static PKCS10CertificationRequest csr(String name, KeyPair keys) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + name), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
  }

  static KeyPair ecP256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
