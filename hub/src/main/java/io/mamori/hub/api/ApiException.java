package io.mamori.hub.api;

/**
 * A request the admin API refuses, with the HTTP status and the short error code the client sees in
 * {@code {"error": code, "message": ...}}.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }
}
