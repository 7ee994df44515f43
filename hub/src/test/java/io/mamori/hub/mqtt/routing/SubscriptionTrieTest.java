package io.mamori.hub.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubscriptionTrieTest {
  private final SubscriptionTrie<String> trie = new SubscriptionTrie<>();

  @Test
  void exactFilterMatchesOnlyItsTopic() {
    trie.add("a/b", "s1", 1);
    assertThat(trie.match("a/b")).containsOnlyKeys("s1");
    assertThat(trie.match("a/b/c")).isEmpty();
    assertThat(trie.match("a")).isEmpty();
  }

  @Test
  void plusMatchesExactlyOneLevelIncludingAnEmptyOne() {
    trie.add("a/+/c", "s1", 0);
    assertThat(trie.match("a/b/c")).containsOnlyKeys("s1");
    assertThat(trie.match("a//c")).containsOnlyKeys("s1");
    assertThat(trie.match("a/b/x/c")).isEmpty();
    assertThat(trie.match("a/c")).isEmpty();
  }

  @Test
  void hashMatchesChildrenButNotTheParentLikeAws() {
    trie.add("sensor/#", "s1", 0);
    assertThat(trie.match("sensor/")).containsOnlyKeys("s1");
    assertThat(trie.match("sensor/temperature")).containsOnlyKeys("s1");
    assertThat(trie.match("sensor/a/b/c")).containsOnlyKeys("s1");
    assertThat(trie.match("sensor")).isEmpty();
  }

  @Test
  void leadingWildcardsDoNotMatchDollarTopics() {
    trie.add("#", "all", 0);
    trie.add("+/things/x", "plus", 0);
    trie.add("$aws/things/+", "aws", 0);
    assertThat(trie.match("$aws/things/x")).containsOnlyKeys("aws");
    assertThat(trie.match("dev/things/x")).containsOnlyKeys("all", "plus");
  }

  @Test
  void overlappingFiltersDeliverOnceWithTheHighestQos() {
    trie.add("a/#", "s1", 0);
    trie.add("a/b", "s1", 1);
    trie.add("+/b", "s2", 0);
    assertThat(trie.match("a/b")).containsEntry("s1", 1).containsEntry("s2", 0).hasSize(2);
  }

  @Test
  void removedSubscriptionNoLongerMatchesAndOthersStay() {
    trie.add("a/b", "s1", 0);
    trie.add("a/b", "s2", 0);
    trie.add("a/b/c", "s3", 0);
    assertThat(trie.remove("a/b", "s1")).isTrue();
    assertThat(trie.remove("a/b", "s1")).isFalse();
    assertThat(trie.remove("x/y", "s1")).isFalse();
    assertThat(trie.match("a/b")).containsOnlyKeys("s2");
    trie.remove("a/b", "s2");
    assertThat(trie.match("a/b/c")).containsOnlyKeys("s3");
  }

  @Test
  void trieAgreesWithTopicsMatches() {
    String[] filters = {
      "#", "+", "a/#", "a/+", "+/+", "a/+/c", "$aws/#", "$aws/+/x", "a/b", "+/b/#"
    };
    String[] topics = {"a", "a/b", "a/b/c", "a/", "/a", "$aws/t/x", "$aws", "b/b", "b/b/c"};
    for (String f : filters) {
      trie.add(f, f, 0);
    }
    for (String t : topics) {
      for (String f : filters) {
        assertThat(trie.match(t).containsKey(f))
            .as("filter %s topic %s", f, t)
            .isEqualTo(Topics.matches(f, t));
      }
    }
  }
}
