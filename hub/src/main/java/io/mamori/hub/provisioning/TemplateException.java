package io.mamori.hub.provisioning;

/**
 * A provisioning request the template cannot satisfy (a missing parameter, an out-of-range {@code
 * Fn::Select}, a policy name that does not exist); becomes a {@code .../rejected} answer.
 */
public final class TemplateException extends RuntimeException {
  private final int statusCode;
  private final String errorCode;

  public TemplateException(int statusCode, String errorCode, String message) {
    super(message);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  public TemplateException(int statusCode, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  static TemplateException invalidParameters(String message) {
    return new TemplateException(400, "InvalidParametersException", message);
  }

  public int statusCode() {
    return statusCode;
  }

  public String errorCode() {
    return errorCode;
  }
}
