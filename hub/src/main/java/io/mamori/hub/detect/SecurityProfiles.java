package io.mamori.hub.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Security profiles: create, read, update, delete, and attach to a thing group or to all things.
 * Every change is a hub event (so the audit log records who changed what).
 */
public final class SecurityProfiles {
  private final SecurityProfileRepository repository;
  private final Predicate<String> groupExists;
  private final EventPublisher events;
  private final Clock clock;

  public SecurityProfiles(
      SecurityProfileRepository repository,
      Predicate<String> groupExists,
      EventPublisher events,
      Clock clock) {
    this.repository = repository;
    this.groupExists = groupExists;
    this.events = events;
    this.clock = clock;
  }

  public SecurityProfile create(String name, JsonNode document, String actor) {
    ProfileDocuments.checkName(name);
    var content = ProfileDocuments.read(document);
    if (repository.find(name).isPresent()) {
      throw new DetectException(DetectException.Kind.CONFLICT, "profile " + name + " exists");
    }
    Instant now = clock.instant();
    var profile =
        new SecurityProfile(
            name,
            content.description(),
            content.behaviors(),
            content.mitigations(),
            content.mitigationParameters(),
            Set.of(),
            now,
            now);
    repository.put(profile);
    changed("defender.profile.created", actor, name);
    return profile;
  }

  public SecurityProfile update(String name, JsonNode document, String actor) {
    SecurityProfile old = get(name);
    var content = ProfileDocuments.read(document);
    var profile =
        new SecurityProfile(
            name,
            content.description(),
            content.behaviors(),
            content.mitigations(),
            content.mitigationParameters(),
            old.targets(),
            old.createdAt(),
            clock.instant());
    repository.put(profile);
    changed("defender.profile.updated", actor, name);
    return profile;
  }

  public SecurityProfile get(String name) {
    return repository
        .find(name)
        .orElseThrow(() -> DetectException.notFound("no security profile " + name));
  }

  public List<SecurityProfile> list() {
    return repository.list();
  }

  public void delete(String name, String actor) {
    if (!repository.delete(name)) {
      throw DetectException.notFound("no security profile " + name);
    }
    changed("defender.profile.deleted", actor, name);
  }

  /**
   * Attaches the profile to a thing group, or to all things when {@code group} is empty.
   *
   * @return the profile with its new targets
   */
  public SecurityProfile attach(String name, java.util.Optional<String> group, String actor) {
    SecurityProfile p = get(name);
    String target = target(group);
    if (group.isPresent() && !groupExists.test(group.get())) {
      throw DetectException.notFound("no thing group " + group.get());
    }
    Set<String> targets = new HashSet<>(p.targets());
    targets.add(target);
    SecurityProfile attached = p.withTargets(targets, clock.instant());
    repository.put(attached);
    events.publish(
        HubEvent.success("defender.profile.attached", clock.instant(), actor, name)
            .with("target", target));
    return attached;
  }

  public SecurityProfile detach(String name, java.util.Optional<String> group, String actor) {
    SecurityProfile p = get(name);
    String target = target(group);
    Set<String> targets = new HashSet<>(p.targets());
    if (!targets.remove(target)) {
      throw DetectException.notFound("profile " + name + " is not attached to " + target);
    }
    SecurityProfile detached = p.withTargets(targets, clock.instant());
    repository.put(detached);
    events.publish(
        HubEvent.success("defender.profile.detached", clock.instant(), actor, name)
            .with("target", target));
    return detached;
  }

  private static String target(java.util.Optional<String> group) {
    return group.map(g -> SecurityProfile.GROUP_PREFIX + g).orElse(SecurityProfile.ALL_THINGS);
  }

  private void changed(String type, String actor, String name) {
    events.publish(HubEvent.success(type, clock.instant(), actor, name));
  }
}
