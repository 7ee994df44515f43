package io.mamori.agent;

/** A step of the agent failed; the message names the step and the reason, for one CLI line. */
public class AgentException extends RuntimeException {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
