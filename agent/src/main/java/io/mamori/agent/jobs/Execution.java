package io.mamori.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One job execution as the hub handed it over (reference §3.2 JobExecutionData, the parts used).
 */
public record Execution(String jobId, JsonNode document, long versionNumber) {
  /** The {@code operation} the document asks for, empty when it names none. */
  public String operation() {
    return document.path("operation").asText("");
  }
}
