package io.mamori.hub.defender.mitigation;

/**
 * What one mitigation did.
 *
 * @param action the action
 * @param thing the thing it was applied to
 * @param alreadyApplied true when nothing had to change (applying again is harmless)
 * @param detail what was done, in words: the group, the certificates, the job id, the version
 */
public record MitigationResult(
    MitigationAction action, String thing, boolean alreadyApplied, String detail) {}
