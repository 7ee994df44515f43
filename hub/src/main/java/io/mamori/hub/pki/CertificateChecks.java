package io.mamori.hub.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The checks behind registering a manufacturer's CA and the device certificates it issued: is it a
 * CA, is it valid now, did this CA sign that certificate, does the verification certificate prove
 * possession of the CA key (reference §2.1). Each failure is a {@link CertificateCheckException}
 * naming the certificate and what is wrong with it.
 */
public final class CertificateChecks {
  /** RFC 5280 §4.2.1.3: bit 5 of KeyUsage. */
  private static final int KEY_CERT_SIGN = 5;

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private CertificateChecks() {}

  /**
   * RFC 5280 §4.2.1.9 / §4.2.1.3: a CA certificate has basicConstraints cA=true and, when it has a
   * keyUsage extension, keyCertSign. (Like OpenSSL, an absent keyUsage allows every use.)
   */
  public static void requireCa(X509Certificate ca, Instant now) {
    if (ca.getBasicConstraints() < 0) {
      throw new CertificateCheckException(
          "certificate " + name(ca) + " is not a CA certificate (basicConstraints cA is not true)");
    }
    boolean[] usage = ca.getKeyUsage();
    if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
      throw new CertificateCheckException(
          "CA certificate " + name(ca) + " may not sign certificates (keyUsage lacks keyCertSign)");
    }
    requireValid(ca, "CA certificate", now);
  }

  /**
   * Reference §2.1 proof of possession: the verification certificate is signed by the CA's private
   * key, is valid now, and its subject Common Name is the hub's registration code.
   */
  public static void requireVerification(
      X509Certificate ca, X509Certificate verification, String registrationCode, Instant now) {
    if (!signedBy(verification, ca)) {
      throw new CertificateCheckException(
          "verification certificate "
              + name(verification)
              + " is not signed by the private key of CA "
              + name(ca));
    }
    requireValid(verification, "verification certificate", now);
    List<String> commonNames =
        CertificateFields.of(verification).getOrDefault("Subject.CommonName", List.of());
    if (!commonNames.equals(List.of(registrationCode))) {
      throw new CertificateCheckException(
          "verification certificate subject CN is "
              + (commonNames.isEmpty() ? "missing" : String.join(",", commonNames))
              + ", not this hub's registration code (mamori ca registration-code)");
    }
  }

  /**
   * A device certificate issued by {@code ca}: the issuer name is the CA's subject, the CA's key
   * signed it, it is not itself a CA, it is valid now, and its extended key usage (if any) allows
   * TLS client authentication (RFC 5280 §4.2.1.12).
   */
  public static void requireDeviceIssuedBy(
      X509Certificate device, X509Certificate ca, Instant now) {
    if (!issuedBy(device, ca)) {
      throw new CertificateCheckException(
          "device certificate "
              + name(device)
              + " was not issued by CA "
              + name(ca)
              + " (issuer "
              + device.getIssuerX500Principal().getName()
              + ", or signature does not verify with the CA's key)");
    }
    requireDevice(device, now);
  }

  /**
   * A device certificate, whoever issued it: not itself a CA, valid now, and its extended key usage
   * (if any) allows TLS client authentication (RFC 5280 §4.2.1.12).
   */
  public static void requireDevice(X509Certificate device, Instant now) {
    if (device.getBasicConstraints() >= 0) {
      throw new CertificateCheckException(
          "certificate " + name(device) + " is a CA certificate, not a device certificate");
    }
    requireValid(device, "device certificate", now);
    requireClientAuth(device);
  }

  /** True when {@code ca}'s subject is {@code certificate}'s issuer and its key signed it. */
  public static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
    return ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
        && signedBy(certificate, ca);
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static void requireValid(X509Certificate certificate, String what, Instant now) {
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new CertificateCheckException(
          what + " " + name(certificate) + " expired at " + certificate.getNotAfter().toInstant(),
          e);
    } catch (CertificateNotYetValidException e) {
      throw new CertificateCheckException(
          what
              + " "
              + name(certificate)
              + " is not valid before "
              + certificate.getNotBefore().toInstant(),
          e);
    }
  }

  private static void requireClientAuth(X509Certificate device) {
    List<String> purposes;
    try {
      purposes = device.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateCheckException(
          "device certificate " + name(device) + " has an unreadable extendedKeyUsage", e);
    }
    if (purposes != null
        && !purposes.contains(CLIENT_AUTH)
        && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
      throw new CertificateCheckException(
          "device certificate "
              + name(device)
              + " is not for TLS client authentication (extendedKeyUsage "
              + purposes
              + ")");
    }
  }

  private static String name(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }
}
