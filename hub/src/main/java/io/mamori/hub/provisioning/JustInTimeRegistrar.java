package io.mamori.hub.provisioning;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Transactor;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * JITR (reference §2.2, §2.3): the first connect of an unknown certificate from a CA without a
 * template registers it PENDING_ACTIVATION; that and every later connect with the pending
 * certificate publishes the registration event on {@code
 * $aws/events/certificates/registered/<caCertificateId>} and calls the CA's webhook, and is
 * refused. An operator ({@code mamori cert activate}) or the webhook's answer activates it.
 */
final class JustInTimeRegistrar {
  static final String TOPIC_PREFIX = "$aws/events/certificates/registered/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CertificateRegistration registration;
  private final CertificateService certificates;
  private final PolicyService policies;
  private final Transactor transactor;
  private final BiConsumer<String, byte[]> topics;
  private final RegistrationWebhook webhook;
  private final EventPublisher events;
  private final Executor worker;
  private final Clock clock;
  private final String accountId;

  /**
   * @param topics publishes a hub-originated message to MQTT subscribers (never blocks)
   * @param worker where the webhook's answer is applied to the registry (off the HTTP threads)
   */
  JustInTimeRegistrar(
      CertificateRegistration registration,
      CertificateService certificates,
      PolicyService policies,
      Transactor transactor,
      BiConsumer<String, byte[]> topics,
      RegistrationWebhook webhook,
      EventPublisher events,
      Executor worker,
      Clock clock,
      String accountId) {
    this.registration = registration;
    this.certificates = certificates;
    this.policies = policies;
    this.transactor = transactor;
    this.topics = topics;
    this.webhook = webhook;
    this.events = events;
    this.worker = worker;
    this.clock = clock;
    this.accountId = accountId;
  }

  /** Registers the certificate PENDING_ACTIVATION and announces it; returns the refusal. */
  String register(X509Certificate leaf, String certificateId, CaCertificate ca) {
    DeviceCertificate registered;
    try {
      registered = registration.autoRegister(leaf, ca.id(), "JITR", "jitr:" + ca.id());
    } catch (RegistryException e) {
      return "certificate " + certificateId + " was not registered: " + e.getMessage();
    }
    if (registered.status() != CertificateStatus.PENDING_ACTIVATION) {
      return "certificate " + certificateId + " is " + registered.status();
    }
    return announce(registered, ca);
  }

  /**
   * Publishes the registration event, tells the webhook, and returns the refusal: reference §2.2, a
   * certificate must be ACTIVE to connect, so this attempt fails and the device retries later.
   */
  String announce(DeviceCertificate certificate, CaCertificate ca) {
    long now = clock.millis();
    var event =
        new RegistrationEvent(
            certificate.id(),
            ca.id(),
            now,
            CertificateStatus.PENDING_ACTIVATION.name(),
            accountId,
            Long.toString(certificate.createdAt().toEpochMilli()));
    topics.accept(
        TOPIC_PREFIX + ca.id(),
        JSON.valueToTree(event).toString().getBytes(StandardCharsets.UTF_8));
    events.publish(
        new HubEvent(
            "jitr.pending",
            clock.instant(),
            "jitr:" + ca.id(),
            certificate.id(),
            HubEvent.SUCCESS,
            "",
            Map.of(
                "caCertificateId",
                ca.id(),
                "webhook",
                ca.jitrWebhook().isPresent() ? "yes" : "no")));
    ca.jitrWebhook().ifPresent(url -> callWebhook(url, event, certificate));
    return "certificate "
        + certificate.id()
        + " is PENDING_ACTIVATION (just-in-time registration); it connects once activated";
  }

  private void callWebhook(String url, RegistrationEvent event, DeviceCertificate certificate) {
    ObjectNode body = JSON.valueToTree(event);
    body.put("certificatePem", certificate.pem());
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("registration event cannot be written as JSON", e);
    }
    webhook
        .call(url, bytes)
        .thenAcceptAsync(answer -> apply(answer, certificate.id(), url), worker)
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              webhookEvent(
                  "jitr.webhook-failed",
                  HubEvent.FAILURE,
                  certificate.id(),
                  url,
                  cause.getMessage());
              return null;
            });
  }

  /** Applies a webhook's answer; runs on the worker. */
  private void apply(RegistrationWebhook.Answer answer, String certificateId, String url) {
    if (!answer.activate()) {
      webhookEvent(
          "jitr.webhook-refused", HubEvent.DENIED, certificateId, url, "webhook did not activate");
      return;
    }
    String actor = "jitr-webhook";
    transactor.inTransaction(
        () -> {
          if (certificates.get(certificateId).status() != CertificateStatus.PENDING_ACTIVATION) {
            // An operator decided meanwhile; the webhook does not overrule them.
            throw RegistryException.conflict(
                "certificate " + certificateId + " is no longer PENDING_ACTIVATION");
          }
          answer.policyName().ifPresent(p -> policies.attach(p, certificateId, actor));
          answer.thingName().ifPresent(t -> certificates.attachThing(certificateId, t, actor));
          certificates.setStatus(
              certificateId, CertificateStatus.ACTIVE, actor, "activated by JITR webhook");
        });
    webhookEvent("jitr.activated", HubEvent.SUCCESS, certificateId, url, "");
  }

  private void webhookEvent(
      String type, String outcome, String certificateId, String url, String reason) {
    events.publish(
        new HubEvent(
            type,
            clock.instant(),
            "jitr-webhook",
            certificateId,
            outcome,
            reason,
            Map.of("url", url)));
  }

  /** Reference §2.3, with its exact keys and in its order. */
  @JsonPropertyOrder({
    "certificateId",
    "caCertificateId",
    "timestamp",
    "certificateStatus",
    "awsAccountId",
    "certificateRegistrationTimestamp"
  })
  record RegistrationEvent(
      String certificateId,
      String caCertificateId,
      long timestamp,
      String certificateStatus,
      String awsAccountId,
      String certificateRegistrationTimestamp) {}
}
