package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router.Handler handler = request -> ApiResponse.noContent();
  private final Router router =
      new Router()
          .add("GET", "/api/v1/things", handler)
          .add("GET", "/api/v1/things/{name}", handler)
          .add("DELETE", "/api/v1/things/{name}", handler)
          .add("DELETE", "/api/v1/policies/{name}/attachments/{certificateId}", handler)
          .addPublic("GET", "/api/v1/health", handler);

  @Test
  void capturesNamedSegments() {
    var match = router.match("DELETE", "/api/v1/policies/p1/attachments/abc");

    assertThat(match).isInstanceOf(Router.Match.Found.class);
    assertThat(((Router.Match.Found) match).pathParameters())
        .isEqualTo(Map.of("name", "p1", "certificateId", "abc"));
  }

  @Test
  void decodesPercentEscapesButKeepsPlusLiteral() {
    var match = (Router.Match.Found) router.match("GET", "/api/v1/things/a%3Ab+c");

    assertThat(match.pathParameters()).containsEntry("name", "a:b+c");
  }

  @Test
  void aKnownPathUnderAnotherMethodIsMethodNotAllowed() {
    assertThat(router.match("PUT", "/api/v1/things/t1"))
        .isEqualTo(new Router.Match.MethodNotAllowed(java.util.Set.of("DELETE", "GET")));
  }

  @Test
  void anUnknownPathIsNotFound() {
    assertThat(router.match("GET", "/api/v1/things/t1/extra"))
        .isInstanceOf(Router.Match.NotFound.class);
    assertThat(router.match("GET", "/")).isInstanceOf(Router.Match.NotFound.class);
  }

  @Test
  void onlyRoutesAddedAsPublicSkipAuthentication() {
    assertThat(((Router.Match.Found) router.match("GET", "/api/v1/health")).authenticated())
        .isFalse();
    assertThat(((Router.Match.Found) router.match("GET", "/api/v1/things")).authenticated())
        .isTrue();
  }

  @Test
  void malformedEscapesAreABadRequest() {
    assertThatThrownBy(() -> router.match("GET", "/api/v1/things/%zz"))
        .isInstanceOf(ApiException.class)
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(400);
  }
}
