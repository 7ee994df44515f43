package io.mamori.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of registered CA certificates and of the hub's CA registration code. */
public interface CaCertificateRepository {
  /** Inserts; throws {@link RegistryException} CONFLICT if the id exists. */
  void insert(CaCertificate certificate);

  /**
   * Updates the mutable fields: status, auto-registration, registration config, JITR webhook,
   * updatedAt.
   */
  void update(CaCertificate certificate);

  Optional<CaCertificate> find(String id);

  List<CaCertificate> list();

  /** False when there was no such CA. */
  boolean delete(String id);

  /** How many device certificates name this CA as their issuer. */
  long deviceCertificateCount(String caCertificateId);

  Optional<String> registrationCode();

  /** Stores the code unless one exists; returns the code in force (the existing one wins). */
  String saveRegistrationCode(String code, Instant at);
}
