package io.mamori.hub.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides at the TLS handshake whether a device's client certificate chains to a CA the hub trusts:
 * PKIX path validation (RFC 5280 §6) at the injected clock's time, plus the clientAuth purpose
 * check. Revocation and registry status are not checked here; the registry does that after the
 * handshake.
 */
public final class DeviceTrustManager extends X509ExtendedTrustManager {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final Supplier<? extends Collection<X509Certificate>> anchors;
  private final Clock clock;
  private final Predicate<X509Certificate> registeredWithoutCa;
  private final Optional<String> signatures;

  /** No certificates registered without their CA; signatures checked by the JDK's defaults. */
  public DeviceTrustManager(Supplier<? extends Collection<X509Certificate>> anchors, Clock clock) {
    this(anchors, clock, leaf -> false, Optional.empty());
  }

  /**
   * @param anchors asked on every handshake, so CAs registered or removed later take effect
   * @param signatures the registered JCA provider that verifies the chain's signatures (see {@link
   *     SignatureProvider#registeredForVerification}); empty: the JDK's default. Signature checks
   *     are most of this class's cost per handshake, and the JDK's P-256 is several times slower.
   * @param registeredWithoutCa whether this exact leaf was registered without its CA (AWS
   *     RegisterCertificateWithoutCA); such a leaf needs no chain. Must answer from memory: it is
   *     asked on the event loop.
   */
  public DeviceTrustManager(
      Supplier<? extends Collection<X509Certificate>> anchors,
      Clock clock,
      Predicate<X509Certificate> registeredWithoutCa,
      Optional<String> signatures) {
    this.anchors = anchors;
    this.clock = clock;
    this.registeredWithoutCa = registeredWithoutCa;
    this.signatures = signatures;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    validate(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    validate(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    validate(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("DeviceTrustManager only checks client certificates");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return List.copyOf(anchors.get()).toArray(new X509Certificate[0]);
  }

  private void validate(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("client sent no certificate");
    }
    X509Certificate leaf = chain[0];
    Date now = Date.from(clock.instant());
    checkValidity(leaf, now);
    checkClientAuthPurpose(leaf);
    if (registeredWithoutCa.test(leaf)) {
      // Trusted as this exact certificate, not through an issuer; TLS has proved the device holds
      // its key, and the registry decides its status after the handshake.
      return;
    }
    List<X509Certificate> trusted = List.copyOf(anchors.get());
    if (trusted.isEmpty()) {
      throw new CertificateException("no trusted CA is configured");
    }
    List<X509Certificate> path = pathToAnchor(chain, trusted, signatures);
    Set<TrustAnchor> trustAnchors = new HashSet<>();
    for (X509Certificate anchor : trusted) {
      trustAnchors.add(new TrustAnchor(anchor, null));
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(trustAnchors);
      // Revocation is the registry's job (certificate status), not CRL/OCSP fetching here.
      parameters.setRevocationEnabled(false);
      parameters.setDate(now);
      signatures.ifPresent(parameters::setSigProvider);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateException(describe(e, path), e);
    } catch (InvalidAlgorithmParameterException e) {
      throw new CertificateException("trusted CA set is unusable: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("client chain cannot be validated: " + e.getMessage(), e);
    }
  }

  private static void checkValidity(X509Certificate leaf, Date now) throws CertificateException {
    try {
      leaf.checkValidity(now);
    } catch (CertificateExpiredException e) {
      throw new CertificateException(
          "client certificate expired at " + leaf.getNotAfter().toInstant(), e);
    } catch (CertificateNotYetValidException e) {
      throw new CertificateException(
          "client certificate not valid before " + leaf.getNotBefore().toInstant(), e);
    }
  }

  /** RFC 5280 §4.2.1.12: when the EKU extension is present, it must allow TLS client auth. */
  private static void checkClientAuthPurpose(X509Certificate leaf) throws CertificateException {
    List<String> purposes;
    try {
      purposes = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateException("client certificate has an unreadable EKU extension", e);
    }
    if (purposes != null
        && !purposes.contains(CLIENT_AUTH)
        && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
      throw new CertificateException(
          "client certificate is not for client authentication (EKU " + purposes + ")");
    }
  }

  /**
   * The presented chain up to, not including, the first certificate a trusted CA issued. Clients
   * may send only their leaf or include the CA certificates too; PKIX wants the path without the
   * anchor, so anything from the anchor on is dropped.
   */
  private static List<X509Certificate> pathToAnchor(
      X509Certificate[] chain, List<X509Certificate> trusted, Optional<String> signatures)
      throws CertificateException {
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate current = chain[0];
    Set<X509Certificate> remaining = new HashSet<>(List.of(chain).subList(1, chain.length));
    while (true) {
      if (trusted.contains(current)) {
        // The client sent a trusted CA certificate itself: the path ends before it.
        break;
      }
      path.add(current);
      if (issuerAmong(current, trusted, signatures).isPresent()) {
        break;
      }
      Optional<X509Certificate> next = issuerAmong(current, remaining, signatures);
      if (next.isEmpty() || path.size() > chain.length) {
        throw new CertificateException(
            "client certificate was not issued by a trusted CA (issuer "
                + current.getIssuerX500Principal().getName()
                + ")");
      }
      remaining.remove(next.get());
      current = next.get();
    }
    if (path.isEmpty()) {
      throw new CertificateException("client presented a CA certificate, not a device certificate");
    }
    return path;
  }

  /**
   * The candidate that issued {@code certificate}. A single candidate with the issuer's name is
   * taken without checking the signature here: PKIX validation checks every signature of the path
   * afterwards, so checking it twice would only double the handshake's slowest step. Several
   * candidates with that name (a re-keyed or foreign CA) are told apart by the signature.
   */
  private static Optional<X509Certificate> issuerAmong(
      X509Certificate certificate,
      Collection<X509Certificate> candidates,
      Optional<String> signatures) {
    List<X509Certificate> named = new ArrayList<>(1);
    for (X509Certificate candidate : candidates) {
      if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        named.add(candidate);
      }
    }
    if (named.size() <= 1) {
      return named.stream().findFirst();
    }
    for (X509Certificate candidate : named) {
      try {
        if (signatures.isPresent()) {
          certificate.verify(candidate.getPublicKey(), signatures.get());
        } else {
          certificate.verify(candidate.getPublicKey());
        }
        return Optional.of(candidate);
      } catch (GeneralSecurityException | RuntimeException e) {
        // Same name, different key: keep looking.
      }
    }
    return Optional.empty();
  }

  private static String describe(CertPathValidatorException e, List<X509Certificate> path) {
    int index = e.getIndex();
    String which =
        index < 0 || index >= path.size()
            ? "client chain"
            : index == 0
                ? "client certificate"
                : "CA certificate " + path.get(index).getSubjectX500Principal().getName();
    var reason = e.getReason();
    String why;
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
      why = "has expired";
    } else if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      why = "is not yet valid";
    } else if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
      why = "has a bad signature";
    } else {
      why = "was refused: " + e.getMessage();
    }
    return which + " " + why;
  }
}
