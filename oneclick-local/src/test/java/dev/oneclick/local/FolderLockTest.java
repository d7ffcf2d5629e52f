package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {

    @Test
    void acquire_whenHeldInThisJvm_throwsInUseNamingTheFolder(@TempDir Path dir) {
        try (FolderLock first = FolderLock.acquire(dir, "x.lock", "the test folder")) {
            FolderLock.InUseException e = assertThrows(FolderLock.InUseException.class,
                    () -> FolderLock.acquire(dir, "x.lock", "the test folder"));
            assertTrue(e.getMessage().startsWith("the test folder " + dir.toAbsolutePath().normalize()),
                    e.getMessage());
        }
        try (FolderLock again = FolderLock.acquire(dir, "x.lock", "the test folder")) {
            assertTrue(Files.isRegularFile(again.file()));
        }
    }

    @Test
    void acquire_whenHeldByAnotherProcess_throwsInUse(@TempDir Path dir) throws Exception {
        // flock(1) holds an flock lock; Java's FileLock is an fcntl lock on Linux: take the lock in a child JVM.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path ready = dir.resolve("ready");
        Path source = dir.resolve("Hold.java");
        Files.writeString(source, String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.file.*;",
                "public class Hold { public static void main(String[] a) throws Exception {",
                "  FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
                "  c.lock(); Files.writeString(Path.of(a[1]), \"ok\"); Thread.sleep(60000); } }", ""));
        Process holder = new ProcessBuilder(java.toString(), source.toString(), dir.resolve("x.lock").toString(),
                ready.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && holder.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(ready), "the child JVM did not take the lock: "
                    + Files.readString(dir.resolve("holder.log")));
            assertThrows(FolderLock.InUseException.class, () -> FolderLock.acquire(dir, "x.lock", "the test folder"));
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (FolderLock after = FolderLock.acquire(dir, "x.lock", "the test folder")) {
            assertTrue(Files.isRegularFile(after.file()), "the lock is free once the other process ended");
        }
    }
}
