package io.mamori.hub.mqtt.connection;

import io.mamori.hub.pki.TlsIdentity;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker's TLS server settings: mutual TLS, TLS 1.2/1.3 only, tolerant ALPN. */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** AWS §7.3: the protocol AWS SDKs offer for MQTT over X.509, even on port 8883. */
  public static final String ALPN_AWS_MQTT = "x-amzn-mqtt-ca";

  public static final String ALPN_MQTT = "mqtt";

  private ServerTls() {}

  /**
   * Builds the server context. A client certificate is required and checked by {@code clientTrust}.
   * ALPN: {@code x-amzn-mqtt-ca} and {@code mqtt} are selected when offered; other offers are
   * ignored (NO_ADVERTISE) instead of aborting the handshake (AWS §7.3).
   *
   * <p>The TLS engine is Conscrypt (BoringSSL) when its native library loads: the handshake's
   * ECDHE, ECDSA signature and client CertificateVerify run several times faster than in the JDK's
   * pure-Java engine (bench connect rate: 2-3x; TlsHandshakeBenchmark). Where it does not load (no
   * native build for the platform, e.g. ARM), the JDK engine does the same job, slower; the log
   * says which.
   */
  public static SslContext context(TlsIdentity identity, X509TrustManager clientTrust) {
    // The allocator the broker's channels use (Netty's default, pooled).
    return context(identity, clientTrust, ByteBufAllocator.DEFAULT);
  }

  /** As {@link #context(TlsIdentity, X509TrustManager)}; Conscrypt's copies use {@code buffers}. */
  static SslContext context(
      TlsIdentity identity, X509TrustManager clientTrust, ByteBufAllocator buffers) {
    Optional<Provider> conscrypt = conscrypt();
    try {
      return build(identity, clientTrust, conscrypt, buffers);
    } catch (SSLException | RuntimeException e) {
      if (conscrypt.isEmpty()) {
        throw new IllegalStateException("cannot build the MQTT TLS context: " + e.getMessage(), e);
      }
      log.warn(
          "mqtt tls engine=JDK reason=\"Conscrypt context failed\" cause=\"{}\"", e.toString());
      try {
        return build(identity, clientTrust, Optional.empty(), buffers);
      } catch (SSLException jdk) {
        throw new IllegalStateException(
            "cannot build the MQTT TLS context: " + jdk.getMessage(), jdk);
      }
    }
  }

  /** As {@link #context}, always with the JDK's own engine: the baseline the bench compares. */
  public static SslContext jdkContext(TlsIdentity identity, X509TrustManager clientTrust) {
    try {
      return build(identity, clientTrust, Optional.empty(), ByteBufAllocator.DEFAULT);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the MQTT TLS context: " + e.getMessage(), e);
    }
  }

  private static SslContext build(
      TlsIdentity identity,
      X509TrustManager clientTrust,
      Optional<Provider> engine,
      ByteBufAllocator buffers)
      throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forServer(
                identity.privateKey(), identity.chain().toArray(X509Certificate[]::new))
            .sslProvider(SslProvider.JDK)
            .trustManager(clientTrust)
            .clientAuth(ClientAuth.REQUIRE)
            .protocols("TLSv1.3", "TLSv1.2");
    SslContext context;
    if (engine.isPresent()) {
      builder.sslContextProvider(engine.get());
      context = new ConscryptAlpn(builder.build(), List.of(ALPN_AWS_MQTT, ALPN_MQTT), buffers);
    } else {
      context =
          builder
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      Protocol.ALPN,
                      SelectorFailureBehavior.NO_ADVERTISE,
                      SelectedListenerFailureBehavior.ACCEPT,
                      ALPN_AWS_MQTT,
                      ALPN_MQTT))
              .build();
    }
    log.info("mqtt tls engine={}", engine.map(Provider::getName).orElse("JDK"));
    return context;
  }

  private static Optional<Provider> conscrypt() {
    try {
      // Throws UnsatisfiedLinkError naming the cause when the native library did not load.
      org.conscrypt.Conscrypt.checkAvailability();
      return Optional.of(org.conscrypt.Conscrypt.newProvider());
    } catch (LinkageError | RuntimeException e) {
      log.warn(
          "mqtt tls engine=JDK reason=\"Conscrypt unavailable; handshakes are several times"
              + " slower\" cause=\"{}\"",
          e.toString());
      return Optional.empty();
    }
  }
}
