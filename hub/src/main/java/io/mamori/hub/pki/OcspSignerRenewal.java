package io.mamori.hub.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the delegated OCSP signing certificate (RFC 6960 §4.2.2.2) young: issued by the issuing CA
 * with id-pkix-ocsp-nocheck, and renewed once less than a third of its life remains, at start-up
 * and while the hub runs. With id-pkix-ocsp-nocheck nobody checks the responder's own revocation,
 * so RFC 6960 §4.2.2.2.1 asks for a short life; renewing well before the end leaves time to retry
 * and leaves every response already handed out verifiable until its nextUpdate.
 *
 * <p>The new key is stored encrypted under the CA passphrase like every CA key (see {@link
 * CaKeyFiles}), key first and certificate second, before the new signer is used.
 */
public final class OcspSignerRenewal {
  private static final Logger LOG = LoggerFactory.getLogger(OcspSignerRenewal.class);

  static final String BASE = "ocsp-signer";
  static final String KEY_FILE = BASE + ".key";
  static final String CERTIFICATE_FILE = BASE + ".crt";

  /** How long a new OCSP signing certificate lives. */
  static final Duration VALIDITY = Duration.ofDays(90);

  /** RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck, value NULL, non-critical. */
  private static final Extension OCSP_NO_CHECK = ocspNoCheck();

  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final CertificateSigner signer;
  private final CaKeyFiles keyFiles;
  private final PkiDirectory files;
  private final Clock clock;
  private volatile OcspSigner current;

  private OcspSignerRenewal(
      X509Certificate issuing,
      PrivateKey issuingKey,
      CertificateSigner signer,
      CaKeyFiles keyFiles,
      PkiDirectory files,
      Clock clock) {
    this.issuing = issuing;
    this.issuingKey = issuingKey;
    this.signer = signer;
    this.keyFiles = keyFiles;
    this.files = files;
    this.clock = clock;
  }

  /**
   * Loads the stored signer, or issues one when it is missing, unreadable (except for a wrong
   * passphrase, which stops the hub), not signed by {@code issuing}, or due for renewal.
   */
  static OcspSignerRenewal loadOrIssue(
      X509Certificate issuing,
      PrivateKey issuingKey,
      CertificateSigner signer,
      CaKeyFiles keyFiles,
      PkiDirectory files,
      Clock clock,
      Optional<OcspSigner> stored) {
    var renewal = new OcspSignerRenewal(issuing, issuingKey, signer, keyFiles, files, clock);
    Instant now = clock.instant();
    if (stored.isPresent()
        && reasonToRenew(stored.get().responderCertificate(), issuing, now).isEmpty()) {
      renewal.current = stored.get();
    } else {
      renewal.current = renewal.issue(now, stored.isEmpty() ? "missing" : "due");
    }
    return renewal;
  }

  /** The signer to use now. */
  public OcspSigner current() {
    return current;
  }

  /**
   * Issues, stores and switches to a new signer when the current one is due (see {@link
   * #reasonToRenew}); empty when it is not. Safe to call from any thread; a scheduler calls it
   * hourly.
   */
  public synchronized Optional<Renewed> renewIfDue() {
    Instant now = clock.instant();
    OcspSigner before = current;
    Optional<String> reason = reasonToRenew(before.responderCertificate(), issuing, now);
    if (reason.isEmpty()) {
      return Optional.empty();
    }
    OcspSigner after = issue(now, reason.get());
    current = after;
    return Optional.of(new Renewed(before, after, reason.get()));
  }

  /** A renewal that happened: the signer replaced, its successor, and why. */
  public record Renewed(OcspSigner previous, OcspSigner renewed, String reason) {
    public String previousCertificateId() {
      return CertificateIds.of(previous.responderCertificate());
    }

    public String renewedCertificateId() {
      return CertificateIds.of(renewed.responderCertificate());
    }
  }

  /**
   * Why {@code responder} must be replaced at {@code now}, empty when it need not: not signed by
   * {@code issuing}, or less than a third of its validity left.
   */
  static Optional<String> reasonToRenew(
      X509Certificate responder, X509Certificate issuing, Instant now) {
    try {
      responder.verify(issuing.getPublicKey());
    } catch (GeneralSecurityException e) {
      return Optional.of("not signed by the current issuing CA");
    }
    Instant notBefore = responder.getNotBefore().toInstant();
    Instant notAfter = responder.getNotAfter().toInstant();
    Duration lifetime = Duration.between(notBefore, notAfter);
    if (!now.isBefore(notAfter.minus(lifetime.dividedBy(3)))) {
      return Optional.of("less than a third of its validity left, notAfter=" + notAfter);
    }
    return Optional.empty();
  }

  private OcspSigner issue(Instant now, String reason) {
    KeyPair keys = signer.generateEcP256();
    Instant notAfter = now.plus(VALIDITY);
    if (notAfter.isAfter(issuing.getNotAfter().toInstant())) {
      notAfter = issuing.getNotAfter().toInstant();
    }
    X509Certificate responder =
        signer.endEntity(
            keys.getPublic(),
            new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Mamori")
                .addRDN(BCStyle.CN, "Mamori OCSP Responder")
                .build(),
            issuing,
            issuingKey,
            now.minus(CertificateAuthority.BACKDATE),
            notAfter,
            KeyPurposeId.id_kp_OCSPSigning,
            Optional.empty(),
            List.of(OCSP_NO_CHECK));
    // Key first, certificate second: a key alone is what a crash in between leaves, and the next
    // start replaces it (see CertificateAuthorityFiles#load).
    keyFiles.write(KEY_FILE, keys.getPrivate());
    files.writePublic(CERTIFICATE_FILE, Pem.encodeCertificate(responder));
    LOG.info(
        "OCSP signing certificate issued certId={} notAfter={} reason=\"{}\"",
        CertificateIds.of(responder),
        notAfter,
        reason);
    return new OcspSigner(issuing, responder, keys.getPrivate());
  }

  private static Extension ocspNoCheck() {
    try {
      return new Extension(
          OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
