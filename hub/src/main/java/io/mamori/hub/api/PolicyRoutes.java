package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.registry.PolicyService;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/policies}: named policy documents, their attachments to certificates, and {@code
 * /api/v1/authorization/test}, which asks the policy engine what it would decide.
 */
final class PolicyRoutes {
  /** The actions a device can be allowed or denied (reference §5.2). */
  private static final Set<String> ACTIONS =
      Set.of("iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive", "iot:RetainPublish");

  private final PolicyService policies;
  private final PolicyTester tester;
  private final Representations views;

  PolicyRoutes(PolicyService policies, PolicyTester tester, Representations views) {
    this.policies = policies;
    this.tester = tester;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/policies", request -> list())
        .add("POST", "/api/v1/policies", this::create)
        .add("GET", "/api/v1/policies/{name}", this::show)
        .add("PUT", "/api/v1/policies/{name}", this::update)
        .add("DELETE", "/api/v1/policies/{name}", this::delete)
        .add("POST", "/api/v1/policies/{name}/attachments", this::attach)
        .add("DELETE", "/api/v1/policies/{name}/attachments/{certificateId}", this::detach)
        .add("POST", "/api/v1/authorization/test", this::test);
  }

  private ApiResponse list() {
    ObjectNode node = views.object();
    var items = node.putArray("policies");
    policies.list().forEach(p -> items.add(views.policy(p, false, List.of())));
    return ApiResponse.ok(node);
  }

  private ApiResponse show(ApiRequest request) {
    var policy = policies.get(request.path("name"));
    return ApiResponse.ok(views.policy(policy, true, policies.targetsOf(policy.name())));
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String name = ApiRequest.requiredText(body, "name");
    var policy = policies.create(name, document(body), AdminApiServer.ACTOR);
    return ApiResponse.created(views.policy(policy, true, List.of()));
  }

  private ApiResponse update(ApiRequest request) {
    var policy =
        policies.update(request.path("name"), document(request.jsonObject()), AdminApiServer.ACTOR);
    return ApiResponse.ok(views.policy(policy, true, policies.targetsOf(policy.name())));
  }

  private ApiResponse delete(ApiRequest request) {
    policies.delete(request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse attach(ApiRequest request) {
    String certificateId = ApiRequest.requiredText(request.jsonObject(), "certificateId");
    policies.attach(request.path("name"), certificateId, AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse detach(ApiRequest request) {
    policies.detach(request.path("name"), request.path("certificateId"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse test(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String certificateId = ApiRequest.requiredText(body, "certificateId");
    String action = ApiRequest.requiredText(body, "action");
    if (!ACTIONS.contains(action)) {
      throw ApiException.badRequest(
          "field 'action' must be one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
    }
    String resource = ApiRequest.requiredText(body, "resource");
    if (resource.isEmpty()) {
      throw ApiException.badRequest("field 'resource' must not be empty");
    }
    Optional<String> clientId = ApiRequest.optionalText(body, "clientId");
    return ApiResponse.ok(views.testResult(tester.test(certificateId, action, resource, clientId)));
  }

  /**
   * The document as text: a JSON string is taken verbatim, a JSON object (convenient with curl) is
   * serialised compactly.
   */
  private static String document(ObjectNode body) {
    JsonNode document = body.get("document");
    if (document == null || document.isNull()) {
      throw ApiException.badRequest("field 'document' is required");
    }
    if (document.isTextual()) {
      return document.textValue();
    }
    if (document.isObject()) {
      return document.toString();
    }
    throw ApiException.badRequest("field 'document' must be a JSON object or a string holding one");
  }
}
