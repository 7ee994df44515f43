package io.mamori.hub.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.policy.PolicyParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Policy documents as an administrator (or a compromised admin token) may submit them. Contract:
 * {@link PolicyDocument#parse} returns a document or throws {@link PolicyParseException}; a parsed
 * document can always be evaluated, and the broker's compiled matcher agrees with the evaluator.
 */
class PolicyParserFuzzTest {
  private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator("local", "000000000000");

  @FuzzTest(maxDuration = "5m")
  void parse(byte[] input) {
    PolicyDocument document;
    try {
      document = PolicyDocument.parse(new String(input, StandardCharsets.UTF_8));
    } catch (PolicyParseException expected) {
      return;
    }
    var policies = List.of(new NamedPolicy("fuzz", document));
    var context = PolicyContext.ofClient("dev-1");
    EVALUATOR.evaluate(policies, "iot:Connect", "client/dev-1", context);
    EVALUATOR.evaluate(policies, "iot:Publish", "topic/a/b", context);
    EVALUATOR.evaluate(policies, "iot:Subscribe", "topicfilter/a/+", context);
    // The broker's compiled matchers must answer exactly as the evaluator does.
    agree(policies, context, "iot:Publish", "topic/", "a/b");
    agree(policies, context, "iot:Publish", "topic/", "dev-1/x:y");
    agree(policies, context, "iot:Subscribe", "topicfilter/", "a/+");
  }

  private static void agree(
      List<NamedPolicy> policies, PolicyContext context, String action, String type, String name) {
    boolean expected = EVALUATOR.verdict(policies, action, type, name, context).allowed();
    if (EVALUATOR.matcher(policies, context, action, type).allows(name) != expected) {
      throw new AssertionError(
          "matcher and evaluator disagree on " + action + " " + type + name + ": " + expected);
    }
  }
}
