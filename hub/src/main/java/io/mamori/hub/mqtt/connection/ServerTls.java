package io.mamori.hub.mqtt.connection;

import io.mamori.hub.pki.TlsIdentity;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/** The broker's TLS server settings: mutual TLS, TLS 1.2/1.3 only, tolerant ALPN. */
public final class ServerTls {
  /** AWS §7.3: the protocol AWS SDKs offer for MQTT over X.509, even on port 8883. */
  public static final String ALPN_AWS_MQTT = "x-amzn-mqtt-ca";

  public static final String ALPN_MQTT = "mqtt";

  private ServerTls() {}

  /**
   * Builds the server context. A client certificate is required and checked by {@code clientTrust}.
   * ALPN: {@code x-amzn-mqtt-ca} and {@code mqtt} are selected when offered; other offers are
   * ignored (NO_ADVERTISE) instead of aborting the handshake (AWS §7.3).
   */
  public static SslContext context(TlsIdentity identity, X509TrustManager clientTrust) {
    try {
      return SslContextBuilder.forServer(
              identity.privateKey(), identity.chain().toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          .trustManager(clientTrust)
          .clientAuth(ClientAuth.REQUIRE)
          .protocols("TLSv1.3", "TLSv1.2")
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  Protocol.ALPN,
                  SelectorFailureBehavior.NO_ADVERTISE,
                  SelectedListenerFailureBehavior.ACCEPT,
                  ALPN_AWS_MQTT,
                  ALPN_MQTT))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the MQTT TLS context: " + e.getMessage(), e);
    }
  }
}
