package dev.oneclick.stack.internal;

import dev.oneclick.engine.internal.Run;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Tag;

/** ECS tags: the run's tags as ECS's list, and a resource's tags as a map (asked for when a describe left them out). */
final class EcsTags {
    private EcsTags() {
    }

    static List<Tag> list(Run run) {
        return run.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    /** {@code described} when the describe call returned tags, else ListTagsForResource on {@code arn}. */
    static Map<String, String> of(StackState s, String arn, List<Tag> described) {
        List<Tag> tags = described != null && !described.isEmpty() ? described
                : s.clients.call().run("ECS", "ListTagsForResource", arn, () -> s.clients.ecs()
                        .listTagsForResource(b -> b.resourceArn(arn)).tags());
        return Calls.tagMap(tags, Tag::key, Tag::value);
    }
}
