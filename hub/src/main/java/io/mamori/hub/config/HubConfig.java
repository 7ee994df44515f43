package io.mamori.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The hub's whole configuration, built once by the {@code serve} command from flags and
 * environment, immutable afterwards.
 *
 * @param dataDir where the CA, the database, the admin token and {@code endpoint.json} live
 * @param mqttHost address the MQTT/TLS listener binds to
 * @param mqttPort MQTT/TLS port; 0 picks a free one
 * @param apiHost address the admin API binds to (127.0.0.1 by default)
 * @param apiPort admin API port; 0 picks a free one
 * @param hostnames extra DNS names or IPs for the hub's TLS server certificate
 * @param region AWS-style region the hub answers to in policy ARNs
 * @param accountId AWS-style account id the hub answers to in policy ARNs
 * @param deviceCertificateDays default validity of issued device certificates
 * @param limits broker limits
 * @param pkiPublication the CRL / OCSP listener
 * @param rotationGrace how long a device's old certificate stays ACTIVE after it rotated over MQTT,
 *     when it does not connect with the new one sooner
 * @param caKeys how the CA's private keys are unlocked (passphrase, PKCS#11 token)
 */
public record HubConfig(
    Path dataDir,
    String mqttHost,
    int mqttPort,
    String apiHost,
    int apiPort,
    List<String> hostnames,
    String region,
    String accountId,
    int deviceCertificateDays,
    BrokerLimits limits,
    PkiPublicationSettings pkiPublication,
    Duration rotationGrace,
    CaKeyConfig caKeys) {

  public static final int DEFAULT_MQTT_PORT = 8883;
  public static final int DEFAULT_API_PORT = 8443;
  public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofDays(7);

  public HubConfig {
    hostnames = List.copyOf(hostnames);
    if (rotationGrace.isNegative() || rotationGrace.isZero()) {
      throw new IllegalArgumentException("rotation grace period must be positive");
    }
    if (mqttPort < 0 || mqttPort > 65535 || apiPort < 0 || apiPort > 65535) {
      throw new IllegalArgumentException("ports must be between 0 and 65535");
    }
    if (deviceCertificateDays < 1) {
      throw new IllegalArgumentException("device certificate validity must be at least one day");
    }
  }

  /**
   * With the default PKI publication settings and rotation grace period, and the quick-start CA key
   * protection (a passphrase generated into the data directory).
   */
  public HubConfig(
      Path dataDir,
      String mqttHost,
      int mqttPort,
      String apiHost,
      int apiPort,
      List<String> hostnames,
      String region,
      String accountId,
      int deviceCertificateDays,
      BrokerLimits limits) {
    this(
        dataDir,
        mqttHost,
        mqttPort,
        apiHost,
        apiPort,
        hostnames,
        region,
        accountId,
        deviceCertificateDays,
        limits,
        PkiPublicationSettings.defaults(),
        DEFAULT_ROTATION_GRACE,
        CaKeyConfig.none());
  }

  /** Secure defaults for a given data directory: API on loopback only. */
  public static HubConfig defaults(Path dataDir) {
    return new HubConfig(
        dataDir,
        "0.0.0.0",
        DEFAULT_MQTT_PORT,
        "127.0.0.1",
        DEFAULT_API_PORT,
        List.of(),
        "local",
        "000000000000",
        365,
        BrokerLimits.defaults());
  }

  public Path databaseFile() {
    return dataDir.resolve("mamori.db");
  }

  public Path pkiDir() {
    return dataDir.resolve("pki");
  }

  public Path adminTokenFile() {
    return dataDir.resolve("admin.token");
  }

  public Path endpointFile() {
    return dataDir.resolve("endpoint.json");
  }
}
