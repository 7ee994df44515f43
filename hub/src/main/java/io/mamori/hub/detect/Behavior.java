package io.mamori.hub.detect;

/** One watched metric of a security profile and what is normal for it (reference §8.3). */
public record Behavior(String name, String metric, Criteria criteria) {}
