package io.mamori.hub.metrics;

import io.mamori.hub.events.HubEvent;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts what the event bus reports: connects accepted and refused, authorization denials by
 * action, TLS failures, revocations and issued certificates. Runs on the publishing thread (often a
 * Netty event loop), so it only bumps {@link LongAdder}s.
 */
public final class EventMetrics implements Consumer<HubEvent> {
  private final MetricRegistry.LabeledCounter connects;
  private final MetricRegistry.LabeledCounter denials;
  private final LongAdder tlsFailures;
  private final LongAdder revocations;
  private final LongAdder issued;
  private final LongAdder apiAuthFailures;

  public EventMetrics(MetricRegistry registry) {
    connects =
        registry
            .labeledCounter("mamori_mqtt_connects_total", "MQTT CONNECTs by outcome.", "outcome")
            .withValues("accepted", "refused");
    denials =
        registry
            .labeledCounter(
                "mamori_authorization_denials_total",
                "Requests refused by policy or certificate status, by IoT action.",
                "action")
            .withValues("iot:Connect", "iot:Publish", "iot:Subscribe");
    tlsFailures =
        registry.counter(
            "mamori_tls_handshake_failures_total", "TLS handshakes that failed or were refused.");
    revocations = registry.counter("mamori_certificates_revoked_total", "Certificates revoked.");
    issued = registry.counter("mamori_certificates_issued_total", "Certificates issued.");
    apiAuthFailures =
        registry.counter(
            "mamori_api_authentication_failures_total", "Admin API calls with a bad token.");
  }

  @Override
  public void accept(HubEvent event) {
    boolean denied = HubEvent.DENIED.equals(event.outcome());
    switch (event.type()) {
      case "mqtt.connect" -> {
        connects.increment(denied ? "refused" : "accepted");
        if (denied) {
          denials.increment("iot:Connect");
        }
      }
      case "mqtt.publish" -> {
        if (denied) {
          denials.increment("iot:Publish");
        }
      }
      case "mqtt.subscribe" -> {
        if (denied) {
          denials.increment("iot:Subscribe");
        }
      }
      case "mqtt.tls" -> tlsFailures.increment();
      case "certificate.revoked" -> revocations.increment();
      case "certificate.issued" -> {
        if (HubEvent.SUCCESS.equals(event.outcome())) {
          issued.increment();
        }
      }
      // Bulk issuance reports a whole request in one event (see BatchIssuance#announce).
      case "certificate.batch-issued" -> issued.add(count(event.details().get("issued")));
      case "api.authentication" -> {
        if (denied) {
          apiAuthFailures.increment();
        }
      }
      default -> {}
    }
  }

  private static long count(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
