package dev.oneclick.faults;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An SDK interceptor the crash harness adds to every client of a child JVM's deploy: counts the mutating AWS calls
 * that completed (Create*, Put*, Update*, Delete*, Copy*, Upload*, Complete*, Abort*, Tag*, Untag*, and the full stack's
 * Register*, Deregister*, Modify*, Authorize*, Revoke*, Attach*, Detach*, Restore*) and halts the JVM
 * ({@link Runtime#halt}: no shutdown hooks, no lease release, no cleanup) right after the {@code haltAt}-th one. 0:
 * never halt, only count. The engine has no code path for this; it sees a process that vanished.
 */
final class HaltAfterMutatingCall implements ExecutionInterceptor {
    static final int HALT_STATUS = 3;
    private static final List<String> MUTATING = List.of("Create", "Put", "Update", "Delete", "Copy", "Upload",
            "Complete", "Abort", "Tag", "Untag", "Register", "Deregister", "Modify", "Authorize", "Revoke", "Attach",
            "Detach", "Restore");
    private final int haltAt;
    private final AtomicInteger completed = new AtomicInteger();
    private final StringBuffer calls = new StringBuffer();

    HaltAfterMutatingCall(int haltAt) {
        this.haltAt = haltAt;
    }

    static boolean isMutating(String operation) {
        return operation != null && MUTATING.stream().anyMatch(operation::startsWith);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!isMutating(op)) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        synchronized (this) {
            int n = completed.incrementAndGet();
            calls.append(n == 1 ? "" : ",").append(service).append(':').append(op);
            if (n == haltAt) {
                System.out.println("HALTING after mutating call " + n + " " + service + ":" + op);
                System.out.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        }
    }

    int completed() {
        return completed.get();
    }

    String calls() {
        return calls.toString();
    }
}
