package io.mamori.hub.store;

import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.Thing;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Registry records for store tests: instants are whole milliseconds, as the store keeps them. */
final class Records {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
  static final String DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

  private Records() {}

  static Thing thing(String name) {
    return new Thing(name, Optional.empty(), Map.of(), 1, T0, T0);
  }

  static Thing thing(String name, Map<String, String> attributes) {
    return new Thing(name, Optional.of("sensor"), attributes, 1, T0, T0);
  }

  /** A certificate whose 64-hex id is derived from {@code n}. */
  static DeviceCertificate certificate(int n) {
    String id = HexFormat.of().toHexDigits((long) n).repeat(4);
    return new DeviceCertificate(
        id,
        "-----BEGIN CERTIFICATE-----\nMIIB" + n + "\n-----END CERTIFICATE-----\n",
        CertificateStatus.ACTIVE,
        "CN=device-" + n,
        "CN=Mamori Issuing CA,O=Mamori",
        "7f3a" + n,
        T0.minusSeconds(60),
        T0.plusSeconds(86_400 * 365),
        "c".repeat(64),
        T0,
        T0);
  }

  static Policy policy(String name) {
    return new Policy(name, DOCUMENT, 1, T0, T0);
  }
}
