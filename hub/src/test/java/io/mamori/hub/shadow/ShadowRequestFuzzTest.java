package io.mamori.hub.shadow;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Shadow update payloads exactly as devices publish them to {@code .../shadow/update}. Contract:
 * {@link ShadowRequest#update} returns a request or throws {@link ShadowRejection} (an AWS error
 * document); an accepted request merges into an empty shadow and yields a delta without error.
 * Lives in the shadow package because the parser is package-private.
 */
class ShadowRequestFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void update(byte[] payload) {
    ShadowRequest.tokenOf(payload);
    try {
      // get/delete: any content is ignored, but a malformed clientToken is refused (AWS §4.3).
      ShadowRequest.tokenOnly(payload);
    } catch (ShadowRejection expected) {
      // a clear refusal
    }
    ShadowRequest request;
    try {
      request = ShadowRequest.update(payload);
    } catch (ShadowRejection expected) {
      return;
    }
    var state = ShadowRequest.JSON.createObjectNode();
    var metadata = ShadowRequest.JSON.createObjectNode();
    ShadowDocuments.apply(state, metadata, request.state(), 1_700_000_000L);
    ShadowDocuments.delta(state.get(ShadowDocuments.DESIRED), state.get(ShadowDocuments.REPORTED));
    ShadowRequest.utf8Length(state);
  }
}
