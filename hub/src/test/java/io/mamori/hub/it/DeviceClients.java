package io.mamori.hub.it;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * HiveMQ MQTT clients (a third-party Java client) set up with a device's certificate files as
 * {@code mamori cert issue} writes them: NAME.crt, NAME.key and ca.crt.
 */
final class DeviceClients {
  private final int port;
  private final Path certificates;

  DeviceClients(int port, Path certificates) {
    this.port = port;
    this.certificates = certificates;
  }

  Mqtt5BlockingClient mqtt5(String device, String clientId) throws Exception {
    return Mqtt5Client.builder()
        .identifier(clientId)
        .serverHost("localhost")
        .serverPort(port)
        .sslConfig(ssl(device))
        .buildBlocking();
  }

  Mqtt3BlockingClient mqtt3(String device, String clientId) throws Exception {
    return Mqtt3Client.builder()
        .identifier(clientId)
        .serverHost("localhost")
        .serverPort(port)
        .sslConfig(ssl(device))
        .buildBlocking();
  }

  MqttClientSslConfig ssl(String device) throws Exception {
    return ssl(certificates.resolve(device + ".crt"), certificates.resolve(device + ".key"));
  }

  MqttClientSslConfig ssl(Path certificateFile, Path keyFile) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate leaf;
    try (var in = Files.newInputStream(certificateFile)) {
      leaf = (X509Certificate) factory.generateCertificate(in);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("device", readKey(keyFile), new char[0], new X509Certificate[] {leaf});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(certificates.resolve("ca.crt"))) {
      Collection<? extends java.security.cert.Certificate> cas = factory.generateCertificates(in);
      int i = 0;
      for (var ca : cas) {
        trust.setCertificateEntry("ca" + i++, ca);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
  }

  static PrivateKey readKey(Path keyFile) throws Exception {
    return io.mamori.hub.pki.Pem.parsePrivateKey(Files.readString(keyFile));
  }
}
