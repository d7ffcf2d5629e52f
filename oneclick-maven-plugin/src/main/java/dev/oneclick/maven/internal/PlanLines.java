package dev.oneclick.maven.internal;

import dev.oneclick.Plan;
import java.util.ArrayList;
import java.util.List;

/** The lines {@code oneclick:plan} prints for a plan: a header, one line per resource, file, key and path, a total. */
public final class PlanLines {
    private PlanLines() {
    }

    /**
     * The plan as printed. The header names the bucket when the plan has one (a static site, or a full stack with its
     * frontend or its placeholder page); a plan without one (a full stack with the CDN off and no frontend) names only
     * the project.
     */
    public static List<String> of(Plan plan) {
        List<String> out = new ArrayList<>();
        out.add("Plan for " + plan.guid() + (plan.bucket() == null ? ":" : " (bucket " + plan.bucket() + "):"));
        for (Plan.ResourceChange r : plan.resources()) {
            out.add("  " + r.action() + " " + r.type() + " " + r.name()
                    + (r.detail() == null || r.detail().isBlank() ? "" : " (" + r.detail() + ")"));
        }
        for (Plan.FileChange f : plan.uploads()) {
            out.add("  upload " + f.key() + " (" + f.reason() + ", " + f.size() + " bytes)");
        }
        for (Plan.FileChange f : plan.headerUpdates()) {
            out.add("  headers " + f.key());
        }
        for (String key : plan.deletes()) {
            out.add("  delete " + key);
        }
        for (String path : plan.invalidations()) {
            out.add("  invalidate " + path);
        }
        for (String path : plan.excluded()) {
            out.add("  exclude " + path);
        }
        out.add("Plan: " + plan.uploads().size() + " to upload (" + plan.uploadBytes() + " bytes), "
                + plan.headerUpdates().size() + " header updates, " + plan.deletes().size() + " to delete, "
                + plan.unchanged() + " unchanged" + (plan.excluded().isEmpty() ? "" : ", " + plan.excluded().size()
                + " excluded") + (plan.isEmpty() ? " (nothing to do)" : ""));
        return out;
    }
}
