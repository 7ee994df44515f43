package io.mamori.hub.provisioning;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.registry.RegistrationConfig;
import io.mamori.hub.registry.RegistryChanges;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.RegistryRules;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stores provisioning templates: a template is stored only when {@link TemplateDocument} accepts
 * it, so a device never meets a template that could not work. Every change is an event.
 */
public final class ProvisioningTemplateService {
  /** AWS template names: 1-36 chars (Embedded C's {@code FP_TEMPLATENAME_MAX_LENGTH}). */
  private static final Pattern NAME = Pattern.compile("[0-9A-Za-z_-]{1,36}");

  private static final int MAX_DESCRIPTION = 500;

  private final ProvisioningTemplateRepository templates;
  private final Transactor transactor;
  private final RegistryChanges changes;

  public ProvisioningTemplateService(
      ProvisioningTemplateRepository templates,
      Transactor transactor,
      EventPublisher events,
      Clock clock) {
    this.templates = templates;
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, new RegistryListener() {}, clock);
  }

  /** The fields an operator sets; empty ones keep their value on update. */
  public record Changes(
      Optional<String> body,
      Optional<String> description,
      Optional<Boolean> enabled,
      Optional<String> preProvisioningHook) {}

  public ProvisioningTemplate create(
      String name,
      String body,
      String description,
      boolean enabled,
      Optional<String> hook,
      String actor) {
    return changes.run(
        "provisioning.template-created",
        actor,
        name,
        change -> {
          checkName(name);
          TemplateDocument.parse(body);
          checkDescription(description);
          hook.ifPresent(ProvisioningTemplateService::checkHook);
          var template =
              new ProvisioningTemplate(
                  name, body, description, enabled, hook, 1, change.at(), change.at());
          transactor.inTransaction(() -> templates.insert(template));
          change.event(
              "provisioning.template-created",
              name,
              Map.of("enabled", Boolean.toString(enabled), "hook", hook.orElse("")));
          return template;
        });
  }

  /**
   * Checks that a CA's {@code registrationConfig} can serve JITP (reference §1.4): a named template
   * must exist, and since a connecting device sends no parameters, every parameter the template
   * declares must be a certificate pseudo parameter ({@code AWS::IoT::Certificate::...}) or have a
   * Default.
   *
   * @throws RegistryException INVALID or NOT_FOUND naming the problem
   */
  public void requireJitpTemplate(RegistrationConfig config) {
    String body =
        config.templateBody().orElseGet(() -> get(config.templateName().orElseThrow()).body());
    TemplateDocument document = TemplateDocument.parse(body);
    for (String name : document.parametersWithoutDefault()) {
      if (!CertificateParameters.isPseudo(name)) {
        throw RegistryException.invalid(
            "JITP template parameter '"
                + name
                + "' has no Default and is not a certificate parameter; a connecting device"
                + " cannot supply it (use AWS::IoT::Certificate::CommonName, SerialNumber,"
                + " Country, Organization, OrganizationalUnit, DistinguishedNameQualifier,"
                + " StateName or Id)");
      }
    }
  }

  public ProvisioningTemplate get(String name) {
    return templates
        .find(name)
        .orElseThrow(() -> RegistryException.notFound("provisioning template " + name));
  }

  public List<ProvisioningTemplate> list() {
    return templates.list();
  }

  /** Changes body, description, enabled flag or hook (an empty hook string removes it). */
  public ProvisioningTemplate update(String name, Changes requested, String actor) {
    return changes.run(
        "provisioning.template-updated",
        actor,
        name,
        change -> {
          requested.body().ifPresent(TemplateDocument::parse);
          requested.description().ifPresent(ProvisioningTemplateService::checkDescription);
          requested
              .preProvisioningHook()
              .filter(h -> !h.isEmpty())
              .ifPresent(ProvisioningTemplateService::checkHook);
          ProvisioningTemplate updated =
              transactor.inTransaction(
                  () -> {
                    ProvisioningTemplate current = get(name);
                    var next =
                        new ProvisioningTemplate(
                            name,
                            requested.body().orElse(current.body()),
                            requested.description().orElse(current.description()),
                            requested.enabled().orElse(current.enabled()),
                            requested.preProvisioningHook().isPresent()
                                ? requested.preProvisioningHook().filter(h -> !h.isEmpty())
                                : current.preProvisioningHook(),
                            current.version() + 1,
                            current.createdAt(),
                            change.at());
                    templates.update(next);
                    return next;
                  });
          change.event(
              "provisioning.template-updated",
              name,
              Map.of(
                  "version",
                  Long.toString(updated.version()),
                  "enabled",
                  Boolean.toString(updated.enabled())));
          return updated;
        });
  }

  public void delete(String name, String actor) {
    changes.run(
        "provisioning.template-deleted",
        actor,
        name,
        change -> {
          if (!transactor.inTransaction(() -> templates.delete(name))) {
            throw RegistryException.notFound("provisioning template " + name);
          }
          change.event("provisioning.template-deleted", name, Map.of());
          return null;
        });
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw RegistryException.invalid(
          "template name must be 1-36 characters of letters, digits, '_' and '-'");
    }
  }

  private static void checkDescription(String description) {
    if (description.length() > MAX_DESCRIPTION) {
      throw RegistryException.invalid(
          "description is longer than " + MAX_DESCRIPTION + " characters");
    }
  }

  private static void checkHook(String hook) {
    RegistryRules.webhookUrl(hook, "pre-provisioning hook");
  }
}
