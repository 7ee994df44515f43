package io.mamori.hub.api;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import java.nio.file.Path;

/** Builds the registry services the API tests run against. */
final class TestRegistry {
  record Services(ThingService things, CertificateService certificates, PolicyService policies) {}

  private TestRegistry() {}

  static Services open(Path dataDir, CertificateAuthority authority) {
    // Placeholder until the SQLite store is merged: the services' stub bodies touch nothing.
    java.time.Clock clock = java.time.Clock.systemUTC();
    io.mamori.hub.registry.RegistryListener listener =
        new io.mamori.hub.registry.RegistryListener() {};
    return new Services(
        new ThingService(null, null, null, e -> {}, listener, clock),
        new CertificateService(null, null, null, authority, 365, null, e -> {}, listener, clock),
        new PolicyService(null, null, null, e -> {}, listener, clock));
  }
}
