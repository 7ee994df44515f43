package io.mamori.hub.identity;

/** A request of the identity API refused; becomes the {@code .../rejected} answer. */
public final class IdentityApiException extends RuntimeException {
  private final int statusCode;
  private final String errorCode;

  public IdentityApiException(int statusCode, String errorCode, String message) {
    super(message);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  public IdentityApiException(int statusCode, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  /** A malformed request (HTTP-style 400). */
  public static IdentityApiException invalid(String message) {
    return new IdentityApiException(400, "InvalidPayload", message);
  }

  public int statusCode() {
    return statusCode;
  }

  public String errorCode() {
    return errorCode;
  }

  public IdentityMessages.ErrorResponse toResponse() {
    return new IdentityMessages.ErrorResponse(statusCode, errorCode, getMessage());
  }
}
