package io.mamori.hub.registry;

import java.util.Optional;

/**
 * A CA's provisioning template for just-in-time provisioning (reference §2.1 {@code
 * registrationConfig}): either an inline {@code templateBody} (JSON text) or the name of a stored
 * template; {@code roleArn} is kept for AWS compatibility and has no meaning in Mamori.
 */
public record RegistrationConfig(
    Optional<String> templateBody, Optional<String> templateName, Optional<String> roleArn) {

  public RegistrationConfig {
    if (templateBody.isPresent() && templateName.isPresent()) {
      throw RegistryException.invalid(
          "registrationConfig takes templateBody or templateName, not both");
    }
    if (templateBody.isEmpty() && templateName.isEmpty()) {
      throw RegistryException.invalid("registrationConfig needs templateBody or templateName");
    }
    templateBody
        .filter(String::isBlank)
        .ifPresent(
            b -> {
              throw RegistryException.invalid("registrationConfig.templateBody is empty");
            });
    templateName
        .filter(n -> !n.matches("[A-Za-z0-9_-]{1,36}"))
        .ifPresent(
            n -> {
              throw RegistryException.invalid(
                  "registrationConfig.templateName must be 1 to 36 of A-Z a-z 0-9 _ -, got " + n);
            });
  }
}
