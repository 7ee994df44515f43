package io.mamori.agent.connection;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.mamori.agent.AgentException;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.credentials.PemFiles;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of a device connection: the device's key and certificate as client credentials, and
 * only the given CA file as trust anchors (never the system store). The hub's host name is checked
 * against its certificate (the HiveMQ client verifies it by default).
 */
public final class MutualTls {
  private MutualTls() {}

  public static MqttClientSslConfig config(DeviceCredentials credentials) {
    Factories f = factories(credentials);
    return MqttClientSslConfig.builder()
        .keyManagerFactory(f.keys())
        .trustManagerFactory(f.trust())
        .protocols(List.of("TLSv1.3", "TLSv1.2"))
        .build();
  }

  /** The same credentials for HTTPS (firmware downloads): client certificate and CA file only. */
  static SSLContext context(DeviceCredentials credentials) {
    Factories f = factories(credentials);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(f.keys().getKeyManagers(), f.trust().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new AgentException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private record Factories(KeyManagerFactory keys, TrustManagerFactory trust) {}

  private static Factories factories(DeviceCredentials credentials) {
    List<X509Certificate> chain = PemFiles.certificates(credentials.certificateFile());
    var key = PemFiles.privateKey(credentials.keyFile());
    List<X509Certificate> anchors = PemFiles.certificates(credentials.caFile());
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("device", key, new char[0], chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        trust.setCertificateEntry("ca" + i, anchors.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      return new Factories(kmf, tmf);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new AgentException(
          "key "
              + credentials.keyFile()
              + " and certificate "
              + credentials.certificateFile()
              + " cannot be used for TLS: "
              + e.getMessage(),
          e);
    }
  }
}
