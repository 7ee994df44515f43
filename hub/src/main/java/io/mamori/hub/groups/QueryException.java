package io.mamori.hub.groups;

import io.mamori.hub.registry.RegistryException;

/**
 * A fleet query that does not parse: an INVALID registry request (HTTP 400) whose message names the
 * character position (1-based) where the query went wrong.
 */
public final class QueryException extends RegistryException {
  private final int position;

  QueryException(String query, int offset, String problem) {
    super(
        Kind.INVALID, "invalid query at character " + (offset + 1) + ": " + problem + shown(query));
    this.position = offset + 1;
  }

  /** The 1-based character position of the problem. */
  public int position() {
    return position;
  }

  private static String shown(String query) {
    return query.length() > 200 ? "" : " (query: " + query + ")";
  }
}
