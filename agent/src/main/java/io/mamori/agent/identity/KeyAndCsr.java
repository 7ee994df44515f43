package io.mamori.agent.identity;

import io.mamori.agent.AgentException;
import io.mamori.agent.credentials.PemFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A new device key pair (EC P-256, generated on the device) and its PKCS#10 CSR signed with it (RFC
 * 2986: the signature proves possession of the key). The hub takes only the public key from it.
 */
public record KeyAndCsr(String privateKeyPem, String csrPem) {
  public static KeyAndCsr generateP256(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      var csr =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Principal("CN=" + commonName.replaceAll("[,+=\"\\\\<>;#]", "_")),
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(csr);
      }
      return new KeyAndCsr(PemFiles.encode(keys.getPrivate()), out.toString());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new AgentException("cannot generate a P-256 key and CSR: " + e.getMessage(), e);
    }
  }
}
