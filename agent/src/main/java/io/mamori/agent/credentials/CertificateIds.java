package io.mamori.agent.credentials;

import io.mamori.agent.AgentException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** AWS IoT's certificateId: lowercase hex SHA-256 of the certificate's DER (reference §6.1). */
public final class CertificateIds {
  private CertificateIds() {}

  public static String of(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new AgentException("cannot fingerprint certificate: " + e.getMessage(), e);
    }
  }
}
