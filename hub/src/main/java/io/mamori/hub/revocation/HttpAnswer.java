package io.mamori.hub.revocation;

import java.nio.charset.StandardCharsets;

/** One plain-HTTP response of the PKI publication listener. */
record HttpAnswer(int status, String contentType, byte[] body) {
  static final String TEXT = "text/plain; charset=utf-8";

  static HttpAnswer ok(String contentType, byte[] body) {
    return new HttpAnswer(200, contentType, body);
  }

  static HttpAnswer text(int status, String message) {
    return new HttpAnswer(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
