package dev.oneclick.internal.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * oneclick's lifecycle rule on the project's bucket: incomplete multipart uploads (an upload whose abort failed, or
 * a run killed mid upload) are aborted one day after they started, so their parts stop costing storage. The rule
 * has its own id and is merged into the bucket's rules: rules someone else set are kept as they are.
 */
final class BucketLifecycle {
    /** The id of oneclick's rule. */
    static final String RULE_ID = "oneclick-abort-incomplete-multipart-uploads";
    static final int ABORT_AFTER_DAYS = 1;

    private BucketLifecycle() {
    }

    /** oneclick's rule: the whole bucket, enabled, abort incomplete multipart uploads after a day. */
    static LifecycleRule rule() {
        return LifecycleRule.builder().id(RULE_ID).status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(ABORT_AFTER_DAYS)).build();
    }

    /** Whether {@code rules} hold oneclick's rule, enabled, for the whole bucket, with its day count. */
    static boolean hasOurs(List<LifecycleRule> rules) {
        for (LifecycleRule r : rules) {
            if (RULE_ID.equals(r.id())) {
                return r.status() == ExpirationStatus.ENABLED && r.abortIncompleteMultipartUpload() != null
                        && Integer.valueOf(ABORT_AFTER_DAYS).equals(r.abortIncompleteMultipartUpload()
                                .daysAfterInitiation())
                        && wholeBucket(r);
            }
        }
        return false;
    }

    private static boolean wholeBucket(LifecycleRule r) {
        boolean noPrefix = r.prefix() == null || r.prefix().isEmpty();
        if (r.filter() == null) {
            return noPrefix;
        }
        return noPrefix && (r.filter().prefix() == null || r.filter().prefix().isEmpty()) && r.filter().tag() == null
                && r.filter().and() == null && r.filter().objectSizeGreaterThan() == null
                && r.filter().objectSizeLessThan() == null;
    }

    /** {@code rules} with any older version of oneclick's rule replaced by {@link #rule()}; the others kept. */
    static List<LifecycleRule> merge(List<LifecycleRule> rules) {
        List<LifecycleRule> out = new ArrayList<>();
        for (LifecycleRule r : rules) {
            if (!RULE_ID.equals(r.id())) {
                out.add(r);
            }
        }
        out.add(rule());
        return out;
    }
}
