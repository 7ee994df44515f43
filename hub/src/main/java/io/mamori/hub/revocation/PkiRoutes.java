package io.mamori.hub.revocation;

import io.mamori.hub.pki.CertificateIds;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What the PKI listener serves, by path: {@code GET /crl/<ca-id>.crl} (DER CRL, RFC 5280 §5),
 * {@code GET /ca/<ca-id>.crt} (DER CA certificate, for id-ad-caIssuers), {@code POST /ocsp} with an
 * {@code application/ocsp-request} body and {@code GET /ocsp/<base64 request>} (RFC 6960 Appendix
 * A.1). Anything else is 404; a wrong method 405.
 */
final class PkiRoutes {
  static final String CRL_TYPE = "application/pkix-crl";
  static final String CERT_TYPE = "application/pkix-cert";
  static final String OCSP_REQUEST = "application/ocsp-request";
  static final String OCSP_RESPONSE = "application/ocsp-response";

  private final CrlPublisher crls;
  private final OcspResponder ocsp;
  private final Map<String, byte[]> caCertificates = new HashMap<>();

  PkiRoutes(CrlPublisher crls, OcspResponder ocsp, Iterable<X509Certificate> cas) {
    this.crls = crls;
    this.ocsp = ocsp;
    for (X509Certificate ca : cas) {
      try {
        caCertificates.put(CertificateIds.of(ca), ca.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode CA certificate", e);
      }
    }
  }

  /** An answer now, or work that signs and must run off the network thread. */
  sealed interface Route {}

  record Now(HttpAnswer answer) implements Route {}

  record Later(Callable<HttpAnswer> work) implements Route {}

  Route route(String method, String uri, byte[] body) {
    String path = pathOf(uri);
    if (path.startsWith("/crl/") && path.endsWith(".crl")) {
      return get(method, () -> crl(between(path, "/crl/", ".crl")));
    }
    if (path.startsWith("/ca/") && path.endsWith(".crt")) {
      return get(method, () -> caCertificate(between(path, "/ca/", ".crt")));
    }
    if (path.equals("/ocsp") || path.equals("/ocsp/")) {
      if (!method.equals("POST")) {
        return new Now(
            HttpAnswer.text(405, "POST an application/ocsp-request here, or GET /ocsp/<base64>"));
      }
      return ocsp(body);
    }
    if (path.startsWith("/ocsp/")) {
      if (!method.equals("GET")) {
        return new Now(HttpAnswer.text(405, "use GET for /ocsp/<base64 request>"));
      }
      Optional<byte[]> request = decodeGetRequest(path.substring("/ocsp/".length()));
      return request
          .<Route>map(this::ocsp)
          .orElseGet(() -> new Now(ocspAnswer(OcspResponder.malformed())));
    }
    return new Now(HttpAnswer.text(404, "not found: " + path));
  }

  private Route get(String method, java.util.function.Supplier<HttpAnswer> answer) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new Now(HttpAnswer.text(405, "only GET is allowed here"));
    }
    return new Now(answer.get());
  }

  private HttpAnswer crl(String caId) {
    return crls.crl(caId)
        .map(crl -> HttpAnswer.ok(CRL_TYPE, crl.der()))
        .orElseGet(() -> HttpAnswer.text(404, "no CRL for CA " + caId));
  }

  private HttpAnswer caCertificate(String caId) {
    byte[] der = caCertificates.get(caId);
    return der == null
        ? HttpAnswer.text(404, "no CA certificate " + caId)
        : HttpAnswer.ok(CERT_TYPE, der);
  }

  private Route ocsp(byte[] request) {
    OcspResponder.Parsed parsed = ocsp.parse(request);
    if (parsed instanceof OcspResponder.Ready ready) {
      return new Now(ocspAnswer(ready.der()));
    }
    var needs = (OcspResponder.NeedsSigning) parsed;
    return new Later(() -> ocspAnswer(ocsp.sign(needs)));
  }

  /** RFC 6960 Appendix A.1: OCSP errors are OCSP responses, sent with HTTP 200. */
  static HttpAnswer ocspAnswer(byte[] der) {
    return HttpAnswer.ok(OCSP_RESPONSE, der);
  }

  /**
   * RFC 6960 Appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER request}. Clients
   * differ in what they escape, so percent-escapes are decoded and both base64 alphabets accepted.
   */
  static Optional<byte[]> decodeGetRequest(String encoded) {
    try {
      String base64 = percentDecode(encoded).replace('-', '+').replace('_', '/');
      return Optional.of(Base64.getMimeDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String percentDecode(String s) {
    var out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent-escape");
        }
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String pathOf(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static String between(String path, String prefix, String suffix) {
    return path.substring(prefix.length(), path.length() - suffix.length());
  }
}
