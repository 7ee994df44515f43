package io.mamori.hub.mqtt;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a CONNECT is accepted: known, ACTIVE certificate and {@code iot:Connect} on the
 * client id. Called on the channel's event loop: an implementation must not block there, so it runs
 * any blocking work (database) on its own executor and completes the stage from it; the broker
 * brings the answer back to the channel's loop.
 */
public interface Authenticator {
  CompletionStage<AuthenticationResult> authenticate(ConnectRequest request);
}
