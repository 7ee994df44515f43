package io.mamori.hub.policy;

import java.util.Objects;

/** A parsed policy document under the name it is attached by, as the evaluator receives it. */
public record NamedPolicy(String name, PolicyDocument document) {
  public NamedPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(document, "document");
  }
}
