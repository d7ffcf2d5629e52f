package dev.oneclick.notify.internal;

import dev.oneclick.resources.AwsResources;

/** The validators the receiver uses. */
public final class Validators {
    private Validators() {
    }

    /** The resources check: until the resources JSON Schema is wired in, an object that AwsResources reads. */
    public static ResourcesValidator resources() {
        return json -> AwsResources.fromJson(json);
    }
}
