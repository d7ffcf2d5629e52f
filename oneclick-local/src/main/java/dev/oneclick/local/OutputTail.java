package dev.oneclick.local;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it: a child process's output, kept for error messages without
 * letting a chatty process fill the heap or the log. Thread-safe.
 */
final class OutputTail extends OutputStream {

    private final byte[] buffer;
    private long written;

    OutputTail(int capacity) {
        this.buffer = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        buffer[(int) (written % buffer.length)] = (byte) b;
        written++;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            write(bytes[offset + i]);
        }
    }

    /** @return true when any of the kept text contains {@code text} */
    synchronized boolean contains(String text) {
        return text().contains(text);
    }

    /** @return the kept output as UTF-8 text, prefixed with a note when earlier output was dropped */
    synchronized String text() {
        int length = (int) Math.min(written, buffer.length);
        byte[] copy = new byte[length];
        int start = (int) ((written - length) % buffer.length);
        for (int i = 0; i < length; i++) {
            copy[i] = buffer[(start + i) % buffer.length];
        }
        String text = new String(copy, StandardCharsets.UTF_8).strip();
        if (written > buffer.length) {
            text = "[... " + (written - buffer.length) + " earlier bytes dropped]\n" + text;
        }
        return text.isEmpty() ? "(no output)" : text;
    }
}
