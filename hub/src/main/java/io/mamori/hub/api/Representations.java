package io.mamori.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.IssuedDeviceCertificate;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.Thing;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shape of every registry record the API returns, written field by field so that the wire
 * format is deliberate (it is what openapi.json promises): absent optionals are left out, instants
 * are ISO-8601 strings, statuses are the AWS upper-case names.
 */
final class Representations {
  private final ObjectMapper json;

  Representations(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode object() {
    return json.createObjectNode();
  }

  ObjectNode thing(Thing thing) {
    ObjectNode node = object().put("name", thing.name());
    thing.thingType().ifPresent(type -> node.put("thingType", type));
    ObjectNode attributes = node.putObject("attributes");
    new TreeMap<>(thing.attributes()).forEach(attributes::put);
    return node.put("version", thing.version())
        .put("createdAt", thing.createdAt().toString())
        .put("updatedAt", thing.updatedAt().toString());
  }

  /** A thing with the ids of the certificates attached to it (show, not list). */
  ObjectNode thing(Thing thing, Collection<String> certificates) {
    ObjectNode node = thing(thing);
    strings(node.putArray("certificates"), certificates);
    return node;
  }

  ObjectNode things(List<Thing> things) {
    ObjectNode node = object();
    ArrayNode items = node.putArray("things");
    things.forEach(t -> items.add(thing(t)));
    return node;
  }

  /** A certificate; the PEM only when {@code withPem} (show, not list). */
  ObjectNode certificate(
      DeviceCertificate certificate,
      Collection<String> things,
      Collection<String> policies,
      boolean withPem) {
    ObjectNode node =
        object()
            .put("id", certificate.id())
            .put("status", certificate.status().name())
            .put("subject", certificate.subject())
            .put("issuer", certificate.issuer())
            .put("serialNumber", certificate.serialNumber())
            .put("notBefore", certificate.notBefore().toString())
            .put("notAfter", certificate.notAfter().toString())
            .put("caCertificateId", certificate.caCertificateId())
            .put("createdAt", certificate.createdAt().toString())
            .put("updatedAt", certificate.updatedAt().toString());
    certificate
        .revocation()
        .ifPresent(
            r ->
                node.put("revokedAt", r.revokedAt().toString())
                    .put("revocationReason", r.reason().rfcName()));
    strings(node.putArray("things"), things);
    strings(node.putArray("policies"), policies);
    if (withPem) {
      node.put("pem", certificate.pem());
    }
    return node;
  }

  /** A policy; its attached certificate ids only when given (show, not list). */
  ObjectNode policy(Policy policy, boolean withDocument, Collection<String> targets) {
    ObjectNode node =
        object().put("name", policy.name()).put("defaultVersionId", policy.defaultVersionId());
    if (withDocument) {
      // The text exactly as stored (AWS returns policyDocument as a string too): re-serialising
      // would silently reorder or reformat what the operator wrote.
      node.put("document", policy.document());
    }
    node.put("createdAt", policy.createdAt().toString())
        .put("updatedAt", policy.updatedAt().toString());
    if (withDocument) {
      strings(node.putArray("targets"), targets);
    }
    return node;
  }

  ObjectNode issued(IssuedDeviceCertificate issued) {
    ObjectNode node =
        object()
            .put("certificateId", issued.certificate().id())
            .put("certificatePem", issued.certificate().pem());
    issued.privateKeyPem().ifPresent(key -> node.put("privateKeyPem", key));
    return node.put("caCertificatesPem", issued.caChainPem());
  }

  ObjectNode testResult(PolicyTestResult result) {
    ObjectNode node = object().put("allowed", result.allowed()).put("decision", result.decision());
    result.policyName().ifPresent(name -> node.put("policyName", name));
    result.statementIndex().ifPresent(index -> node.put("statementIndex", index));
    return node.put("resource", result.resource()).put("explanation", result.explanation());
  }

  ObjectNode error(String code, String message) {
    return object().put("error", code).put("message", message);
  }

  ObjectNode fields(Map<String, String> values) {
    ObjectNode node = object();
    values.forEach(node::put);
    return node;
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }
}
