package io.mamori.hub.registry;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Real key pairs and PKCS#10 CSRs, as a device would make them. */
final class Csrs {
  private Csrs() {}

  static KeyPair ecP256() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static KeyPair rsa(int bits) throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  static String csrPem(KeyPair keys, String subject) throws Exception {
    String algorithm =
        keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
            .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(csr);
    }
    return text.toString();
  }
}
