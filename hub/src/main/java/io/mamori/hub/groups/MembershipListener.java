package io.mamori.hub.groups;

/**
 * Told when things join or leave groups. Calls come one at a time, in order, from the hub's
 * membership thread; an implementation must not block it (hand slow work to its own executor).
 */
@FunctionalInterface
public interface MembershipListener {
  void membershipChanged(MembershipChange change);
}
