package io.mamori.hub.shadow;

/**
 * A shadow request the service refuses, with the HTTP-style code and the message AWS sends in its
 * {@code /rejected} documents (reference §4.3).
 */
public final class ShadowRejection extends RuntimeException {
  static final String INVALID_JSON = "Invalid JSON";
  static final String MISSING_STATE = "Missing required node: state";
  static final String STATE_NOT_OBJECT = "State node must be an object";
  static final String DESIRED_NOT_OBJECT = "Desired node must be an object";
  static final String REPORTED_NOT_OBJECT = "Reported node must be an object";
  static final String INVALID_VERSION = "Invalid version";
  static final String INVALID_CLIENT_TOKEN = "Invalid clientToken";
  static final String TOO_DEEP = "JSON contains too many levels of nesting; maximum is 6";
  static final String INVALID_NODE = "State contains an invalid node";
  static final String THING_NOT_FOUND = "Thing not found";
  static final String VERSION_CONFLICT = "Version conflict";
  static final String TOO_LARGE = "The payload exceeds the maximum size allowed";
  static final String NOT_UTF8 = "Unsupported documented encoding; supported encoding is UTF-8";

  private final int code;

  ShadowRejection(int code, String message) {
    super(message);
    this.code = code;
  }

  static ShadowRejection badRequest(String message) {
    return new ShadowRejection(400, message);
  }

  static ShadowRejection noShadow(ShadowKey key) {
    return new ShadowRejection(404, "No shadow exists with name: '" + key.displayName() + "'");
  }

  /** 400, 404, 409, 413 or 415, as AWS uses them. */
  public int code() {
    return code;
  }
}
