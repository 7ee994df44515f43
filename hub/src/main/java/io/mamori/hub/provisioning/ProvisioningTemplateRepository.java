package io.mamori.hub.provisioning;

import java.util.List;
import java.util.Optional;

/** Persistence of provisioning templates. */
public interface ProvisioningTemplateRepository {
  /** Inserts; throws {@code RegistryException} CONFLICT when the name exists. */
  void insert(ProvisioningTemplate template);

  void update(ProvisioningTemplate template);

  Optional<ProvisioningTemplate> find(String name);

  List<ProvisioningTemplate> list();

  boolean delete(String name);
}
