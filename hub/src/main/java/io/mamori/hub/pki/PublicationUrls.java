package io.mamori.hub.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Where the hub publishes its CRLs, OCSP responder and CA certificates over plain HTTP, and the
 * certificate extensions that point relying parties there (RFC 5280 §4.2.1.13 CRL Distribution
 * Points, §4.2.2.1 Authority Information Access). Plain HTTP on purpose: RFC 5280 §4.2.1.13 and RFC
 * 6960 expect http URLs, since CRLs and OCSP responses are signed and checking them over TLS could
 * need the very revocation data being fetched.
 *
 * @param baseUrl e.g. {@code http://hub.example.com:8080}, without a trailing slash
 */
public record PublicationUrls(String baseUrl) {
  public static final String CRL_PATH = "/crl/";
  public static final String OCSP_PATH = "/ocsp";
  public static final String CA_PATH = "/ca/";

  public PublicationUrls {
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("PKI base URL is not a URL: " + baseUrl, e);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "PKI base URL must be http://HOST[:PORT][/PATH] (CRL and OCSP are served over plain"
              + " HTTP), got "
              + baseUrl);
    }
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
  }

  /** The CRL that {@code ca} signs, in DER. */
  public String crl(X509Certificate ca) {
    return baseUrl + CRL_PATH + CertificateIds.of(ca) + ".crl";
  }

  public String ocsp() {
    return baseUrl + OCSP_PATH;
  }

  /** {@code ca}'s certificate in DER (RFC 5280 §4.2.2.1: id-ad-caIssuers, DER or PKCS#7). */
  public String caCertificate(X509Certificate ca) {
    return baseUrl + CA_PATH + CertificateIds.of(ca) + ".crt";
  }

  /** Extensions of a device certificate signed by {@code issuer}: its CRL, OCSP and issuer. */
  List<Extension> forEndEntity(X509Certificate issuer) {
    var aia =
        new AuthorityInformationAccess(
            new AccessDescription[] {
              new AccessDescription(AccessDescription.id_ad_ocsp, uri(ocsp())),
              new AccessDescription(AccessDescription.id_ad_caIssuers, uri(caCertificate(issuer)))
            });
    return List.of(crlDistributionPoints(issuer), extension(Extension.authorityInfoAccess, aia));
  }

  /** Extensions of an issuing CA certificate signed by {@code root}: the root's CRL. */
  List<Extension> forIntermediate(X509Certificate root) {
    return List.of(crlDistributionPoints(root));
  }

  private Extension crlDistributionPoints(X509Certificate ca) {
    var point =
        new DistributionPoint(
            new DistributionPointName(new GeneralNames(uri(crl(ca)))), null, null);
    return extension(
        Extension.cRLDistributionPoints, new CRLDistPoint(new DistributionPoint[] {point}));
  }

  private static GeneralName uri(String url) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, url);
  }

  private static Extension extension(
      org.bouncycastle.asn1.ASN1ObjectIdentifier oid, org.bouncycastle.asn1.ASN1Encodable value) {
    try {
      // RFC 5280 §4.2.1.13 and §4.2.2.1: both SHOULD/MUST be non-critical.
      return new Extension(oid, false, value.toASN1Primitive().getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
