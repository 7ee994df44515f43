package io.mamori.hub.groups;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What dynamic group queries may read of a thing's Device Shadow ({@code shadow.reported.<path>},
 * reference §9.4). The shadow service implements it; {@link #NONE} knows no shadows.
 */
@FunctionalInterface
public interface ShadowValues {
  /** A hub without shadows: every {@code shadow.reported...} term matches nothing. */
  ShadowValues NONE = (thing, path) -> Optional.empty();

  /**
   * The value at {@code path} (dot-separated, e.g. {@code firmware.version}) in the reported state
   * of the thing's classic shadow, if there is one.
   */
  Optional<JsonNode> reported(String thing, String path);
}
