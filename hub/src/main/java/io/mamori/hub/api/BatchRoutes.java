package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.registry.BatchIssuance;
import io.mamori.hub.registry.BatchItem;
import io.mamori.hub.registry.BatchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/certificates/batch}: issues up to {@link BatchIssuance#MAX_ITEMS}
 * certificates from CSRs in one request; each item gets its own result (certificate or reason).
 */
final class BatchRoutes {
  private final BatchIssuance batches;
  private final CertificateAuthority authority;
  private final Representations views;

  BatchRoutes(BatchIssuance batches, CertificateAuthority authority, Representations views) {
    this.batches = batches;
    this.authority = authority;
    this.views = views;
  }

  void register(Router router) {
    router.add("POST", "/api/v1/certificates/batch", this::issue);
  }

  private ApiResponse issue(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String batchId = ApiRequest.requiredText(body, "batchId");
    boolean createThings = ApiRequest.optionalBoolean(body, "createThings").orElse(false);
    JsonNode itemsNode = body.get("items");
    if (itemsNode == null || !itemsNode.isArray()) {
      throw ApiException.badRequest("field 'items' must be an array of {thingName, csr}");
    }
    List<BatchItem> items = new ArrayList<>();
    for (JsonNode node : itemsNode) {
      items.add(item(node));
    }
    List<BatchOutcome> outcomes = batches.issue(batchId, items, createThings, AdminApiServer.ACTOR);
    ObjectNode answer = views.object().put("batchId", batchId);
    answer.put("caCertificatesPem", authority.chainPem());
    var results = answer.putArray("results");
    int issued = 0;
    int existing = 0;
    int failed = 0;
    for (BatchOutcome outcome : outcomes) {
      ObjectNode result = results.addObject().put("index", outcome.index());
      result.put("thingName", items.get(outcome.index()).thingName());
      if (outcome instanceof BatchOutcome.Issued done) {
        result
            .put("certificateId", done.certificate().id())
            .put("certificatePem", done.certificate().pem())
            .put("existing", done.existing());
        if (done.existing()) {
          existing++;
        } else {
          issued++;
        }
      } else if (outcome instanceof BatchOutcome.Failed refused) {
        result.put("error", refused.reason());
        failed++;
      }
    }
    answer.put("issued", issued).put("existing", existing).put("failed", failed);
    return ApiResponse.ok(answer);
  }

  /** A malformed item fails alone: it becomes an item whose checks refuse it with a reason. */
  private static BatchItem item(JsonNode node) {
    if (!node.isObject()) {
      return new BatchItem("", "", Optional.empty(), Optional.empty());
    }
    ObjectNode object = (ObjectNode) node;
    return new BatchItem(
        text(object, "thingName"),
        text(object, "csr"),
        Optional.ofNullable(object.get("policyName"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::asText),
        Optional.ofNullable(object.get("days")).filter(JsonNode::isInt).map(JsonNode::asInt));
  }

  private static String text(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }
}
