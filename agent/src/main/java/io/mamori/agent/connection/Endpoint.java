package io.mamori.agent.connection;

import io.mamori.agent.AgentException;

/** Where the hub listens: a host name (checked against its TLS certificate) and a port. */
public record Endpoint(String host, int port) {
  public static final int DEFAULT_PORT = 8883;

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new AgentException("endpoint host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new AgentException("endpoint port must be 1 to 65535, got " + port);
    }
  }

  /** Parses {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT}; the port defaults to 8883. */
  public static Endpoint parse(String value) {
    String text = value.strip();
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new AgentException("endpoint '" + value + "' has an unclosed '['");
      }
      host = text.substring(1, close);
      if (text.length() > close + 1) {
        if (text.charAt(close + 1) != ':') {
          throw new AgentException("endpoint '" + value + "' must be [IPv6]:PORT");
        }
        port = text.substring(close + 2);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = text.substring(text.indexOf(':') + 1);
    }
    if (port == null) {
      return new Endpoint(host, DEFAULT_PORT);
    }
    try {
      return new Endpoint(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new AgentException("endpoint port '" + port + "' is not a number");
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
