package dev.oneclick.internal;

import dev.oneclick.Deployer;

/** SKELETON: replaced by the deploy engine. */
public final class DefaultDeployer {
    private DefaultDeployer() {
    }

    public static Deployer.Builder builder() {
        throw new UnsupportedOperationException("TODO: the deploy engine is being written");
    }
}
