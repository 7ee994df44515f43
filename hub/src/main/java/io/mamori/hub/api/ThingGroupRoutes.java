package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.groups.FleetMembership;
import io.mamori.hub.groups.ThingGroup;
import io.mamori.hub.groups.ThingGroupService;
import java.util.Collection;
import java.util.TreeMap;

/**
 * {@code /api/v1/thing-groups}: static and dynamic thing groups, their members and policies, and
 * {@code /api/v1/things/{name}/thing-groups}, the groups of one thing.
 */
final class ThingGroupRoutes {
  private static final String GROUP = "/api/v1/thing-groups/{name}";

  private final ThingGroupService groups;
  private final FleetMembership membership;
  private final Representations views;

  ThingGroupRoutes(ThingGroupService groups, FleetMembership membership, Representations views) {
    this.groups = groups;
    this.membership = membership;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/thing-groups", this::list)
        .add("POST", "/api/v1/thing-groups", this::create)
        .add("GET", GROUP, this::show)
        .add("PATCH", GROUP, this::update)
        .add("DELETE", GROUP, this::delete)
        .add("GET", GROUP + "/things", r -> things(r, false))
        .add("GET", GROUP + "/all-things", r -> things(r, true))
        .add("PUT", GROUP + "/things/{thing}", this::addThing)
        .add("DELETE", GROUP + "/things/{thing}", this::removeThing)
        .add("PUT", GROUP + "/policies/{policy}", this::attachPolicy)
        .add("DELETE", GROUP + "/policies/{policy}", this::detachPolicy)
        .add("GET", "/api/v1/things/{name}/thing-groups", this::groupsOfThing);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode node = views.object();
    ArrayNode items = node.putArray("thingGroups");
    groups.list().forEach(g -> items.add(view(g)));
    return ApiResponse.ok(node);
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String name = ApiRequest.requiredText(body, "name");
    var parent = ApiRequest.optionalText(body, "parent");
    var query = ApiRequest.optionalText(body, "query");
    var description = ApiRequest.optionalText(body, "description");
    var attributes = ApiRequest.optionalStringMap(body, "attributes");
    if (parent.isPresent() && query.isPresent()) {
      throw ApiException.badRequest("a dynamic group (query) cannot have a parent");
    }
    ThingGroup group =
        query.isPresent()
            ? groups.createDynamic(name, query.get(), description, attributes, AdminApiServer.ACTOR)
            : groups.createStatic(name, parent, description, attributes, AdminApiServer.ACTOR);
    return ApiResponse.created(details(group));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(details(groups.get(request.path("name"))));
  }

  private ApiResponse update(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    ThingGroup group =
        groups.update(
            request.path("name"),
            ApiRequest.optionalText(body, "description"),
            ApiRequest.optionalStringMap(body, "attributes"),
            ApiRequest.optionalText(body, "query"),
            AdminApiServer.ACTOR);
    return ApiResponse.ok(details(group));
  }

  private ApiResponse delete(ApiRequest request) {
    groups.delete(request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse things(ApiRequest request, boolean recursive) {
    ObjectNode node = views.object();
    strings(node.putArray("things"), membership.thingsIn(request.path("name"), recursive));
    return ApiResponse.ok(node);
  }

  private ApiResponse addThing(ApiRequest request) {
    groups.addThing(request.path("name"), request.path("thing"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse removeThing(ApiRequest request) {
    groups.removeThing(request.path("name"), request.path("thing"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse attachPolicy(ApiRequest request) {
    groups.attachPolicy(request.path("name"), request.path("policy"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse detachPolicy(ApiRequest request) {
    groups.detachPolicy(request.path("name"), request.path("policy"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse groupsOfThing(ApiRequest request) {
    String thing = request.path("name");
    ObjectNode node = views.object().put("thing", thing);
    strings(node.putArray("thingGroups"), membership.groupsOf(thing));
    return ApiResponse.ok(node);
  }

  private ObjectNode view(ThingGroup group) {
    ObjectNode node = views.object().put("name", group.name());
    node.put("type", group.dynamic() ? "DYNAMIC" : "STATIC");
    group.parent().ifPresent(p -> node.put("parent", p));
    group.description().ifPresent(d -> node.put("description", d));
    group.queryString().ifPresent(q -> node.put("query", q));
    ObjectNode attributes = node.putObject("attributes");
    new TreeMap<>(group.attributes()).forEach(attributes::put);
    return node.put("version", group.version())
        .put("createdAt", group.createdAt().toString())
        .put("updatedAt", group.updatedAt().toString());
  }

  /** A group with its sub-groups, policies and, for a dynamic group, its build status. */
  private ObjectNode details(ThingGroup group) {
    ObjectNode node = view(group);
    strings(node.putArray("children"), groups.childrenOf(group.name()));
    strings(node.putArray("policies"), groups.policiesOf(group.name()));
    membership.status(group.name()).ifPresent(s -> node.put("status", s.name()));
    if (group.dynamic() && membership.status(group.name()).isEmpty()) {
      node.put("status", FleetMembership.Status.BUILDING.name());
    }
    return node;
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }
}
