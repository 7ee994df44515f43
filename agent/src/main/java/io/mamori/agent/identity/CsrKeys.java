package io.mamori.agent.identity;

import io.mamori.agent.AgentException;
import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Reads the public key of a PEM CSR. */
final class CsrKeys {
  private CsrKeys() {}

  static PublicKey publicKeyOf(String csrPem) {
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      var csr = (PKCS10CertificationRequest) parser.readObject();
      return new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
    } catch (IOException | ClassCastException e) {
      throw new AgentException("cannot read own CSR: " + e.getMessage(), e);
    }
  }
}
