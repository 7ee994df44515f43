package io.mamori.hub.defender;

import io.mamori.hub.defender.AuditFinding.Severity;
import io.mamori.hub.policy.Effect;
import io.mamori.hub.policy.Glob;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyParseException;
import io.mamori.hub.policy.Statement;
import io.mamori.hub.registry.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code IOT_POLICY_OVERLY_PERMISSIVE_CHECK} and {@code
 * IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK} (reference §8.1), reasoned from the documents
 * alone: an Allow statement that grants a data-plane action on every topic, topic filter or client
 * id (without a condition narrowing it), or that allows by {@code NotAction}/{@code NotResource};
 * and MQTT wildcards written in a resource, where they are literal characters, not wildcards
 * (§5.3).
 */
public final class PolicyChecks {
  static final String OVERLY_PERMISSIVE = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK";
  static final String MISCONFIGURATION = "IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK";
  static final String BROAD = "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS";

  private static final List<String> DATA_PLANE =
      List.of("iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive", "iot:RetainPublish");

  /** Any region and account, then any resource, or any resource of one type ({@code topic/*}). */
  private static final Pattern ANY_RESOURCE =
      Pattern.compile(
          "\\*|arn:aws:iot:[^:]*:[^:]*:(\\*|(topic|topicfilter|client)/\\*)",
          Pattern.CASE_INSENSITIVE);

  public List<AuditFinding> check(List<Policy> policies) {
    List<AuditFinding> findings = new ArrayList<>();
    for (Policy policy : policies) {
      PolicyDocument document;
      try {
        document = PolicyDocument.parse(policy.document());
      } catch (PolicyParseException e) {
        findings.add(
            new AuditFinding(
                MISCONFIGURATION,
                Severity.MEDIUM,
                "POLICY_DOES_NOT_PARSE",
                "POLICY",
                policy.name(),
                "the stored document no longer parses, so it allows nothing: " + e.getMessage()));
        continue;
      }
      for (int i = 0; i < document.statements().size(); i++) {
        check(policy, i, document.statements().get(i), findings);
      }
    }
    return findings;
  }

  private static void check(Policy policy, int index, Statement s, List<AuditFinding> findings) {
    String where =
        "statement "
            + index
            + s.sid().map(sid -> " (Sid " + sid + ")").orElse("")
            + " of version "
            + policy.defaultVersionId();
    for (Glob resource : concat(s.resources(), s.notResources())) {
      String source = resource.source();
      if (source.contains("+") || source.contains("#")) {
        findings.add(
            new AuditFinding(
                MISCONFIGURATION,
                Severity.MEDIUM,
                "MQTT_WILDCARD_IN_RESOURCE",
                "POLICY",
                policy.name(),
                where
                    + " uses '"
                    + source
                    + "': in policy resources '+' and '#' are literal characters, not MQTT"
                    + " wildcards (use '*')"));
      }
    }
    if (s.effect() != Effect.ALLOW) {
      return;
    }
    List<String> granted = grantedDataPlaneActions(s);
    if (granted.isEmpty()) {
      return;
    }
    String reason = null;
    if (!s.notResources().isEmpty()) {
      reason =
          "allows "
              + granted
              + " on every resource except "
              + sources(s.notResources())
              + " (NotResource)";
    } else {
      for (Glob resource : s.resources()) {
        if (ANY_RESOURCE.matcher(resource.source()).matches() && s.conditions().isEmpty()) {
          reason =
              "allows "
                  + granted
                  + " on '"
                  + resource.source()
                  + "': any device holding it may "
                  + consequence(resource.source(), granted)
                  + ", with no Condition to narrow it";
          break;
        }
      }
    }
    if (reason == null && !s.notActions().isEmpty()) {
      reason = "allows every action except " + sources(s.notActions()) + " (NotAction)";
    }
    if (reason != null) {
      findings.add(
          new AuditFinding(
              OVERLY_PERMISSIVE,
              Severity.CRITICAL,
              BROAD,
              "POLICY",
              policy.name(),
              where + " " + reason));
    }
  }

  private static String consequence(String resource, List<String> granted) {
    String type = resource.toLowerCase(Locale.ROOT);
    if (type.endsWith("client/*")) {
      return "connect as any client id (and so take over another device's session)";
    }
    if (type.endsWith("topicfilter/*")) {
      return "subscribe to every topic";
    }
    if (type.endsWith("topic/*")) {
      return "publish to or receive every topic, including other devices' and $aws/ topics";
    }
    return "use " + granted + " on any topic, topic filter and client id";
  }

  /** The data-plane actions the statement allows (by Action, or everything NotAction leaves). */
  private static List<String> grantedDataPlaneActions(Statement s) {
    List<String> granted = new ArrayList<>();
    for (String action : DATA_PLANE) {
      boolean named = s.actions().stream().anyMatch(g -> wildcardMatches(g.source(), action));
      boolean excluded = s.notActions().stream().anyMatch(g -> wildcardMatches(g.source(), action));
      if (s.notActions().isEmpty() ? named : !excluded) {
        granted.add(action);
      }
    }
    return granted;
  }

  /** IAM action matching: '*' any run, '?' one character, case-insensitive. */
  static boolean wildcardMatches(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(value).matches();
  }

  private static List<Glob> concat(List<Glob> a, List<Glob> b) {
    List<Glob> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> sources(List<Glob> globs) {
    return globs.stream().map(Glob::source).toList();
  }
}
