package io.mamori.hub.access;

/** Closes every live connection of a principal (the broker does this for the enforcer). */
@FunctionalInterface
public interface PrincipalDisconnector {
  /** Returns how many connections were closed. */
  int disconnectPrincipal(String principalId, String reason);
}
