package dev.oneclick.maven.internal;

import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;

/**
 * Wraps the session's execution listener to run an action when the Maven session ends, while the plugin's class
 * realm is still open (a JVM shutdown hook runs after Maven closed it, when the emulators' classes can no longer
 * load). Every event still reaches the wrapped listener.
 */
final class SessionEndCloser implements ExecutionListener {
    private final ExecutionListener delegate;
    private final Runnable onEnd;

    SessionEndCloser(ExecutionListener delegate, Runnable onEnd) {
        this.delegate = delegate;
        this.onEnd = onEnd;
    }

    @Override
    public void projectDiscoveryStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectDiscoveryStarted(event);
        }
    }

    @Override
    public void sessionStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.sessionStarted(event);
        }
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
        try {
            onEnd.run();
        } finally {
            if (delegate != null) {
                delegate.sessionEnded(event);
            }
        }
    }

    @Override
    public void projectSkipped(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectSkipped(event);
        }
    }

    @Override
    public void projectStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectStarted(event);
        }
    }

    @Override
    public void projectSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectSucceeded(event);
        }
    }

    @Override
    public void projectFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectFailed(event);
        }
    }

    @Override
    public void mojoSkipped(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoSkipped(event);
        }
    }

    @Override
    public void mojoStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoStarted(event);
        }
    }

    @Override
    public void mojoSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoSucceeded(event);
        }
    }

    @Override
    public void mojoFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoFailed(event);
        }
    }

    @Override
    public void forkStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkStarted(event);
        }
    }

    @Override
    public void forkSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkSucceeded(event);
        }
    }

    @Override
    public void forkFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkFailed(event);
        }
    }

    @Override
    public void forkedProjectStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectStarted(event);
        }
    }

    @Override
    public void forkedProjectSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectSucceeded(event);
        }
    }

    @Override
    public void forkedProjectFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectFailed(event);
        }
    }
}
