package io.mamori.hub.registry;

import java.util.List;
import java.util.Optional;

/** Persistence of named, versioned policies and their attachments to certificates. */
public interface PolicyRepository {
  /** Inserts version 1; throws {@link RegistryException} CONFLICT if the name exists. */
  void insert(Policy policy);

  /** Stores a new version and makes it the default; returns the updated policy. */
  Policy addVersion(String name, String document, java.time.Instant at);

  Optional<Policy> find(String name);

  List<Policy> list();

  boolean delete(String name);

  void attach(String policyName, String certificateId);

  boolean detach(String policyName, String certificateId);

  /** Policies attached to this certificate, default versions. */
  List<Policy> policiesOf(String certificateId);

  /** Certificate ids this policy is attached to. */
  List<String> targetsOf(String policyName);
}
