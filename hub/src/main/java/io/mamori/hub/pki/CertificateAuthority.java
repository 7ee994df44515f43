package io.mamori.hub.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's built-in CA: an EC P-256 root and issuing CA, loaded from or created in the data
 * directory's {@code pki/} folder (see {@link CertificateAuthorityFiles}). Immutable and safe to
 * share between threads.
 */
public final class CertificateAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

  /** Backdating absorbs clock skew between the hub and devices whose clocks run a little late. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate root;
  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final TlsIdentity serverIdentity;
  private final Clock clock;
  private final CertificateSigner signer;
  private final CsrVerifier csrVerifier;
  private final String chainPem;
  private final String issuingCertificateId;
  private final Optional<PublicationUrls> publication;
  private final RevocationSigners revocation;
  private final List<org.bouncycastle.asn1.x509.Extension> endEntityExtensions;

  CertificateAuthority(
      X509Certificate root,
      X509Certificate issuing,
      PrivateKey issuingKey,
      TlsIdentity serverIdentity,
      Clock clock,
      CertificateSigner signer,
      CsrVerifier csrVerifier,
      Optional<PublicationUrls> publication,
      RevocationSigners revocation) {
    this.root = root;
    this.issuing = issuing;
    this.issuingKey = issuingKey;
    this.serverIdentity = serverIdentity;
    this.clock = clock;
    this.signer = signer;
    this.csrVerifier = csrVerifier;
    this.chainPem = Pem.encodeCertificates(List.of(issuing, root));
    this.issuingCertificateId = CertificateIds.of(issuing);
    this.publication = publication;
    this.revocation = revocation;
    this.endEntityExtensions = publication.map(p -> p.forEndEntity(issuing)).orElse(List.of());
  }

  /** Where CRLs and OCSP are published; empty when the hub runs without the PKI listener. */
  public Optional<PublicationUrls> publication() {
    return publication;
  }

  /** CRL and OCSP signing, without access to the keys themselves. */
  public RevocationSigners revocationSigners() {
    return revocation;
  }

  /** The CA chain, issuing CA first and root last, as TLS chains are ordered. */
  public List<X509Certificate> chain() {
    return List.of(issuing, root);
  }

  public X509Certificate issuingCertificate() {
    return issuing;
  }

  public X509Certificate rootCertificate() {
    return root;
  }

  /** The CA chain in PEM (issuing CA, then root): the file devices trust. */
  public String chainPem() {
    return chainPem;
  }

  /** certificateId of the issuing CA. */
  public String issuingCertificateId() {
    return issuingCertificateId;
  }

  /**
   * Signs a device certificate: random serial of at least 64 bits, clientAuth EKU, the issuing CA's
   * chain. Throws {@link CsrRejectedException} for a CSR with a bad signature or weak key. The
   * subject is always {@code CN=<commonName>}; a CSR contributes its public key only.
   */
  public IssuedCertificate issueDeviceCertificate(DeviceCertificateRequest request) {
    if (request.commonName() == null || request.commonName().isBlank()) {
      throw new IllegalArgumentException("device certificate needs a non-blank common name");
    }
    if (request.validity().isNegative() || request.validity().isZero()) {
      throw new IllegalArgumentException("device certificate validity must be positive");
    }
    PublicKey publicKey;
    Optional<String> privateKeyPem;
    if (request.csrPem().isPresent()) {
      publicKey = csrVerifier.verify(request.csrPem().get());
      privateKeyPem = Optional.empty();
    } else {
      KeyPair keys = signer.generateEcP256();
      publicKey = keys.getPublic();
      privateKeyPem = Optional.of(Pem.encodePrivateKey(keys.getPrivate()));
    }
    X509Certificate certificate = signDevice(request.commonName(), publicKey, request.validity());
    String certificateId = CertificateIds.of(certificate);
    LOG.info(
        "device certificate issued certId={} cn={} fromCsr={} notAfter={}",
        certificateId,
        request.commonName(),
        request.csrPem().isPresent(),
        certificate.getNotAfter().toInstant());
    return new IssuedCertificate(
        certificate, Pem.encodeCertificate(certificate), certificateId, privateKeyPem);
  }

  /**
   * Bulk issuance: signs a device certificate for {@code publicKey}, taken from a CSR the caller
   * has checked with {@link #verifyCsr}. No log line per certificate: the batch is logged once.
   */
  public IssuedCertificate issueForVerifiedKey(
      String commonName, PublicKey publicKey, Duration validity) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("device certificate needs a non-blank common name");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("device certificate validity must be positive");
    }
    X509Certificate certificate = signDevice(commonName, publicKey, validity);
    return new IssuedCertificate(
        certificate,
        Pem.encodeCertificate(certificate),
        CertificateIds.of(certificate),
        Optional.empty());
  }

  /**
   * The CSR's public key once its signature and key type check out; {@link CsrRejectedException}
   * naming what is wrong otherwise. Safe to call from several threads.
   */
  public PublicKey verifyCsr(String csrPem) {
    return csrVerifier.verify(csrPem);
  }

  /** Every device certificate is made here, whichever way it was asked for. */
  private X509Certificate signDevice(String commonName, PublicKey publicKey, Duration validity) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    // RFC 5280 §6.1.3: PKIX checks every certificate of the path at the same date, so a device
    // certificate outliving its issuing CA would be refused from then on anyway; cap it.
    Instant issuerNotAfter = issuing.getNotAfter().toInstant();
    if (notAfter.isAfter(issuerNotAfter)) {
      notAfter = issuerNotAfter;
    }
    return signer.endEntity(
        publicKey,
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(),
        issuing,
        issuingKey,
        now.minus(BACKDATE),
        notAfter,
        KeyPurposeId.id_kp_clientAuth,
        Optional.empty(),
        endEntityExtensions);
  }

  /** The hub's own TLS server key and chain (for MQTT and the admin API). */
  public TlsIdentity serverIdentity() {
    return serverIdentity;
  }
}
