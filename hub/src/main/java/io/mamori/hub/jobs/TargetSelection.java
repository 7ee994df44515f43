package io.mamori.hub.jobs;

/**
 * SNAPSHOT resolves the targets once, at creation; CONTINUOUS also reaches things that join a
 * target group later, and removes the pending execution of a thing that leaves (reference §3.4).
 */
public enum TargetSelection {
  SNAPSHOT,
  CONTINUOUS
}
