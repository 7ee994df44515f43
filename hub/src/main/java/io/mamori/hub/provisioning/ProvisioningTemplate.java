package io.mamori.hub.provisioning;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored fleet-provisioning template.
 *
 * @param body the template JSON as the operator wrote it (validated by {@link TemplateDocument})
 * @param preProvisioningHook URL POSTed before every RegisterThing (reference §1.5)
 * @param version incremented on every change
 */
public record ProvisioningTemplate(
    String name,
    String body,
    String description,
    boolean enabled,
    Optional<String> preProvisioningHook,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
