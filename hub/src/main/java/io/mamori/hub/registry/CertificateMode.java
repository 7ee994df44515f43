package io.mamori.hub.registry;

/**
 * How a CA was registered (reference §2.1 {@code certificateMode}): {@link #DEFAULT} with proof of
 * possession of the CA key, or {@link #SNI_ONLY} without it, for a CA shared across hubs.
 */
public enum CertificateMode {
  DEFAULT,
  SNI_ONLY
}
