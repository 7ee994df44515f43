package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsEventHandlerTest {
  @Test
  void conscryptsMissingClientCertificateIsReportedAsSuch() {
    var failure =
        new SSLHandshakeException(
            "error:10000418:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE");

    assertThat(TlsEventHandler.reasonOf(failure)).isEqualTo("no client certificate");
  }

  @Test
  void refusedClientChainIsReportedAsUntrustedWithEitherEngine() {
    var conscrypt =
        new SSLHandshakeException(
            "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED");
    var jdk = new SSLHandshakeException("handshake failed");
    jdk.initCause(new CertificateException("client certificate has expired"));

    assertThat(TlsEventHandler.reasonOf(conscrypt)).isEqualTo("untrusted client certificate");
    assertThat(TlsEventHandler.reasonOf(jdk)).isEqualTo("untrusted client certificate");
  }
}
