package dev.oneclick.site.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and every process it started (children, grandchildren: a shell's npm and node). The tree is read
 * before anything is stopped (a child whose parent died is re-parented and no longer listed as a descendant), each
 * process is asked to end (SIGTERM), and whatever is still alive after {@link #GRACE} is killed (SIGKILL).
 */
final class ProcessTree {
    /** How long the processes get to end on their own before they are killed. */
    static final Duration GRACE = Duration.ofSeconds(3);
    /** How often the tree is read again for processes started while it was being stopped. */
    private static final int ROUNDS = 3;

    private ProcessTree() {
    }

    /** Stops {@code root} and its descendants; returns when none of them is alive (or cannot be killed). */
    static void stop(ProcessHandle root) {
        List<ProcessHandle> seen = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<ProcessHandle> tree = tree(root, seen);
            if (tree.isEmpty()) {
                break;
            }
            // children first: a shell that dies first would leave its children to init, out of the tree
            for (int i = tree.size() - 1; i >= 0; i--) {
                tree.get(i).destroy();
            }
            awaitExit(tree, GRACE);
            for (ProcessHandle h : tree) {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
            awaitExit(tree, GRACE);
        }
    }

    /** The live processes of the tree (root first), including any seen in an earlier round. */
    private static List<ProcessHandle> tree(ProcessHandle root, List<ProcessHandle> seen) {
        List<ProcessHandle> found = new ArrayList<>();
        found.add(root);
        root.descendants().forEach(found::add);
        for (ProcessHandle h : List.copyOf(seen)) {
            h.descendants().forEach(found::add);
        }
        for (ProcessHandle h : found) {
            if (!seen.contains(h)) {
                seen.add(h);
            }
        }
        return seen.stream().filter(ProcessHandle::isAlive).toList();
    }

    private static void awaitExit(List<ProcessHandle> tree, Duration limit) {
        CompletableFuture<?>[] exits = tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // some are still alive: the caller kills them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
