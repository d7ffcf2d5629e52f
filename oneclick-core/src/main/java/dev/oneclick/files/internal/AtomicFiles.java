package dev.oneclick.files.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing a file so that a reader sees either the old content or the new, never half of it. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target} and moves it into place (atomically where the
     * file system allows). The parent folder must exist.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), ".oneclick-", ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
