package io.mamori.hub.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mamori.hub.jobs.DeliveredDocuments;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Replaces each {@code ${mamori:firmware-url:ID}} string of a job document with a download URL for
 * firmware ID signed for the receiving thing (see {@link DownloadUrls}), when the document is
 * delivered. Documents without a placeholder are passed through untouched.
 */
public final class FirmwareDocuments implements DeliveredDocuments {
  private final DownloadUrls urls;
  private final Supplier<String> baseUrl;

  /**
   * @param baseUrl the HTTPS base URL of the hub's API listener (known once it has bound)
   */
  public FirmwareDocuments(DownloadUrls urls, Supplier<String> baseUrl) {
    this.urls = urls;
    this.baseUrl = baseUrl;
  }

  /** The path of firmware {@code id}'s download route. */
  public static String downloadPath(String firmwareId) {
    return "/api/v1/firmware/" + firmwareId + "/download";
  }

  @Override
  public ObjectNode forThing(String thing, ObjectNode stored) {
    if (!contains(stored)) {
      return stored;
    }
    ObjectNode copy = stored.deepCopy();
    replace(copy, thing);
    return copy;
  }

  private static boolean contains(JsonNode node) {
    if (node.isTextual()) {
      return node.asText().startsWith(FirmwareService.URL_PLACEHOLDER);
    }
    for (JsonNode child : node) {
      if (contains(child)) {
        return true;
      }
    }
    return false;
  }

  private void replace(JsonNode node, String thing) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        replaceChild(field.getValue(), thing, v -> object.set(field.getKey(), v));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        int index = i;
        replaceChild(array.get(i), thing, v -> array.set(index, v));
      }
    }
  }

  private void replaceChild(
      JsonNode child, String thing, java.util.function.Consumer<JsonNode> set) {
    String text = child.isTextual() ? child.asText() : "";
    if (text.startsWith(FirmwareService.URL_PLACEHOLDER) && text.endsWith("}")) {
      String id = text.substring(FirmwareService.URL_PLACEHOLDER.length(), text.length() - 1);
      set.accept(new TextNode(baseUrl.get() + downloadPath(id) + "?" + urls.query(id, thing)));
    } else {
      replace(child, thing);
    }
  }
}
