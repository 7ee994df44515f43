package io.mamori.bench;

import io.mamori.hub.pki.SignatureProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Device CSRs as a factory line sends them (one EC P-256 key per device), for the issuance
 * benchmarks: {@code java -cp mamori-bench.jar io.mamori.bench.DeviceCsrs DIR COUNT [PREFIX]}
 * writes {@code DIR/<PREFIX>NNNNN.csr} (prefix {@code device-} unless given).
 */
public final class DeviceCsrs {
  private final SignatureProvider provider = SignatureProvider.preferred();

  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: DeviceCsrs DIR COUNT [PREFIX]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    String prefix = args.length == 3 ? args[2] : "device-";
    long started = System.nanoTime();
    Files.createDirectories(dir);
    DeviceCsrs csrs = new DeviceCsrs();
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              String name = String.format("%s%05d", prefix, i);
              try {
                Files.writeString(dir.resolve(name + ".csr"), csrs.next(name));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    System.out.printf("%d CSRs in %s (%.1f s)%n", count, dir, (System.nanoTime() - started) / 1e9);
  }

  /** A PEM CSR for a fresh P-256 key, subject {@code CN=name}. */
  public String next(String name) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider.provider());
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return csr(name, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a P-256 key", e);
    }
  }

  private String csr(String name, KeyPair keys) {
    try {
      var request =
          new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + name), keys.getPublic())
              .build(
                  new JcaContentSignerBuilder("SHA256withECDSA")
                      .setProvider(provider.provider())
                      .build(keys.getPrivate()));
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(request);
      }
      return text.toString();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    }
  }
}
