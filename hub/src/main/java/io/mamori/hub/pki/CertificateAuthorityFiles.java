package io.mamori.hub.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CA from {@code pkiDir}, creating root CA, issuing CA and the hub's TLS server
 * certificate on first start. Private key files are encrypted and readable by their owner only (see
 * {@link CaKeyFiles}); the hub's TLS key is encrypted too, because whoever holds it can impersonate
 * the hub to every device. The server certificate is re-issued when the requested host names are
 * not all in its SANs.
 */
public final class CertificateAuthorityFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthorityFiles.class);

  static final String ROOT = "root-ca";
  static final String ISSUING = "issuing-ca";
  static final String SERVER = "server";
  static final String OCSP_SIGNER = OcspSignerRenewal.BASE;
  static final String CHAIN_FILE = "ca-chain.pem";
  private static final String KEY = ".key";
  private static final String CRT = ".crt";

  private static final Duration ROOT_VALIDITY = Duration.ofDays(7305);
  private static final Duration ISSUING_VALIDITY = Duration.ofDays(3653);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  private static final Duration SERVER_RENEW_BEFORE = Duration.ofDays(30);

  private final PkiDirectory files;
  private final CaKeyFiles keyFiles;
  private final Optional<Pkcs11Token> token;
  private final Path generatedPassphraseFile;
  private final Clock clock;
  private final Optional<PublicationUrls> publication;
  private final SecureRandom random = new SecureRandom();
  private final CertificateSigner signer;

  /** Keys protected the quick-start way: a passphrase generated into the data directory. */
  public CertificateAuthorityFiles(Path pkiDir, Clock clock) {
    this(
        pkiDir,
        clock,
        CaKeyProtection.defaultsFor(pkiDir.toAbsolutePath().getParent()),
        Optional.empty());
  }

  public CertificateAuthorityFiles(Path pkiDir, Clock clock, CaKeyProtection protection) {
    this(pkiDir, clock, protection, Optional.empty());
  }

  /**
   * With {@code publication}, certificates issued from now on point at the hub's CRLs and OCSP
   * responder (see {@link PublicationUrls}).
   */
  public CertificateAuthorityFiles(
      Path pkiDir, Clock clock, CaKeyProtection protection, Optional<PublicationUrls> publication) {
    this(pkiDir, clock, protection, publication, SignatureProvider.preferred());
  }

  /** As above, with {@code software} making and checking signatures with software keys. */
  public CertificateAuthorityFiles(
      Path pkiDir,
      Clock clock,
      CaKeyProtection protection,
      Optional<PublicationUrls> publication,
      SignatureProvider software) {
    this.signer = new CertificateSigner(random, software);
    this.files = new PkiDirectory(pkiDir);
    this.keyFiles =
        new CaKeyFiles(
            files, protection.passphrase(), protection.generatedPassphraseFile(), random);
    this.token = protection.token();
    this.generatedPassphraseFile = protection.generatedPassphraseFile();
    this.clock = clock;
    this.publication = publication;
  }

  /** SANs always include localhost, 127.0.0.1 and ::1, plus {@code extraHostnames}. */
  public CertificateAuthority loadOrCreate(List<String> extraHostnames) {
    ServerNames names = ServerNames.withDefaults(extraHostnames);
    files.prepare();
    new PassphraseChange(files, generatedPassphraseFile, random).finishInterrupted();
    Instant now = clock.instant();
    KeyAndCertificate root = loadOrCreateRoot(now);
    KeyAndCertificate issuing = loadOrCreateIssuing(root, now);
    String chainPem = Pem.encodeCertificates(List.of(issuing.certificate(), root.certificate()));
    if (!files.read(CHAIN_FILE).equals(Optional.of(chainPem))) {
      files.writePublic(CHAIN_FILE, chainPem);
    }
    KeyAndCertificate server = loadOrIssueServer(issuing, names, now);
    TlsIdentity serverIdentity =
        new TlsIdentity(server.key(), List.of(server.certificate(), issuing.certificate()));
    var revocation =
        new RevocationSigners(
            new CrlSigner(root.certificate(), root.key()),
            new CrlSigner(issuing.certificate(), issuing.key()),
            loadOrIssueOcspSigner(issuing));
    LOG.info(
        "certificate authority ready dir={} rootCertId={} issuingCertId={}",
        files.path(),
        CertificateIds.of(root.certificate()),
        CertificateIds.of(issuing.certificate()));
    return new CertificateAuthority(
        root.certificate(),
        issuing.certificate(),
        // Converted once: a provider's own key form spares a conversion per certificate.
        signer.software().prepare(issuing.key()),
        serverIdentity,
        clock,
        signer,
        new CsrVerifier(signer.software()),
        publication,
        revocation);
  }

  private KeyAndCertificate loadOrCreateRoot(Instant now) {
    Optional<KeyAndCertificate> loaded = load(ROOT);
    if (loaded.isPresent()) {
      X509Certificate root = loaded.get().certificate();
      requireCa(root, ROOT + CRT);
      verifySignature(root, root, ROOT + CRT + " is not a valid self-signed certificate");
      warnIfExpired(root, ROOT + CRT, now);
      return loaded.get();
    }
    if (files.exists(ISSUING + CRT)) {
      throw new CertificateAuthorityException(
          ISSUING
              + CRT
              + " exists but the root CA is missing from "
              + files.path()
              + "; restore root-ca.key and root-ca.crt");
    }
    KeyPair keys = signer.generateEcP256();
    X509Certificate root =
        signer.selfSignedRoot(
            keys,
            caName("Mamori Root CA"),
            now.minus(CertificateAuthority.BACKDATE),
            now.plus(ROOT_VALIDITY));
    store(ROOT, keys.getPrivate(), root);
    LOG.info("root CA created certId={}", CertificateIds.of(root));
    return new KeyAndCertificate(keys.getPrivate(), root);
  }

  private KeyAndCertificate loadOrCreateIssuing(KeyAndCertificate root, Instant now) {
    Optional<KeyAndCertificate> loaded =
        token.isPresent() ? loadFromToken(token.get()) : load(ISSUING);
    if (loaded.isPresent()) {
      X509Certificate issuing = loaded.get().certificate();
      requireCa(issuing, ISSUING + CRT);
      if (!issuing.getIssuerX500Principal().equals(root.certificate().getSubjectX500Principal())) {
        throw new CertificateAuthorityException(
            ISSUING
                + CRT
                + " was issued by "
                + issuing.getIssuerX500Principal()
                + ", not by the root CA "
                + root.certificate().getSubjectX500Principal());
      }
      verifySignature(
          issuing, root.certificate(), ISSUING + CRT + " does not chain to " + ROOT + CRT);
      warnIfExpired(issuing, ISSUING + CRT, now);
      return loaded.get();
    }
    if (token.isPresent()) {
      return createInToken(token.get(), root, now);
    }
    KeyPair keys = signer.generateEcP256();
    X509Certificate issuing =
        signer.issuingCa(
            keys.getPublic(),
            caName("Mamori Issuing CA"),
            root.certificate(),
            root.key(),
            now.minus(CertificateAuthority.BACKDATE),
            earliest(now.plus(ISSUING_VALIDITY), root.certificate()),
            publication.map(p -> p.forIntermediate(root.certificate())).orElse(List.of()));
    store(ISSUING, keys.getPrivate(), issuing);
    LOG.info("issuing CA created certId={}", CertificateIds.of(issuing));
    return new KeyAndCertificate(keys.getPrivate(), issuing);
  }

  /**
   * The issuing CA whose key is in the PKCS#11 token. A key in the token without {@code
   * issuing-ca.crt} is what a crash during creation leaves and is replaced; a certificate whose key
   * is not in the token is fatal.
   */
  private Optional<KeyAndCertificate> loadFromToken(Pkcs11Token token) {
    Optional<String> certPem = files.read(ISSUING + CRT);
    Optional<PrivateKey> key = token.privateKey(Pkcs11Token.ISSUING_ALIAS);
    if (certPem.isEmpty()) {
      if (key.isPresent()) {
        LOG.warn(
            "key without certificate found in PKCS#11 token, replacing alias={}",
            Pkcs11Token.ISSUING_ALIAS);
        token.delete(Pkcs11Token.ISSUING_ALIAS);
      }
      return Optional.empty();
    }
    if (key.isEmpty()) {
      throw new CaKeyProtectionException(
          ISSUING
              + CRT
              + " exists but PKCS#11 token "
              + token.description()
              + " has no key "
              + Pkcs11Token.ISSUING_ALIAS
              + (keyFiles.exists(ISSUING + KEY)
                  ? "; the issuing CA key is in the file "
                      + ISSUING
                      + KEY
                      + " (start without --ca-pkcs11-*, or begin a new data directory)"
                  : ""));
    }
    X509Certificate certificate;
    try {
      certificate = Pem.parseCertificates(certPem.get()).get(0);
    } catch (PemFormatException e) {
      throw new CertificateAuthorityException(
          "cannot read " + ISSUING + CRT + ": " + e.getMessage(), e);
    }
    requireKeyMatches(key.get(), certificate, ISSUING);
    LOG.info("issuing CA key in PKCS#11 token token={}", token.description());
    return Optional.of(new KeyAndCertificate(key.get(), certificate));
  }

  private KeyAndCertificate createInToken(Pkcs11Token token, KeyAndCertificate root, Instant now) {
    KeyPair keys = token.generateEcP256();
    X509Certificate issuing =
        signer.issuingCa(
            keys.getPublic(),
            caName("Mamori Issuing CA"),
            root.certificate(),
            root.key(),
            now.minus(CertificateAuthority.BACKDATE),
            earliest(now.plus(ISSUING_VALIDITY), root.certificate()));
    // Token first, certificate file second: a crash in between leaves a key without certificate,
    // which loadFromToken replaces.
    token.store(Pkcs11Token.ISSUING_ALIAS, keys.getPrivate(), issuing, root.certificate());
    files.writePublic(ISSUING + CRT, Pem.encodeCertificate(issuing));
    PrivateKey stored =
        token
            .privateKey(Pkcs11Token.ISSUING_ALIAS)
            .orElseThrow(() -> new CaKeyProtectionException("PKCS#11 token lost the new key"));
    LOG.info(
        "issuing CA created with its key in PKCS#11 token certId={} token={}",
        CertificateIds.of(issuing),
        token.description());
    return new KeyAndCertificate(stored, issuing);
  }

  private KeyAndCertificate loadOrIssueServer(
      KeyAndCertificate issuing, ServerNames names, Instant now) {
    Optional<KeyAndCertificate> loaded = loadServer();
    Optional<String> reason =
        loaded.isEmpty()
            ? Optional.of("missing")
            : reasonToReissue(loaded.get().certificate(), issuing.certificate(), names, now);
    if (reason.isEmpty()) {
      return loaded.get();
    }
    KeyPair keys = signer.generateEcP256();
    X509Certificate server =
        signer.endEntity(
            keys.getPublic(),
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "Mamori hub").build(),
            issuing.certificate(),
            issuing.key(),
            now.minus(CertificateAuthority.BACKDATE),
            earliest(now.plus(SERVER_VALIDITY), issuing.certificate()),
            KeyPurposeId.id_kp_serverAuth,
            Optional.of(names.toGeneralNames()));
    store(SERVER, keys.getPrivate(), server);
    LOG.info(
        "server certificate issued certId={} reason={} names={}",
        CertificateIds.of(server),
        reason.get(),
        names);
    return new KeyAndCertificate(keys.getPrivate(), server);
  }

  /**
   * The delegated OCSP responder (RFC 6960 §4.2.2.2), its key stored like the CA keys; see {@link
   * OcspSignerRenewal} for when it is re-issued.
   */
  private OcspSignerRenewal loadOrIssueOcspSigner(KeyAndCertificate issuing) {
    Optional<OcspSigner> stored;
    try {
      stored =
          load(OCSP_SIGNER)
              .map(k -> new OcspSigner(issuing.certificate(), k.certificate(), k.key()));
    } catch (CertificateAuthorityException e) {
      // Ours to replace, like the server certificate; the CA keys, read before, already proved
      // the passphrase, so even a key under another one is only a stale responder key.
      LOG.warn("OCSP signing certificate unusable, re-issuing reason={}", e.getMessage());
      stored = Optional.empty();
    }
    return OcspSignerRenewal.loadOrIssue(
        issuing.certificate(), issuing.key(), signer, keyFiles, files, clock, stored);
  }

  private Optional<KeyAndCertificate> loadServer() {
    try {
      return load(SERVER);
    } catch (CaKeyProtectionException e) {
      throw e;
    } catch (CertificateAuthorityException e) {
      // The server certificate is ours to replace: an unusable one is re-issued, not fatal.
      LOG.warn("server certificate unusable, re-issuing reason={}", e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<String> reasonToReissue(
      X509Certificate server, X509Certificate issuing, ServerNames names, Instant now) {
    try {
      server.verify(issuing.getPublicKey());
    } catch (GeneralSecurityException e) {
      return Optional.of("not signed by the current issuing CA");
    }
    if (server.getNotAfter().toInstant().isBefore(now.plus(SERVER_RENEW_BEFORE))) {
      return Optional.of("expires within " + SERVER_RENEW_BEFORE.toDays() + " days");
    }
    List<String> missing = names.missingFrom(server);
    if (!missing.isEmpty()) {
      return Optional.of("lacks host names " + missing);
    }
    return Optional.empty();
  }

  /**
   * The key and certificate stored under {@code base}, empty when neither exists. The key is
   * written before the certificate, so a key alone is what a crash during creation leaves; it has
   * never signed anything and is replaced. A certificate without its key is a real loss and fatal.
   */
  private Optional<KeyAndCertificate> load(String base) {
    Optional<String> certPem = files.read(base + CRT);
    if (certPem.isEmpty()) {
      if (keyFiles.exists(base + KEY)) {
        LOG.warn("key without certificate found, replacing file={}", base + KEY);
      }
      return Optional.empty();
    }
    X509Certificate certificate;
    try {
      certificate = Pem.parseCertificates(certPem.get()).get(0);
    } catch (PemFormatException e) {
      throw new CertificateAuthorityException(
          "cannot read " + base + CRT + ": " + e.getMessage(), e);
    }
    PrivateKey key =
        keyFiles
            .read(base + KEY)
            .orElseThrow(
                () ->
                    new CertificateAuthorityException(
                        base
                            + CRT
                            + " exists but "
                            + base
                            + KEY
                            + " is missing in "
                            + files.path()));
    requireKeyMatches(key, certificate, base);
    return Optional.of(new KeyAndCertificate(key, certificate));
  }

  private void store(String base, PrivateKey key, X509Certificate certificate) {
    keyFiles.write(base + KEY, key);
    files.writePublic(base + CRT, Pem.encodeCertificate(certificate));
  }

  /** Proves the pair belongs together by signing a random challenge and verifying it. */
  private void requireKeyMatches(PrivateKey key, X509Certificate certificate, String base) {
    byte[] challenge = new byte[32];
    random.nextBytes(challenge);
    try {
      String algorithm = CertificateSigner.signatureAlgorithm(key);
      Signature signing = Signature.getInstance(algorithm);
      signing.initSign(key);
      signing.update(challenge);
      byte[] signature = signing.sign();
      Signature verifying = Signature.getInstance(algorithm);
      verifying.initVerify(certificate.getPublicKey());
      verifying.update(challenge);
      if (verifying.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // falls through to the mismatch below
    }
    throw new CertificateAuthorityException(
        base + KEY + " does not match the public key in " + base + CRT);
  }

  private static void requireCa(X509Certificate certificate, String file) {
    if (certificate.getBasicConstraints() < 0) {
      throw new CertificateAuthorityException(file + " is not a CA certificate");
    }
  }

  private static void verifySignature(
      X509Certificate certificate, X509Certificate issuer, String message) {
    try {
      certificate.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateAuthorityException(message, e);
    }
  }

  private static void warnIfExpired(X509Certificate certificate, String file, Instant now) {
    if (certificate.getNotAfter().toInstant().isBefore(now)) {
      LOG.warn("CA certificate expired file={} notAfter={}", file, certificate.getNotAfter());
    }
  }

  private static Instant earliest(Instant wanted, X509Certificate issuer) {
    Instant limit = issuer.getNotAfter().toInstant();
    return wanted.isAfter(limit) ? limit : wanted;
  }

  /** A CA name with a random suffix so the CAs of two hubs never share a subject name. */
  private X500Name caName(String commonName) {
    byte[] suffix = new byte[4];
    random.nextBytes(suffix);
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Mamori")
        .addRDN(BCStyle.CN, commonName + " " + HexFormat.of().formatHex(suffix))
        .build();
  }

  private record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {}
}
