package io.mamori.hub.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobTest {

  private static final PolicyContext CONTEXT = PolicyContext.ofClient("dev-1");

  @Test
  void agreesWithARegexReferenceOnRandomPatternsAndSplitInputs() {
    Random random = new Random(20261123L);
    for (int round = 0; round < 20_000; round++) {
      String pattern = randomString(random, "ab/*?+#", 8);
      String text = randomString(random, "ab/+#", 10);
      Glob glob = Glob.compile(pattern, Glob.Syntax.RESOURCE);
      boolean expected = reference(pattern).matcher(text).matches();
      int split = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);

      assertThat(glob.matches(text, CONTEXT, false))
          .as("pattern %s text %s", pattern, text)
          .isEqualTo(expected);
      assertThat(glob.matches(text.substring(0, split), text.substring(split), CONTEXT, false))
          .as("pattern %s text %s split at %d", pattern, text, split)
          .isEqualTo(expected);
    }
  }

  private static boolean matchesAfter(Glob glob, String prefix, String rest) {
    return Arrays.stream(glob.startsAfter(prefix)).anyMatch(start -> glob.matchesFrom(start, rest));
  }

  @Test
  void matchingFromTheStartsAfterAPrefixIsMatchingThePrefixAndTheRest() {
    Random random = new Random(20261124L);
    for (int round = 0; round < 50_000; round++) {
      String pattern = randomString(random, "ab:*?", 9);
      String prefix = randomString(random, "ab:", 5);
      String rest = randomString(random, "ab:", 6);
      Glob glob = Glob.compile(pattern, Glob.Syntax.RESOURCE);
      boolean expected = reference(pattern).matcher(prefix + rest).matches();

      assertThat(matchesAfter(glob, prefix, rest))
          .as("pattern %s prefix %s rest %s", pattern, prefix, rest)
          .isEqualTo(expected);
    }
  }

  @Test
  void startsAfterAnArnPrefixKeepOnlyWhatCanStillMatch() {
    Glob glob = Glob.compile("arn:aws:iot:*:*:topic/devices/*", Glob.Syntax.RESOURCE);
    String head = "arn:aws:iot:local:000000000000:topic/";
    assertThat(matchesAfter(glob, head, "devices/x")).isTrue();
    assertThat(matchesAfter(glob, head, "other/x")).isFalse();
    assertThat(
            Glob.compile("arn:aws:iot:eu-west-1:*:topic/x", Glob.Syntax.RESOURCE).startsAfter(head))
        .isEmpty();
    // IAM: * crosses ':' and '/', so a topic that spells an ARN's tail again still matches,
    // even one of another resource type.
    assertThat(matchesAfter(glob, head, "a:b:topic/devices/x")).isTrue();
    Glob client = Glob.compile("arn:aws:iot:*:*:client/x", Glob.Syntax.RESOURCE);
    assertThat(matchesAfter(client, head, "a:b:client/x")).isTrue();
    assertThat(matchesAfter(client, head, "client/x")).isFalse();
    // Only the last live * and what follows it are kept: the main start and the one at the *.
    assertThat(glob.startsAfter(head)).hasSize(2);
  }

  @Test
  void escapedWildcardsStayLiteralAfterAPrefix() {
    Glob glob = Glob.compile("ab${*}c${?}*", Glob.Syntax.RESOURCE);
    assertThat(matchesAfter(glob, "a", "b*c?x")).isTrue();
    assertThat(matchesAfter(glob, "a", "bxcyx")).isFalse();
    assertThat(matchesAfter(glob, "ab*", "c?")).isTrue();
  }

  @Test
  void resolvedPatternsMatchWhatThePatternMatchesForThatContext() {
    Glob glob = Glob.compile("t/${iot:ClientId}/${*}/*", Glob.Syntax.RESOURCE);
    Glob resolved = glob.resolve(CONTEXT);
    assertThat(resolved.hasVariables()).isFalse();
    assertThat(resolved.source()).isEqualTo("t/dev-1/${*}/*");
    for (String text : new String[] {"t/dev-1/*/x", "t/dev-1/a/x", "t/dev-2/*/x", "t/dev-1/*/"}) {
      assertThat(resolved.matches(text, null, false))
          .as(text)
          .isEqualTo(glob.matches(text, CONTEXT, false));
    }
  }

  @Test
  void unsafeValuesAreNotResolved() {
    Glob glob = Glob.compile("t/${iot:ClientId}", Glob.Syntax.RESOURCE);
    assertThat(glob.resolve(PolicyContext.ofClient("+"))).isNull();
    assertThat(glob.resolve(PolicyContext.ofClient("a*"))).isNull();
    assertThat(glob.resolve(PolicyContext.ofClient("x".repeat(1025)))).isNull();
  }

  @Test
  void manyStarsAgainstALongNonMatchingTextStillAnswerCorrectly() {
    Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*b", Glob.Syntax.RESOURCE);
    assertThat(glob.matches("a".repeat(5000), CONTEXT, false)).isFalse();
    assertThat(glob.matches("a".repeat(5000) + "b", CONTEXT, false)).isTrue();
  }

  @Test
  void variablesAreMatchedAsLiteralText() {
    Glob glob = Glob.compile("topic/${iot:ClientId}/*", Glob.Syntax.RESOURCE);
    assertThat(glob.matches("topic/dev-1/x", CONTEXT, false)).isTrue();
    assertThat(glob.matches("topic/dev-2/x", CONTEXT, false)).isFalse();
    assertThat(glob.render(CONTEXT)).isEqualTo("topic/dev-1/*");
  }

  @Test
  void ignoreCaseAppliesOnlyWhenAsked() {
    Glob glob = Glob.compile("iot:Publish", Glob.Syntax.ACTION);
    assertThat(glob.matches("IOT:PUBLISH", CONTEXT, true)).isTrue();
    assertThat(glob.matches("IOT:PUBLISH", CONTEXT, false)).isFalse();
  }

  @Test
  void literalSyntaxTreatsWildcardCharactersAsText() {
    Glob glob = Glob.compile("a*?", Glob.Syntax.CONDITION_LITERAL);
    assertThat(glob.matches("a*?", CONTEXT, false)).isTrue();
    assertThat(glob.matches("abc", CONTEXT, false)).isFalse();
  }

  @Test
  void actionsCannotContainVariables() {
    assertThatThrownBy(() -> Glob.compile("iot:${iot:ClientId}", Glob.Syntax.ACTION))
        .hasMessageContaining("policy variables are not allowed here");
  }

  private static String randomString(Random random, String alphabet, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static Pattern reference(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') {
        regex.append("(?s:.*)");
      } else if (c == '?') {
        regex.append("(?s:.)");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
