package dev.oneclick.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a file inside a folder, held until {@link #close()}: keeps a second user (in this JVM or in
 * another process) from opening the same folder at the same time. The operating system releases it when the
 * process ends, so a killed process leaves no stale lock behind (the file itself stays, empty).
 */
public final class FolderLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code folder} when missing and locks {@code folder/fileName}.
     *
     * @param what what the folder is, for the error message (e.g. "dynalite's data folder")
     * @throws InUseException when another user holds the lock; the message names the folder
     * @throws LocalAwsException when the folder or the lock file cannot be created
     */
    public static FolderLock acquire(Path folder, String fileName, String what) {
        Path dir = folder.toAbsolutePath().normalize();
        Path file = dir.resolve(fileName);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir, what, null);
            }
            return new FolderLock(file, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dir, what, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LocalAwsException("cannot lock " + what + " " + dir + " (lock file " + file + "): " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static LocalAwsException inUse(Path dir, String what, Exception cause) {
        return new InUseException(what + " " + dir + " is in use by another process (or another server in this"
                + " one): only one may open it at a time. Stop the other one, or use another folder.", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases the lock. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
        }
    }

    /** Another user (this JVM or another process) holds the lock of the folder. */
    public static final class InUseException extends LocalAwsException {
        private static final long serialVersionUID = 1L;

        InUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
