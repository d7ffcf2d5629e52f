package dev.oneclick.notify;

import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory implementations of the receiver's own interfaces, recording what happened in one shared log. */
final class Fakes {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Map<ProjectGuid, ProjectOwner> owners = new ConcurrentHashMap<>();
    final List<AwsResources> stored = Collections.synchronizedList(new ArrayList<>());
    final List<NotifyEvent> published = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger storeCalls = new AtomicInteger();
    final AtomicInteger storeFailuresLeft = new AtomicInteger();
    volatile RuntimeException publishFailure;
    volatile RuntimeException registryFailure;
    volatile Runnable duringStore = () -> { };

    final ProjectRegistry registry = guid -> {
        if (registryFailure != null) {
            throw registryFailure;
        }
        return Optional.ofNullable(owners.get(guid));
    };

    final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger outcomeFailuresLeft = new AtomicInteger();

    final ResourcesStore store = new ResourcesStore() {
        @Override
        public void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources) {
            storeCalls.incrementAndGet();
            duringStore.run();
            if (storeFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add("store-failed");
                throw new TrackerException("DynamoDB table tmux-deployments: PutItem throttled (test)");
            }
            stored.add(resources);
            log.add("stored " + owner.userId() + " " + guid);
        }

        @Override
        public void saveOutcome(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
            if (outcomeFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add("outcome-failed");
                throw new TrackerException("DynamoDB table tmux-deployments: UpdateItem throttled (test)");
            }
            outcomes.add(event.type().wireName() + ":" + event.message());
            log.add("outcome " + event.type().wireName() + " " + owner.userId() + " " + guid);
        }
    };

    final NotifySubscribers subscribers = (owner, guid, event) -> {
        if (publishFailure != null) {
            throw publishFailure;
        }
        published.add(event);
        log.add("published " + event.type().wireName() + " " + owner.userId() + " " + guid);
    };
}
